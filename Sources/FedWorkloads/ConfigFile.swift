import Foundation

/// A configuration file in a strict subset of TOML, as read by `feddata coordinator --config
/// coordinator.toml` and `feddata node --config node.toml`.
///
/// ```toml
/// # coordinator.toml
/// rounds = 20
/// strategy = "fedavg"
///
/// [server]
/// listen = "0.0.0.0:7070"
/// allowed = [
///   "hospital-a",   # comments and line breaks are allowed inside arrays
///   "hospital-b",
/// ]
///
/// [server.tls]
/// enabled = true
/// ```
///
/// Supported: `#` comments, blank lines, `[table]` and `[a.b]` headers, `key = value` with bare
/// keys (`A–Z a–z 0–9 _ -`), and values: basic strings `"…"` (escapes `\"` `\\` `\n` `\t`
/// `\r` `\b` `\f` `\uXXXX` `\UXXXXXXXX`), literal strings `'…'`, integers (`-17`, `1_000`),
/// floats (`0.5`, `-3e-4`, `6.02E23`), booleans, and arrays of these (over several lines,
/// trailing comma allowed). Anything else (dotted or quoted keys, inline tables, arrays of
/// tables, multi-line strings, dates, hexadecimal numbers) is an error rather than being
/// half-read. Keys are addressed as dotted paths: `rounds`, `server.listen`, `server.tls.enabled`.
///
/// Every error is a `ConfigFileError` naming the file, the line (and column) and what was
/// expected; the typed getters (`int(_:)`, `string(_:)`, …) return nil for an absent key and
/// throw for a value of the wrong kind:
/// `coordinator.toml: 'rounds' (line 4): expected an integer, found a string`.
public struct ConfigFile: Sendable {
    /// A value in the file.
    public enum Value: Sendable, Equatable {
        /// A basic or literal string.
        case string(String)
        /// An integer.
        case integer(Int)
        /// A float.
        case float(Double)
        /// `true` or `false`.
        case boolean(Bool)
        /// An array of values (kinds may mix, as in TOML 1.0).
        case array([Value])

        /// The kind of value, for error messages: `a string`, `an integer`, …
        public var kind: String {
            switch self {
            case .string: "a string"
            case .integer: "an integer"
            case .float: "a float"
            case .boolean: "a boolean"
            case .array: "an array"
            }
        }
    }

    /// One key's value and where it was written.
    public struct Entry: Sendable, Equatable {
        /// The value.
        public var value: Value
        /// The 1-based line of the key.
        public var line: Int
        /// The 1-based column of the key.
        public var column: Int
    }

    /// The file path (or another name) the text came from, for error messages.
    public let source: String
    /// Every key as a dotted path, in file order.
    public let keys: [String]
    /// The tables declared with a `[header]`, as dotted paths, in file order.
    public let tables: [String]
    /// The entries by dotted path.
    let entries: [String: Entry]

    /// Parses configuration text.
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - source: the file path or another name, for error messages.
    /// - Throws: `ConfigFileError` naming `source`, line and column: a duplicate key or table,
    ///   an unterminated string or array, a bad escape, a malformed or out-of-range number, a
    ///   missing `=`, text after a value, or an unsupported TOML feature.
    public static func parse(text: String, source: String) throws -> ConfigFile {
        var parser = ConfigParser(text: text, source: source)
        try parser.parse()
        return ConfigFile(source: source, keys: parser.keys, tables: parser.tableOrder, entries: parser.entries)
    }

    /// Reads and parses a configuration file (UTF-8).
    /// - Parameter url: the file.
    /// - Throws: `ConfigFileError` `.unreadableFile` or `.invalidEncoding` naming the file, or
    ///   as `parse(text:source:)` with the file's path as the source.
    public static func load(from url: URL) throws -> ConfigFile {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw ConfigFileError(.unreadableFile, source: url.path, "expected a readable configuration file", cause: error)
        }
        guard var text = String(validating: [UInt8](data), as: UTF8.self) else {
            throw ConfigFileError(.invalidEncoding, source: url.path, "expected UTF-8 text, found invalid bytes")
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        return try parse(text: text, source: url.path)
    }

    /// The value at a dotted path, of any kind, or nil when the key is absent.
    public func value(_ key: String) -> Value? { entries[key]?.value }

