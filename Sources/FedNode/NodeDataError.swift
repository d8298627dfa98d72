/// An error in a node's local data: a schema file that does not describe a valid schema, a
/// CSV file that does not fit its schema, or an impossible split or share. It names the file
/// (or the parameter), where in it the problem is, what was expected and what was found.
///
/// ```
/// schema.json: "label.column": expected a string, found a number
/// ./heart-hungary.csv, line 1: missing column: schema heart-disease expects a column 'chol'; …
/// ```
///
/// Errors of the CSV reader itself (a bad row, a bad number) are `DatasetError`s from
/// `FedDatasets`, which already name the file and line; they pass through unchanged.
public struct NodeDataError: Error, CustomStringConvertible, Sendable {
    /// What kind of problem this is: an open set of codes, compared with `==`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short machine-readable name, e.g. `"invalidSchema"`.
        public let name: String

        /// Creates a code; prefer the predefined static codes.
        public init(_ name: String) { self.name = name }

        /// The code's name.
        public var description: String { name }

        /// A schema file is unreadable, not JSON, or has a wrong, missing or unknown entry.
        public static let invalidSchema = Code("invalidSchema")
        /// A `--schema` name is neither a built-in schema nor a readable file.
        public static let unknownSchema = Code("unknownSchema")
        /// A column the schema needs is absent from the CSV header.
        public static let missingColumn = Code("missingColumn")
        /// A value in the data breaks the schema (a label outside its classes, too few rows).
        public static let invalidData = Code("invalidData")
        /// A parameter is impossible (a node index outside `0..<nodes`, a fraction outside [0, 1)).
        public static let invalidParameter = Code("invalidParameter")
        /// A file could not be written.
        public static let writeFailed = Code("writeFailed")
    }

    /// What kind of problem this is.
    public var code: Code
    /// The file path (schema or CSV), or the parameter name for configuration errors.
    public var source: String
    /// The JSON path inside a schema file (e.g. `label.column`), when the problem is there.
    public var path: String?
    /// The 1-based line number in a CSV file, when known.
    public var line: Int?
    /// What was expected and what was found.
    public var message: String
    /// The underlying error, if this one wraps another.
    public var cause: (any Error)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of problem.
    ///   - source: the file path or parameter name.
    ///   - path: the JSON path inside a schema file, if any.
    ///   - line: the 1-based line in a CSV file, if any.
    ///   - message: what was expected and what was found.
    ///   - cause: an underlying error, if any.
    public init(_ code: Code, source: String, path: String? = nil, line: Int? = nil, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.source = source
        self.path = path
        self.line = line
        self.message = message
        self.cause = cause
    }

    /// `source[: "path"][, line L]: message[ (cause)]`.
    public var description: String {
        var text = source
        if let path { text += ": \"\(path)\"" }
        if let line { text += ", line \(line)" }
        text += ": \(message)"
        if let cause { text += " (\(cause))" }
        return text
    }
}
