import FedBundledData
import FedDatasets
import Foundation

extension LocalData {
    /// The bundled UCI Heart Disease file of all four hospitals (`hospital,age,…,thal,num`).
    public static var bundledHeartDiseaseFile: URL {
        BundledData.file("heart_disease/heart_disease_4hospitals.csv")
    }

    /// The file name of one hospital's share: `heart-<hospital>.csv`, e.g. `heart-hungary.csv`.
    public static func hospitalFileName(_ hospital: String) -> String { "heart-\(hospital).csv" }

    /// Splits the four-hospital Heart Disease file into one CSV per hospital, so that each node
    /// of a real federation can be given only its own hospital's rows (`--data heart-hungary.csv
    /// --schema heart-disease`). Each file has the original header line and that hospital's
    /// rows in file order, each line's text unchanged (lines end in `\n`); each is written atomically (a temporary file in
    /// `directory`, then renamed into place), so a reader never sees half a file.
    ///
    /// - Parameters:
    ///   - source: the combined file (default: the bundled one).
    ///   - directory: the folder to write to (created if absent).
    /// - Returns: the files written, one per hospital in order of first appearance
    ///   (`heart-cleveland.csv`, `heart-hungary.csv`, `heart-switzerland.csv`,
    ///   `heart-va_long_beach.csv` for the bundled file).
    /// - Throws: the reader's `DatasetError` (file and line) for an unreadable file or a row
    ///   without a hospital; `NodeDataError` `.invalidData` for a hospital not in
    ///   `HeartDisease.hospitalNames` or a record spanning several lines; `.writeFailed`
    ///   naming the file that could not be written.
    @discardableResult
    public static func writeHospitalFiles(from source: URL = bundledHeartDiseaseFile, to directory: URL) throws -> [URL] {
        let bytes: [UInt8]
        do {
            bytes = [UInt8](try Data(contentsOf: source))
        } catch {
            throw DatasetError(.unreadableFile, source: source.path, message: "expected a readable CSV file", cause: error)
        }
        let table = try CSVReader.parse(bytes, source: source.path, schema: CSVSchema([.init("hospital", .categorical)]))
        // Lines as written (without their line break); line L of the file is lines[L - 1].
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasSuffix("\r") ? String($0.dropLast()) : String($0) }
        if let first = lines.first, first.hasPrefix("\u{FEFF}") { lines[0] = String(first.dropFirst()) }
        let nonBlank = lines.indices.filter { !lines[$0].trimmingCharacters(in: .whitespaces).isEmpty }
        // One record per line: the header and then exactly the table's rows.
        guard let headerIndex = nonBlank.first, Array(nonBlank.dropFirst()) == table.lineNumbers.map({ $0 - 1 }) else {
            throw NodeDataError(.invalidData, source: source.path,
                                "expected one CSV record per line (no line breaks inside quoted fields)")
        }
        var order: [String] = []
        var rows: [String: [String]] = [:]
        for (r, hospital) in table.strings("hospital").enumerated() {
            let hospital = hospital!  // the column does not allow missing values
            guard HeartDisease.hospitalNames.contains(hospital) else {
                throw NodeDataError(.invalidData, source: source.path, line: table.lineNumbers[r],
                                    "column 'hospital': expected one of \(HeartDisease.hospitalNames), found '\(hospital)'")
            }
            if rows[hospital] == nil { order.append(hospital) }
            rows[hospital, default: []].append(lines[table.lineNumbers[r] - 1])
        }
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw NodeDataError(.writeFailed, source: directory.path, "expected to create the output folder", cause: error)
        }
        return try order.map { hospital in
            let url = directory.appendingPathComponent(hospitalFileName(hospital))
            let text = ([lines[headerIndex]] + rows[hospital]!).joined(separator: "\n") + "\n"
            do {
                try Data(text.utf8).write(to: url, options: .atomic)  // temporary file + rename
            } catch {
                throw NodeDataError(.writeFailed, source: url.path, "expected to write \(hospital)'s rows", cause: error)
            }
            return url
        }
    }
}