    /// The line and column where a key is written, or nil when it is absent.
    public func entry(_ key: String) -> Entry? { entries[key] }

    /// The string at `key`, or nil when the key is absent.
    /// - Throws: `ConfigFileError` `.wrongType` naming the file, key and line when the value is not a string.
    public func string(_ key: String) throws -> String? {
        try typed(key, "a string") { if case .string(let s) = $0 { s } else { nil } }
    }

    /// The integer at `key`, or nil when the key is absent.
    /// - Throws: `ConfigFileError` `.wrongType` when the value is not an integer.
    public func int(_ key: String) throws -> Int? {
        try typed(key, "an integer") { if case .integer(let n) = $0 { n } else { nil } }
    }

    /// The number at `key` (a float, or an integer converted), or nil when the key is absent.
    /// - Throws: `ConfigFileError` `.wrongType` when the value is not a number.
    public func double(_ key: String) throws -> Double? {
        try typed(key, "a number") {
            switch $0 {
            case .float(let x): x
            case .integer(let n): Double(n)
            default: nil
            }
        }
    }

    /// The boolean at `key`, or nil when the key is absent.
    /// - Throws: `ConfigFileError` `.wrongType` when the value is not `true` or `false`.
    public func bool(_ key: String) throws -> Bool? {
        try typed(key, "a boolean") { if case .boolean(let b) = $0 { b } else { nil } }
    }

    /// The array of strings at `key`, or nil when the key is absent.
    /// - Throws: `ConfigFileError` `.wrongType` when the value is not an array, or an element
    ///   is not a string (naming its position).
    public func strings(_ key: String) throws -> [String]? {
        guard let entry = entries[key] else { return nil }
        guard case .array(let values) = entry.value else { throw wrongType(key, entry, "an array of strings", found: entry.value.kind) }
        return try values.enumerated().map { i, v in
            guard case .string(let s) = v else {
                throw wrongType(key, entry, "an array of strings", found: "\(v.kind) at position \(i)")
            }
            return s
        }
    }

    /// The keys in the file that are not in `allowed`, in file order: callers reject these to
    /// catch misspelt keys.
    /// - Parameter allowed: the dotted paths the caller understands.
    public func unknownKeys(allowed: Set<String>) -> [String] {
        keys.filter { !allowed.contains($0) }
    }

    private func typed<T>(_ key: String, _ expected: String, _ extract: (Value) -> T?) throws -> T? {
        guard let entry = entries[key] else { return nil }
        guard let v = extract(entry.value) else { throw wrongType(key, entry, expected, found: entry.value.kind) }
        return v
    }

    private func wrongType(_ key: String, _ entry: Entry, _ expected: String, found: String) -> ConfigFileError {
        ConfigFileError(.wrongType, source: source, line: entry.line, column: entry.column, key: key, "expected \(expected), found \(found)")
    }
}

/// An error in a configuration file: it names the file, the line (and column, or the key),
/// what was expected and what was found.
///
/// ```
/// node.toml, line 7, column 11: expected a closing " before the end of the line (unterminated string)
/// coordinator.toml: 'rounds' (line 4): expected an integer, found a string
/// ```
public struct ConfigFileError: Error, CustomStringConvertible, Sendable {
    /// What kind of problem this is: an open set of codes, compared with `==`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short machine-readable name, e.g. `"duplicateKey"`.
        public let name: String

        /// Creates a code; prefer the predefined static codes.
        public init(_ name: String) { self.name = name }

        /// The code's name.
        public var description: String { name }

