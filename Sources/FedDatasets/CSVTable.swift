/// The typed contents of a CSV file read with a `CSVSchema`: one value array per schema
/// column, all of length `rowCount`.
public struct CSVTable: Sendable, Equatable {
    /// The values of one column.
    public enum Values: Sendable, Equatable {
        /// A `.numeric` column; missing values are `Float.nan`.
        case numeric([Float])
        /// An `.integer` column; missing values are `nil`.
        case integer([Int?])
        /// A `.categorical` column; missing values are `nil`.
        case categorical([String?])
    }

    /// The schema the file was read with.
    public let schema: CSVSchema
    /// The values of each schema column, in schema order.
    public let columns: [Values]
    /// The 1-based line number in the file where each row starts (for error messages).
    public let lineNumbers: [Int]
    /// The file path the table was read from.
    public let source: String

    /// Creates a table (used by `CSVReader`).
    public init(schema: CSVSchema, columns: [Values], lineNumbers: [Int], source: String) {
        precondition(columns.count == schema.columns.count, "CSVTable: \(columns.count) value arrays for \(schema.columns.count) schema columns")
        self.schema = schema
        self.columns = columns
        self.lineNumbers = lineNumbers
        self.source = source
    }

    /// The number of data rows.
    public var rowCount: Int { lineNumbers.count }

    /// The values of the `.numeric` column `name` (NaN = missing).
    /// - Precondition: the schema has a numeric column of that name.
    public func numeric(_ name: String) -> [Float] {
        guard case .numeric(let v) = columns[index(of: name)] else { preconditionFailure("CSVTable: column \(name) is not numeric") }
        return v
    }

    /// The values of the `.integer` column `name` (`nil` = missing).
    /// - Precondition: the schema has an integer column of that name.
    public func integers(_ name: String) -> [Int?] {
        guard case .integer(let v) = columns[index(of: name)] else { preconditionFailure("CSVTable: column \(name) is not integer") }
        return v
    }

    /// The values of the `.categorical` column `name` (`nil` = missing).
    /// - Precondition: the schema has a categorical column of that name.
    public func strings(_ name: String) -> [String?] {
        guard case .categorical(let v) = columns[index(of: name)] else { preconditionFailure("CSVTable: column \(name) is not categorical") }
        return v
    }

    private func index(of name: String) -> Int {
        guard let i = schema.columns.firstIndex(where: { $0.name == name }) else {
            preconditionFailure("CSVTable: no column \(name) in the schema")
        }
        return i
    }
}
