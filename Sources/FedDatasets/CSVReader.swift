import Foundation

/// Reads CSV files (RFC 4180 basics) into typed columns described by a `CSVSchema`.
///
/// Supported: a header line, quoted fields (`"a, b"`, doubled quotes `""` inside quotes,
/// line breaks inside quotes), LF or CRLF line endings, a UTF-8 byte-order mark, blank lines
/// (skipped), gzipped files. Numeric and integer fields are trimmed of spaces before parsing.
public enum CSVReader {
    /// Reads and types the CSV file at `url` (gzipped or not).
    /// - Parameters:
    ///   - url: the file.
    ///   - schema: the columns to read and their types.
    /// - Throws: `DatasetError`: `.emptyFile`; `.missingColumn` (a schema column absent from the
    ///   header); `.wrongColumnCount` (file, line, expected N columns, got M); `.invalidValue`
    ///   (file, line, column, the value); `.invalidFormat` (bad quoting); `.invalidEncoding`.
    public static func read(at url: URL, schema: CSVSchema) throws -> CSVTable {
        try parse(FileBytes.readDecompressing(url), source: url.path, schema: schema)
    }

    /// Types CSV text already in memory.
    /// - Parameters:
    ///   - bytes: the UTF-8 text.
    ///   - source: the file path, for error messages.
    ///   - schema: the columns to read and their types.
    /// - Throws: `DatasetError`, as for `read(at:schema:)`.
    public static func parse(_ bytes: [UInt8], source: String, schema: CSVSchema) throws -> CSVTable {
        var records = try CSVRecords.split(bytes, source: source, delimiter: schema.delimiter.asciiValue!)
        guard !records.isEmpty else {
            throw DatasetError(.emptyFile, source: source, line: 1, message: "expected CSV text\(schema.hasHeader ? " with a header line" : ""), found an empty file")
        }
        // Map schema columns to field positions.
        let fieldCount: Int
        var positions: [Int] = []
        if schema.hasHeader {
            let header = records.removeFirst()
            fieldCount = header.fields.count
            let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
            for column in schema.columns {
                guard let p = names.firstIndex(of: column.name) else {
                    throw DatasetError(
                        .missingColumn, source: source, line: header.line,
                        message: "expected a column named '\(column.name)' in the header, found \(names)")
                }
                positions.append(p)
            }
        } else {
            fieldCount = schema.columns.count
            positions = Array(0..<fieldCount)
        }

        let rowCount = records.count
        var numeric = [[Float]](repeating: [], count: schema.columns.count)
        var integer = [[Int?]](repeating: [], count: schema.columns.count)
        var categorical = [[String?]](repeating: [], count: schema.columns.count)
        for (c, column) in schema.columns.enumerated() {
            switch column.type {
            case .numeric: numeric[c].reserveCapacity(rowCount)
            case .integer: integer[c].reserveCapacity(rowCount)
            case .categorical: categorical[c].reserveCapacity(rowCount)
            }
        }

        for record in records {
            guard record.fields.count == fieldCount else {
                throw DatasetError(
                    .wrongColumnCount, source: source, line: record.line,
                    message: "wrong column count: expected \(fieldCount) columns, got \(record.fields.count)")
            }
            for (c, column) in schema.columns.enumerated() {
                let raw = record.fields[positions[c]]
                let isMissing = schema.missingMarkers.contains(raw.trimmingCharacters(in: .whitespaces))
                if isMissing && !column.allowsMissing {
                    throw DatasetError(
                        .invalidValue, source: source, line: record.line,
                        message: "column '\(column.name)': expected a value, found the missing-value marker '\(raw)'")
                }
                switch column.type {
                case .numeric:
                    if isMissing { numeric[c].append(.nan); continue }
                    guard let v = Float(raw.trimmingCharacters(in: .whitespaces)), v.isFinite else {
                        throw DatasetError(
                            .invalidValue, source: source, line: record.line,
                            message: "column '\(column.name)': expected a finite number, found '\(raw)'")
                    }
                    numeric[c].append(v)
                case .integer:
                    if isMissing { integer[c].append(nil); continue }
                    guard let v = Int(raw.trimmingCharacters(in: .whitespaces)) else {
                        throw DatasetError(
                            .invalidValue, source: source, line: record.line,
                            message: "column '\(column.name)': expected an integer, found '\(raw)'")
                    }
                    integer[c].append(v)
                case .categorical:
                    categorical[c].append(isMissing ? nil : raw)
                }
            }
        }

        let columns: [CSVTable.Values] = schema.columns.enumerated().map { c, column in
            switch column.type {
            case .numeric: .numeric(numeric[c])
            case .integer: .integer(integer[c])
            case .categorical: .categorical(categorical[c])
            }
        }
        return CSVTable(schema: schema, columns: columns, lineNumbers: records.map(\.line), source: source)
    }
}