        /// The file could not be read.
        public static let unreadableFile = Code("unreadableFile")
        /// The file is not UTF-8 text.
        public static let invalidEncoding = Code("invalidEncoding")
        /// The text is not in the supported TOML subset (a missing `=`, text after a value, …).
        public static let invalidSyntax = Code("invalidSyntax")
        /// A value is malformed: an unterminated string, a bad escape, a bad number.
        public static let invalidValue = Code("invalidValue")
        /// A key or table is defined twice, or as both a value and a table.
        public static let duplicateKey = Code("duplicateKey")
        /// A TOML feature outside the subset (inline tables, dates, multi-line strings, …).
        public static let unsupported = Code("unsupported")
        /// A key's value is of a different kind than its reader expects.
        public static let wrongType = Code("wrongType")
    }

    /// What kind of problem this is.
    public var code: Code
    /// The file path (or name) of the configuration.
    public var source: String
    /// The 1-based line, when known.
    public var line: Int?
    /// The 1-based column (in Unicode scalars), when known.
    public var column: Int?
    /// The dotted key at fault, for type errors.
    public var key: String?
    /// What was expected and what was found.
    public var message: String
    /// The underlying error, if any.
    public var cause: (any Error)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of problem.
    ///   - source: the file path or name.
    ///   - line: the 1-based line, if known.
    ///   - column: the 1-based column, if known.
    ///   - key: the dotted key at fault, if any.
    ///   - message: what was expected and what was found.
    ///   - cause: an underlying error, if any.
    public init(_ code: Code, source: String, line: Int? = nil, column: Int? = nil, key: String? = nil, _ message: String,
                cause: (any Error)? = nil) {
        self.code = code
        self.source = source
        self.line = line
        self.column = column
        self.key = key
        self.message = message
        self.cause = cause
    }

    /// `source: 'key' (line L): message` for a key's error, else
    /// `source[, line L[, column C]]: message`; then ` (cause)` if any.
    public var description: String {
        var text = source
        if let key {
            text += ": '\(key)'" + (line.map { " (line \($0))" } ?? "")
        } else if let line {
            text += ", line \(line)" + (column.map { ", column \($0)" } ?? "")
        }
        text += ": \(message)"
        if let cause { text += " (\(cause))" }
        return text
    }
}

/// The parser behind `ConfigFile.parse(text:source:)`: one pass over the text's Unicode
/// scalars, line by line.
struct ConfigParser {
    let source: String
    let s: [Unicode.Scalar]
    /// The position of the next scalar.
    var i = 0
    /// The 1-based line of `s[i]`, and the index where that line starts.
    var line = 1, lineStart = 0
    /// The current table's dotted path ("" at the top level).
    var table = ""
    var entries: [String: ConfigFile.Entry] = [:]
    var keys: [String] = []
    /// Tables declared with a header, and the line of each header.
    var tables: [String: Int] = [:]
    var tableOrder: [String] = []
    /// Every proper prefix of a key or table path: a table that exists implicitly.
    var implicitTables: Set<String> = []

    init(text: String, source: String) {
        self.source = source
        self.s = Array(text.unicodeScalars)
    }

    var column: Int { i - lineStart + 1 }
    var atEnd: Bool { i >= s.count }
    var current: Unicode.Scalar? { atEnd ? nil : s[i] }

    func error(_ code: ConfigFileError.Code, line: Int? = nil, column: Int? = nil, _ message: String) -> ConfigFileError {
        ConfigFileError(code, source: source, line: line ?? self.line, column: column ?? self.column, message)
    }

    /// How the next scalar reads in a message: `'x'`, `the end of the line`, `the end of the file`.
    var found: String {
        guard let c = current else { return "the end of the file" }
        if c == "\n" || c == "\r" { return "the end of the line" }
        return "'\(Character(c))'"
    }

    // MARK: Lines

    mutating func parse() throws {
        while !atEnd {
            skipSpaces()
            guard let c = current else { break }
            if c == "#" || c == "\n" || c == "\r" {
                try endOfLine(after: "a comment")
                continue
            }
            if c == "[" { try tableHeader() } else { try keyValue() }
        }
    }

    mutating func skipSpaces() {
        while let c = current, c == " " || c == "\t" { i += 1 }
    }

    /// Skips spaces and a comment, then consumes a line break or accepts the end of the file.
    mutating func endOfLine(after what: String) throws {
        skipSpaces()
        if current == "#" {
            while let c = current, c != "\n", c != "\r" { i += 1 }
        }
        guard !atEnd else { return }
        guard try newline() else {
            throw error(.invalidSyntax, "expected the end of the line after \(what), found \(found)")
        }
    }

    /// Consumes `\n` or `\r\n` if next; false if something else is next.
    mutating func newline() throws -> Bool {
        if current == "\r" {
            guard i + 1 < s.count, s[i + 1] == "\n" else {
                throw error(.invalidSyntax, "expected a line break (\\n or \\r\\n), found a lone carriage return")
            }
            i += 1
        }
        guard current == "\n" else { return false }
        i += 1
        line += 1
        lineStart = i
        return true
    }

