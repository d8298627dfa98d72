/// The one error type of `FedDatasets`: every bad file, bad row and impossible configuration
/// is reported as a `DatasetError` that names its source (a file path or a parameter name),
/// where in it the problem is (line or byte offset), what was expected and what was found.
///
/// ```
/// /data/heart.csv, line 17: wrong column count: expected 15 columns, got 14
/// ```
public struct DatasetError: Error, CustomStringConvertible {
    /// What kind of problem this is. An open set of codes (new codes can be added without
    /// breaking `switch` statements elsewhere); compare with `==`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short machine-readable name, e.g. `"wrongMagic"`.
        public let name: String

        /// Creates a code; prefer the predefined static codes.
        public init(_ name: String) { self.name = name }

        /// The code's name.
        public var description: String { name }

        /// The file does not exist or could not be read.
        public static let unreadableFile = Code("unreadableFile")
        /// The file (or the decompressed stream) holds no bytes at all.
        public static let emptyFile = Code("emptyFile")
        /// The input ends before a header or the data it announces is complete.
        public static let truncated = Code("truncated")
        /// A compressed (gzip) stream is damaged.
        public static let corruptCompressedData = Code("corruptCompressedData")
        /// A binary file starts with the wrong magic number.
        public static let wrongMagic = Code("wrongMagic")
        /// A CSV row has a different number of fields than the header or schema.
        public static let wrongColumnCount = Code("wrongColumnCount")
        /// A field does not parse as its column's type, or a value is out of range.
        public static let invalidValue = Code("invalidValue")
        /// A column required by the schema is absent from the header.
        public static let missingColumn = Code("missingColumn")
        /// Text is not valid UTF-8.
        public static let invalidEncoding = Code("invalidEncoding")
        /// The file's structure is wrong in another way (trailing bytes, bad quoting, …).
        public static let invalidFormat = Code("invalidFormat")
        /// Two inputs that must agree do not (image and label counts, writer ranges, …).
        public static let inconsistentData = Code("inconsistentData")
        /// A configuration parameter is impossible (more clients than samples, α ≤ 0, …).
        public static let invalidParameter = Code("invalidParameter")
    }

    /// What kind of problem this is.
    public var code: Code
    /// The file path, or the parameter name for configuration errors.
    public var source: String
    /// The 1-based line number in a text file, when known.
    public var line: Int?
    /// The 0-based byte offset in the (decompressed) input, when known.
    public var offset: Int?
    /// What was expected and what was found.
    public var message: String
    /// The underlying error, if this one wraps another (e.g. a Foundation read error).
    public var cause: (any Error)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of problem.
    ///   - source: the file path or parameter name.
    ///   - line: the 1-based line number, if the input is text.
    ///   - offset: the 0-based byte offset, if known.
    ///   - message: what was expected and what was found.
    ///   - cause: an underlying error, if any.
    public init(
        _ code: Code, source: String, line: Int? = nil, offset: Int? = nil,
        message: String, cause: (any Error)? = nil
    ) {
        self.code = code
        self.source = source
        self.line = line
        self.offset = offset
        self.message = message
        self.cause = cause
    }

    /// `source[, line L][, offset O]: code: message[ (cause)]`.
    public var description: String {
        var text = source
        if let line { text += ", line \(line)" }
        if let offset { text += ", offset \(offset)" }
        text += ": \(code): \(message)"
        if let cause { text += " (\(cause))" }
        return text
    }
}