/// Splits CSV text into records of raw (unquoted) fields; the RFC 4180 part of `CSVReader`.
enum CSVRecords {
    /// One record: the 1-based line it starts on and its fields.
    struct Record {
        var line: Int
        var fields: [String]
    }

    /// The non-blank records of `bytes`.
    static func split(_ bytes: [UInt8], source: String, delimiter: UInt8) throws -> [Record] {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var line = 1, recordLine = 1
        var i = 0
        let n = bytes.count
        if n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { i = 3 }  // BOM

        func text(_ b: [UInt8], offset: Int) throws -> String {
            guard let s = String(validating: b, as: UTF8.self) else {
                throw DatasetError(.invalidEncoding, source: source, line: line, offset: offset, message: "expected UTF-8 text in a CSV field, found invalid bytes")
            }
            return s
        }
        func endRecord() {
            // A line with nothing on it is skipped, not read as one empty field.
            if !(fields.count == 1 && fields[0].isEmpty) { records.append(Record(line: recordLine, fields: fields)) }
            fields.removeAll(keepingCapacity: true)
        }

        var atFieldStart = true
        var fieldStartOffset = i
        while i < n {
            let b = bytes[i]
            if atFieldStart && b == quote {
                // Quoted field: runs to the closing quote; "" is a literal quote.
                let quoteLine = line
                i += 1
                var closed = false
                while i < n {
                    let q = bytes[i]
                    if q == quote {
                        if i + 1 < n && bytes[i + 1] == quote { field.append(quote); i += 2; continue }
                        i += 1
                        closed = true
                        break
                    }
                    if q == lf { line += 1 }
                    field.append(q)
                    i += 1
                }
                guard closed else {
                    throw DatasetError(.invalidFormat, source: source, line: quoteLine, offset: fieldStartOffset, message: "expected a closing quote for the field starting here, found the end of the file")
                }
                guard i == n || bytes[i] == delimiter || bytes[i] == lf || bytes[i] == cr else {
                    throw DatasetError(.invalidFormat, source: source, line: line, offset: i, message: "expected a delimiter or line end after a closing quote, found '\(Character(Unicode.Scalar(bytes[i])))'")
                }
                atFieldStart = false
                continue
            }
            atFieldStart = false
            if b == delimiter {
                fields.append(try text(field, offset: fieldStartOffset))
                field.removeAll(keepingCapacity: true)
                atFieldStart = true
                i += 1
                fieldStartOffset = i
            } else if b == lf || b == cr {
                fields.append(try text(field, offset: fieldStartOffset))
                field.removeAll(keepingCapacity: true)
                endRecord()
                i += (b == cr && i + 1 < n && bytes[i + 1] == lf) ? 2 : 1
                line += 1
                recordLine = line
                atFieldStart = true
                fieldStartOffset = i
            } else {
                field.append(b)
                i += 1
            }
        }
        if !atFieldStart || !field.isEmpty || !fields.isEmpty {
            fields.append(try text(field, offset: fieldStartOffset))
            endRecord()
        }
        return records
    }
}