    // MARK: Keys and tables

    static func isBareKeyScalar(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-"
    }

    mutating func bareKey(in what: String) throws -> String {
        if current == "\"" || current == "'" {
            throw error(.unsupported, "expected a bare key (letters, digits, _ or -) in \(what); quoted keys are not supported")
        }
        let start = i
        while let c = current, Self.isBareKeyScalar(c) { i += 1 }
        guard i > start else {
            throw error(.invalidSyntax, "expected a bare key (letters, digits, _ or -) in \(what), found \(found)")
        }
        var key = ""
        key.unicodeScalars.append(contentsOf: s[start..<i])
        return key
    }

    /// `[a.b.c]`: makes `a.b.c` the current table.
    mutating func tableHeader() throws {
        let (headerLine, headerColumn) = (line, column)
        i += 1  // [
        if current == "[" { throw error(.unsupported, column: headerColumn, "arrays of tables ([[…]]) are not supported") }
        var parts: [String] = []
        while true {
            skipSpaces()
            parts.append(try bareKey(in: "a table header"))
            skipSpaces()
            if current == "." { i += 1; continue }
            guard current == "]" else { throw error(.invalidSyntax, "expected '.' or ']' in the table header, found \(found)") }
            i += 1
            break
        }
        let path = parts.joined(separator: ".")
        if let first = tables[path] {
            throw error(.duplicateKey, line: headerLine, column: headerColumn, "table [\(path)] is defined twice: first on line \(first)")
        }
        for prefix in Self.prefixes(of: parts) + [path] {
            if let e = entries[prefix] {
                throw error(.duplicateKey, line: headerLine, column: headerColumn,
                            "table [\(path)]: '\(prefix)' is already a value (line \(e.line)), so it cannot be a table")
            }
        }
        tables[path] = headerLine
        tableOrder.append(path)
        implicitTables.formUnion(Self.prefixes(of: parts))
        table = path
        try endOfLine(after: "the table header [\(path)]")
    }

    /// `key = value` in the current table.
    mutating func keyValue() throws {
        let (keyLine, keyColumn) = (line, column)
        let key = try bareKey(in: "a key = value line")
        skipSpaces()
        if current == "." {
            throw error(.unsupported, "dotted keys are not supported; put '\(key)' under a [table] header instead")
        }
        guard current == "=" else { throw error(.invalidSyntax, "expected '=' after the key '\(key)', found \(found)") }
        i += 1
        skipSpaces()
        let value = try parseValue()
        let path = table.isEmpty ? key : "\(table).\(key)"
        if let first = entries[path] {
            throw error(.duplicateKey, line: keyLine, column: keyColumn, "duplicate key '\(path)': first defined on line \(first.line)")
        }
        if tables[path] != nil || implicitTables.contains(path) {
            throw error(.duplicateKey, line: keyLine, column: keyColumn, "key '\(path)' is already a table, so it cannot be a value")
        }
        entries[path] = ConfigFile.Entry(value: value, line: keyLine, column: keyColumn)
        keys.append(path)
        try endOfLine(after: "the value of '\(path)'")
    }

    /// "a", "a.b" for ["a", "b", "c"].
    static func prefixes(of parts: [String]) -> [String] {
        (1..<max(1, parts.count)).map { parts[..<$0].joined(separator: ".") }
    }

    // MARK: Values

    mutating func parseValue() throws -> ConfigFile.Value {
        guard let c = current, c != "\n", c != "\r", c != "#" else {
            throw error(.invalidValue, "expected a value (a string, integer, float, boolean or array), found \(found)")
        }
        switch c {
        case "\"": return .string(try basicString())
        case "'": return .string(try literalString())
        case "[": return .array(try array())
        case "{": throw error(.unsupported, "inline tables ({…}) are not supported; use a [table] header")
        default: return try scalarToken()
        }
    }

