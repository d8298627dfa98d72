import FedDatasets

/// How a node reads its CSV file into features and a label: which numeric columns are the
/// features (in order), which column is the label and how it becomes a class, and which
/// spellings mean "missing".
///
/// A schema is written as a small JSON file (see `DataSchema.load(from:)`) or chosen by name
/// among the built-in ones (`--schema heart-disease`, see `DataSchema.named(_:)`):
///
/// ```json
/// {
///   "label": {"column": "num", "positive_above": 0},
///   "features": ["age", "sex", "cp", "trestbps", "chol", "fbs", "restecg",
///                "thalach", "exang", "oldpeak", "slope", "ca", "thal"],
///   "missing": ["", "?"],
///   "zero_is_missing": ["chol"],
///   "categorical_drop": ["hospital"]
/// }
/// ```
///
/// - `label`: `column` and exactly one of `positive_above` (a number: the label is 1 when the
///   column's value is above it, else 0) or `classes` (an integer ≥ 2: the column holds the
///   class 0…classes − 1 as an integer). A label may not be missing.
/// - `features`: the numeric feature columns, in feature order (at least one). Feature values
///   may be missing; they are read as NaN and later imputed (see `LocalData`).
/// - `missing` (optional, default `["", "?"]`): the field values, after trimming spaces, that
///   mean "missing".
/// - `zero_is_missing` (optional): feature columns where 0 also means missing (the UCI heart
///   data writes an unknown cholesterol as 0).
/// - `categorical_drop` (optional): non-numeric columns the file is known to have and that
///   are deliberately not used. Like every column the schema does not name, they are ignored;
///   listing them documents the file and guards against using them as a feature or label.
///
/// Unknown keys are errors, so a misspelt key is reported rather than silently ignored.
public struct DataSchema: Sendable, Equatable {
    /// How the label column becomes a class index.
    public enum LabelEncoding: Sendable, Equatable {
        /// Binary: class 1 when the value is above the threshold, else class 0.
        case positiveAbove(Double)
        /// The column holds an integer class in `0..<count`.
        case classes(Int)
    }

    /// Where the schema came from, for error messages: a built-in name (`heart-disease`) or
    /// the path of the JSON file it was read from.
    public var origin: String
    /// The label column.
    public var labelColumn: String
    /// How the label column becomes a class.
    public var labelEncoding: LabelEncoding
    /// The numeric feature columns, in feature order.
    public var features: [String]
    /// The field values (after trimming spaces) that mean "missing".
    public var missingMarkers: Set<String>
    /// Feature columns in which 0 also means "missing".
    public var zeroIsMissing: Set<String>
    /// Non-numeric columns known to be in the file and deliberately not used.
    public var droppedColumns: [String]

    /// Creates a schema.
    /// - Parameters:
    ///   - origin: a name or file path for error messages.
    ///   - labelColumn: the label column.
    ///   - labelEncoding: how its values become classes.
    ///   - features: the numeric feature columns, in order.
    ///   - missingMarkers: the spellings of a missing value (default: empty field and `?`).
    ///   - zeroIsMissing: feature columns where 0 means missing.
    ///   - droppedColumns: columns known to be present and not used.
    /// - Throws: `NodeDataError` `.invalidSchema` when the parts contradict each other (see
    ///   `validate()`).
    public init(origin: String, labelColumn: String, labelEncoding: LabelEncoding, features: [String],
                missingMarkers: Set<String> = ["", "?"], zeroIsMissing: Set<String> = [], droppedColumns: [String] = []) throws {
        self.origin = origin
        self.labelColumn = labelColumn
        self.labelEncoding = labelEncoding
        self.features = features
        self.missingMarkers = missingMarkers
        self.zeroIsMissing = zeroIsMissing
        self.droppedColumns = droppedColumns
        try validate()
    }

