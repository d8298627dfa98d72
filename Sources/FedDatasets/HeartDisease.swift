import Foundation

/// UCI Heart Disease from four hospitals (Janosi, Steinbrunn, Pfisterer, Detrano 1988;
/// CC BY 4.0), the FLamby Fed-Heart-Disease benchmark: 920 patients, 13 attributes, and the
/// binary label "disease present" (`num > 0`). The natural split is one client per hospital:
/// Cleveland 303, Hungary 294, Switzerland 123, VA Long Beach 200.
///
/// **Missing values.** Features are returned *raw*, with missing values as `Float.nan`
/// (an empty field in the CSV; `?` in the UCI originals). With `zeroCholesterolIsMissing`
/// (the default) a serum cholesterol of 0, which the UCI documentation uses for "unknown"
/// (all of Switzerland, 49 VA rows), is also NaN. Use `Standardizer` to impute and scale:
/// fit it on a training subset (for example one hospital's own rows, so that each node uses
/// only its local statistics) and apply it; missing values become the fitted column mean.
public struct HeartDisease: Sendable {
    /// The 13 feature columns, in feature order.
    public static let featureNames = [
        "age", "sex", "cp", "trestbps", "chol", "fbs", "restecg",
        "thalach", "exang", "oldpeak", "slope", "ca", "thal",
    ]
    /// The hospital keys, in file order.
    public static let hospitalNames = ["cleveland", "hungary", "switzerland", "va_long_beach"]

    /// Raw features `[13]` per patient (NaN = missing) and labels 0 (no disease) / 1 (disease).
    public var dataset: LabeledDataset
    /// Each patient's hospital key.
    public var hospitals: [String]
    /// Each patient's original diagnosis `num` (0–4).
    public var severity: [Int]

    /// Creates a value from parts already loaded.
    public init(dataset: LabeledDataset, hospitals: [String], severity: [Int]) {
        self.dataset = dataset
        self.hospitals = hospitals
        self.severity = severity
    }

    /// The natural split: one client per hospital, id = hospital key, in file order.
    public var partitions: [ClientPartition] {
        NaturalPartitioner().partition(keys: hospitals)
    }

    /// Loads `heart_disease_4hospitals.csv` (header `hospital,age,…,thal,num`; empty field = missing).
    /// - Parameters:
    ///   - url: the CSV file.
    ///   - zeroCholesterolIsMissing: whether `chol = 0` means missing (default `true`).
    /// - Throws: `DatasetError` from the CSV reader (bad rows name the file and line), or
    ///   `.invalidValue` for an unknown hospital or a `num` outside 0–4.
    public static func load(csv url: URL, zeroCholesterolIsMissing: Bool = true) throws -> HeartDisease {
        let schema = CSVSchema(
            [.init("hospital", .categorical)]
                + featureNames.map { .init($0, .numeric, allowsMissing: true) }
                + [.init("num", .integer)])
        let table = try CSVReader.read(at: url, schema: schema)
        let n = table.rowCount
        let hospitals = table.strings("hospital").map { $0! }
        let severity = table.integers("num").map { $0! }
        for r in 0..<n {
            guard hospitalNames.contains(hospitals[r]) else {
                throw DatasetError(
                    .invalidValue, source: url.path, line: table.lineNumbers[r],
                    message: "column 'hospital': expected one of \(hospitalNames), found '\(hospitals[r])'")
            }
            guard (0...4).contains(severity[r]) else {
                throw DatasetError(
                    .invalidValue, source: url.path, line: table.lineNumbers[r],
                    message: "column 'num': expected a diagnosis 0–4, found \(severity[r])")
            }
        }
        let columns = featureNames.map { table.numeric($0) }
        var features = [Float](repeating: 0, count: n * featureNames.count)
        for r in 0..<n {
            for (c, column) in columns.enumerated() {
                var v = column[r]
                if zeroCholesterolIsMissing && c == 4 && v == 0 { v = .nan }
                features[r * featureNames.count + c] = v
            }
        }
        let dataset = LabeledDataset(
            features: features, featureShape: [featureNames.count],
            labels: severity.map { $0 > 0 ? 1 : 0 }, classCount: 2)
        return HeartDisease(dataset: dataset, hospitals: hospitals, severity: severity)
    }
}