    /// `"…"` with escapes, on one line.
    mutating func basicString() throws -> String {
        let (openLine, openColumn) = (line, column)
        if i + 2 < s.count, s[i + 1] == "\"", s[i + 2] == "\"" {
            throw error(.unsupported, "multi-line strings (\"\"\"…\"\"\") are not supported")
        }
        i += 1
        var out = String.UnicodeScalarView()
        while true {
            guard let c = current, c != "\n", c != "\r" else {
                throw error(.invalidValue, line: openLine, column: openColumn,
                            "expected a closing \" before \(found) (unterminated string)")
            }
            i += 1
            if c == "\"" { return String(out) }
            if c == "\\" {
                out.append(try escape())
            } else if Self.isControl(c) {
                throw error(.invalidValue, column: column - 1, "expected text in a string, found the control character U+\(Self.hex(c.value, 4))")
            } else {
                out.append(c)
            }
        }
    }

    /// The scalar an escape stands for; `i` is just past the backslash.
    mutating func escape() throws -> Unicode.Scalar {
        let escapeColumn = column - 1
        guard let e = current, e != "\n", e != "\r" else {
            throw error(.invalidValue, column: escapeColumn, "expected an escape after '\\', found \(found)")
        }
        i += 1
        switch e {
        case "\"": return "\""
        case "\\": return "\\"
        case "n": return "\n"
        case "t": return "\t"
        case "r": return "\r"
        case "b": return "\u{08}"
        case "f": return "\u{0C}"
        case "u", "U":
            let digits = e == "u" ? 4 : 8
            var value: UInt32 = 0
            for _ in 0..<digits {
                guard let h = current, let d = Self.hexValue(h) else {
                    throw error(.invalidValue, column: escapeColumn, "expected \(digits) hexadecimal digits after '\\\(e)', found \(found)")
                }
                value = value << 4 | d
                i += 1
            }
            guard let scalar = Unicode.Scalar(value) else {
                throw error(.invalidValue, column: escapeColumn, "expected a Unicode scalar value in '\\\(e)', found U+\(Self.hex(value, digits)) (a surrogate or out of range)")
            }
            return scalar
        default:
            throw error(.invalidValue, column: escapeColumn,
                        "expected an escape \\\" \\\\ \\n \\t \\r \\b \\f \\uXXXX or \\UXXXXXXXX, found '\\\(Character(e))'")
        }
    }

    /// `'…'`, taken literally, on one line.
    mutating func literalString() throws -> String {
        let (openLine, openColumn) = (line, column)
        if i + 2 < s.count, s[i + 1] == "'", s[i + 2] == "'" {
            throw error(.unsupported, "multi-line literal strings ('''…''') are not supported")
        }
        i += 1
        var out = String.UnicodeScalarView()
        while true {
            guard let c = current, c != "\n", c != "\r" else {
                throw error(.invalidValue, line: openLine, column: openColumn, "expected a closing ' before \(found) (unterminated string)")
            }
            i += 1
            if c == "'" { return String(out) }
            if Self.isControl(c) {
                throw error(.invalidValue, column: column - 1, "expected text in a string, found the control character U+\(Self.hex(c.value, 4))")
            }
            out.append(c)
        }
    }

    /// `[v, v, …]`, possibly over several lines with comments, trailing comma allowed.
    mutating func array() throws -> [ConfigFile.Value] {
        let (openLine, openColumn) = (line, column)
        i += 1  // [
        var values: [ConfigFile.Value] = []
        func unterminated(_ p: ConfigParser) -> ConfigFileError {
            p.error(.invalidValue, "expected ']' to close the array opened on line \(openLine), column \(openColumn), found the end of the file")
        }
        while true {
            try skipArraySpace()
            guard let c = current else { throw unterminated(self) }
            if c == "]" { i += 1; return values }
            if c == "," { throw error(.invalidValue, "expected a value or ']' in the array, found ','") }
            values.append(try parseValue())
            try skipArraySpace()
            guard let d = current else { throw unterminated(self) }
            if d == "," { i += 1; continue }
            if d == "]" { i += 1; return values }
            throw error(.invalidSyntax, "expected ',' or ']' after an array element, found \(found)")
        }
    }

    /// Spaces, line breaks and comments between array elements.
    mutating func skipArraySpace() throws {
        while true {
            skipSpaces()
            if current == "#" {
                while let c = current, c != "\n", c != "\r" { i += 1 }
            }
            guard current == "\n" || current == "\r" else { return }
            _ = try newline()
        }
    }