    /// Creates a built-in schema whose parts are known to agree (the tests validate each one).
    private init(checkedOrigin: String, labelColumn: String, labelEncoding: LabelEncoding, features: [String],
                 missingMarkers: Set<String>, zeroIsMissing: Set<String>, droppedColumns: [String]) {
        self.origin = checkedOrigin
        self.labelColumn = labelColumn
        self.labelEncoding = labelEncoding
        self.features = features
        self.missingMarkers = missingMarkers
        self.zeroIsMissing = zeroIsMissing
        self.droppedColumns = droppedColumns
    }

    /// The number of classes: 2 for a binarised label, else the declared count.
    public var classCount: Int {
        switch labelEncoding {
        case .positiveAbove: 2
        case .classes(let n): n
        }
    }

    /// The shape of one sample: `[features.count]`.
    public var inputShape: [Int] { [features.count] }

    /// The CSV reader's schema: the features as numeric columns that may be missing, then the
    /// label (numeric for a threshold, integer for classes) that may not.
    public var csvSchema: CSVSchema {
        let label: CSVSchema.Column
        switch labelEncoding {
        case .positiveAbove: label = .init(labelColumn, .numeric)
        case .classes: label = .init(labelColumn, .integer)
        }
        return CSVSchema(features.map { .init($0, .numeric, allowsMissing: true) } + [label], missingMarkers: missingMarkers)
    }

    /// Checks that the parts agree: at least one feature; no column named twice; the label is
    /// not a feature; `zero_is_missing` names features; dropped columns are neither features
    /// nor the label; a threshold is finite; there are at least 2 classes.
    /// - Throws: `NodeDataError` `.invalidSchema` naming `origin` and the JSON path at fault.
    public func validate() throws {
        func fail(_ path: String, _ message: String) -> NodeDataError {
            NodeDataError(.invalidSchema, source: origin, path: path, message)
        }
        guard !labelColumn.isEmpty else { throw fail("label.column", "expected a column name, found an empty string") }
        switch labelEncoding {
        case .positiveAbove(let t):
            guard t.isFinite else { throw fail("label.positive_above", "expected a finite number, found \(t)") }
        case .classes(let n):
            guard n >= 2 else { throw fail("label.classes", "expected an integer ≥ 2, found \(n)") }
        }
        guard !features.isEmpty else { throw fail("features", "expected at least one feature column, found none") }
        var seen: Set<String> = []
        for (i, f) in features.enumerated() {
            guard !f.isEmpty else { throw fail("features[\(i)]", "expected a column name, found an empty string") }
            guard seen.insert(f).inserted else { throw fail("features[\(i)]", "expected each feature once, found '\(f)' again") }
            guard f != labelColumn else { throw fail("features[\(i)]", "expected a feature column, found the label column '\(f)'") }
        }
        for z in zeroIsMissing.sorted() where !seen.contains(z) {
            throw fail("zero_is_missing", "expected feature columns, found '\(z)', which is not in \"features\"")
        }
        for (i, d) in droppedColumns.enumerated() where seen.contains(d) || d == labelColumn {
            throw fail("categorical_drop[\(i)]", "expected a column that is neither a feature nor the label, found '\(d)'")
        }
    }
}

extension DataSchema {
    /// The names of the built-in schemas, for `--schema NAME`.
    public static let builtInNames = ["heart-disease"]

    /// UCI Heart Disease (`heart_disease_4hospitals.csv` or one hospital's share of it): the 13
    /// features in `HeartDisease.featureNames` order, label `num > 0`, a cholesterol of 0 as
    /// missing, the `hospital` column dropped: exactly what `HeartDisease.load` reads.
    public static let heartDisease = DataSchema(
        checkedOrigin: "heart-disease", labelColumn: "num", labelEncoding: .positiveAbove(0), features: HeartDisease.featureNames,
        missingMarkers: ["", "?"], zeroIsMissing: ["chol"], droppedColumns: ["hospital"])

    /// A built-in schema by name.
    /// - Parameter name: one of `builtInNames`.
    /// - Returns: the schema, or nil for an unknown name.
    public static func named(_ name: String) -> DataSchema? {
        switch name {
        case "heart-disease": heartDisease
        default: nil
        }
    }
}
