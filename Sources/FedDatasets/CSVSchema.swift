/// The expected layout of a CSV file: which columns to read, their types, which of them may
/// hold missing values, and how missing values are written.
///
/// With a header (the default), columns are found by name, in any order, and columns the
/// schema does not list are ignored. Without a header, the schema lists every column in
/// file order.
public struct CSVSchema: Sendable, Equatable {
    /// The type of a column's values.
    public enum ColumnType: Sendable, Equatable {
        /// A floating-point number, read as `Float`; missing values become `Float.nan`.
        case numeric
        /// A whole number (`Int`), e.g. a count or a coded class; missing values become `nil`.
        case integer
        /// Any text, kept as `String`; missing values become `nil`.
        case categorical
    }

    /// One column of the schema.
    public struct Column: Sendable, Equatable {
        /// The column's name (matched exactly against the header).
        public var name: String
        /// The column's type.
        public var type: ColumnType
        /// Whether a missing value (see `CSVSchema.missingMarkers`) is allowed here; if not,
        /// one is an `.invalidValue` error.
        public var allowsMissing: Bool

        /// Creates a column.
        /// - Parameters:
        ///   - name: the header name.
        ///   - type: the value type.
        ///   - allowsMissing: whether missing values are allowed (default `false`).
        public init(_ name: String, _ type: ColumnType, allowsMissing: Bool = false) {
            self.name = name
            self.type = type
            self.allowsMissing = allowsMissing
        }
    }

    /// The columns to read.
    public var columns: [Column]
    /// Whether the first non-blank line is a header (default `true`).
    public var hasHeader: Bool
    /// Field values (after trimming spaces) that mean "missing": by default the empty field
    /// and `?` (the UCI convention).
    public var missingMarkers: Set<String>
    /// The field separator (default `,`).
    public var delimiter: Character

    /// Creates a schema.
    /// - Parameters:
    ///   - columns: the columns to read.
    ///   - hasHeader: whether the file starts with a header line.
    ///   - missingMarkers: the spellings of a missing value.
    ///   - delimiter: the field separator, an ASCII character.
    public init(
        _ columns: [Column], hasHeader: Bool = true, missingMarkers: Set<String> = ["", "?"],
        delimiter: Character = ","
    ) {
        precondition(delimiter.isASCII && delimiter != "\"" && !delimiter.isNewline, "CSVSchema: delimiter must be ASCII, not a quote or newline")
        self.columns = columns
        self.hasHeader = hasHeader
        self.missingMarkers = missingMarkers
        self.delimiter = delimiter
    }
}