    /// A boolean, integer or float: the run of scalars up to a space, `,`, `]`, `#` or line end.
    mutating func scalarToken() throws -> ConfigFile.Value {
        let startColumn = column
        let start = i
        while let c = current, !" \t\r\n,]#".unicodeScalars.contains(c) { i += 1 }
        var token = ""
        token.unicodeScalars.append(contentsOf: s[start..<i])
        func bad(_ message: String) -> ConfigFileError { error(.invalidValue, column: startColumn, message) }
        switch token {
        case "true": return .boolean(true)
        case "false": return .boolean(false)
        default: break
        }
        guard !token.isEmpty else {
            throw error(.invalidValue, "expected a value (a string, integer, float, boolean or array), found \(found)")
        }
        guard let number = Self.number(token) else {
            // 1979-05-27, 07:32:00, 1979-05-27T07:32:00Z: TOML dates and times.
            let looksLikeDate = token.contains(":") || (token.count >= 10 && token.prefix(4).allSatisfy(\.isNumber) && token.dropFirst(4).first == "-")
            if looksLikeDate {
                throw error(.unsupported, column: startColumn, "dates and times are not supported; found '\(token)' (quote it to make it a string)")
            }
            throw bad("expected a value (a string, integer, float, boolean or array), found '\(token)'"
                + (token.first.map { $0.isLetter } == true ? " (strings need quotes)" : ""))
        }
        switch number {
        case .integer(let text):
            guard let n = Int(text) else { throw bad("expected an integer in \(Int.min)…\(Int.max), found '\(token)'") }
            return .integer(n)
        case .float(let text):
            guard let x = Double(text), x.isFinite else { throw bad("expected a finite float, found '\(token)'") }
            return .float(x)
        case .leadingZero:
            throw bad("expected a number without leading zeros, found '\(token)'")
        }
    }

    enum NumberToken {
        case integer(String)
        case float(String)
        case leadingZero
    }

    /// Classifies a TOML decimal integer or float, returning its text without underscores, or
    /// nil when it is neither. Underscores must stand between two digits.
    static func number(_ token: String) -> NumberToken? {
        var rest = Substring(token)
        var sign = ""
        if let f = rest.first, f == "+" || f == "-" { sign = f == "-" ? "-" : ""; rest = rest.dropFirst() }
        // Split into integer part, fraction and exponent.
        var integerPart = rest, fraction: Substring? = nil, exponent: Substring? = nil
        if let e = rest.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            integerPart = rest[..<e]
            exponent = rest[rest.index(after: e)...]
        }
        if let dot = integerPart.firstIndex(of: ".") {
            fraction = integerPart[integerPart.index(after: dot)...]
            integerPart = integerPart[..<dot]
        }
        guard let intDigits = digits(integerPart) else { return nil }
        if let fraction { guard digits(fraction) != nil else { return nil } }
        var exponentText = ""
        if var exponent {
            var expSign = ""
            if let f = exponent.first, f == "+" || f == "-" { expSign = String(f); exponent = exponent.dropFirst() }
            guard let d = digits(exponent) else { return nil }
            exponentText = "e" + expSign + d
        }
        if intDigits.count > 1 && intDigits.first == "0" { return .leadingZero }
        if fraction == nil && exponent == nil { return .integer(sign + intDigits) }
        return .float(sign + intDigits + (fraction.map { "." + digits($0)! } ?? "") + exponentText)
    }

    /// The digits of `text` without underscores, when it is digits with single underscores
    /// between them; else nil.
    static func digits(_ text: Substring) -> String? {
        guard let first = text.first, let last = text.last, first.isASCII, first.isNumber, last.isASCII, last.isNumber,
              !text.contains("__"), text.allSatisfy({ $0 == "_" || ($0.isASCII && $0.isNumber) })
        else { return nil }
        return text.filter { $0 != "_" }
    }

    static func isControl(_ c: Unicode.Scalar) -> Bool {
        (c.value < 0x20 && c != "\t") || c.value == 0x7F
    }

    static func hexValue(_ c: Unicode.Scalar) -> UInt32? {
        switch c {
        case "0"..."9": c.value - 0x30
        case "a"..."f": c.value - 0x61 + 10
        case "A"..."F": c.value - 0x41 + 10
        default: nil
        }
    }

    static func hex(_ value: UInt32, _ width: Int) -> String {
        let h = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - h.count)) + h
    }
}
