import FedDatasets
import FedTensor
import Foundation

/// A node's own data, ready for local training and evaluation. Raw data never leaves the
/// node: only models trained on `train` do.
///
/// From a CSV file (`load(csv:schema:evaluationFraction:seed:)`):
/// 1. the file is read with a `DataSchema` into raw features (NaN = missing) and labels;
/// 2. a seeded hold-out split sets `evaluationFraction` of the rows aside for evaluation
///    (`holdOut(count:evaluationFraction:seed:)`);
/// 3. a `Standardizer` is fitted on the **training rows only** (the node's own statistics:
///    nothing about the evaluation rows or other nodes leaks into it) and applied to both
///    parts, so missing values become the training mean and then 0.
///
/// From a bundled dataset (`bundled(dataset:partition:nodes:nodeIndex:seed:directory:)`): the
/// node's share of the training set and a slice of the test set, for demos and benchmarks.
public struct LocalData: Sendable {
    /// The rows the node trains on (standardised when read from CSV).
    public let train: LabeledDataset
    /// The rows the node evaluates on (standardised with the training rows' statistics).
    public let evaluation: LabeledDataset
    /// The statistics fitted on `train`'s raw rows, or nil when the data came prepared (bundled).
    public let standardizer: Standardizer?
    /// Where the data came from, for logs: a CSV path or a bundled dataset and share.
    public let source: String

    /// The share of rows held out for evaluation unless told otherwise: 20%.
    public static let defaultEvaluationFraction = 0.2

    /// Creates local data from parts already prepared.
    /// - Precondition: `train` and `evaluation` have the same sample shape and class count.
    public init(train: LabeledDataset, evaluation: LabeledDataset, standardizer: Standardizer?, source: String) {
        precondition(train.featureShape == evaluation.featureShape && train.classCount == evaluation.classCount,
                     "LocalData: training and evaluation samples differ in shape or class count")
        self.train = train
        self.evaluation = evaluation
        self.standardizer = standardizer
        self.source = source
    }

    /// The shape of one input sample, e.g. `[13]`.
    public var inputShape: [Int] { train.featureShape }

    /// The number of classes.
    public var classCount: Int { train.classCount }

    /// Reads a CSV file with `schema`, holds out a seeded share for evaluation and
    /// standardises both parts with the training rows' statistics.
    /// - Parameters:
    ///   - url: the CSV file (plain or gzipped), with a header line.
    ///   - schema: which columns are the features and the label.
    ///   - evaluationFraction: the share of rows held out, in [0, 1) (default 20%).
    ///   - seed: the seed of the hold-out split.
    /// - Throws: as `read(csv:schema:)` and `prepare(_:evaluationFraction:seed:source:)`.
    public static func load(csv url: URL, schema: DataSchema, evaluationFraction: Double = defaultEvaluationFraction,
                            seed: UInt64) throws -> LocalData {
        try prepare(read(csv: url, schema: schema), evaluationFraction: evaluationFraction, seed: seed, source: url.path)
    }

    /// Reads a CSV file with `schema` into raw features and labels: features in schema order,
    /// missing values (and zeros in `zero_is_missing` columns) as NaN, labels as classes.
    /// - Parameters:
    ///   - url: the CSV file (plain or gzipped), with a header line.
    ///   - schema: which columns are the features and the label.
    /// - Returns: `[features.count]`-shaped samples, one per data row, in file order.
    /// - Throws: `NodeDataError` `.missingColumn` naming the file and the schema when a schema
    ///   column is absent from the header; `.invalidData` naming the file and line for a class
    ///   label outside `0..<classes`; the reader's `DatasetError` (file, line, what was
    ///   expected) for an unreadable file, a row with the wrong column count, a non-number in a
    ///   feature, or a missing label.
    public static func read(csv url: URL, schema: DataSchema) throws -> LabeledDataset {
        let table: CSVTable
        do {
            table = try CSVReader.read(at: url, schema: schema.csvSchema)
        } catch let e as DatasetError where e.code == .missingColumn {
            throw NodeDataError(.missingColumn, source: url.path, line: e.line,
                                "schema \(schema.origin) needs a column the file lacks: \(e.message)", cause: e)
        }
        let n = table.rowCount, f = schema.features.count
        var features = [Float](repeating: 0, count: n * f)
        for (c, name) in schema.features.enumerated() {
            let column = table.numeric(name)
            let zeroIsMissing = schema.zeroIsMissing.contains(name)
            for r in 0..<n {
                let v = column[r]
                features[r * f + c] = zeroIsMissing && v == 0 ? .nan : v
            }
        }
        var labels = [Int32](repeating: 0, count: n)
        switch schema.labelEncoding {
        case .positiveAbove(let threshold):
            for (r, v) in table.numeric(schema.labelColumn).enumerated() { labels[r] = Double(v) > threshold ? 1 : 0 }
        case .classes(let count):
            for (r, v) in table.integers(schema.labelColumn).enumerated() {
                // The label column does not allow missing values: the reader has rejected them.
                guard let v, (0..<count).contains(v) else {
                    throw NodeDataError(.invalidData, source: url.path, line: table.lineNumbers[r],
                                        "column '\(schema.labelColumn)': expected a class in 0..<\(count), found \(v.map(String.init) ?? "nothing")")
                }
                labels[r] = Int32(v)
            }
        }
        return LabeledDataset(features: features, featureShape: schema.inputShape, labels: labels, classCount: schema.classCount)
    }

    /// Splits raw samples into training and evaluation rows and standardises both with a
    /// `Standardizer` fitted on the training rows alone (missing values become the training
    /// mean, i.e. 0 after scaling).
    /// - Parameters:
    ///   - raw: the node's samples, features raw (NaN = missing).
    ///   - evaluationFraction: the share held out, in [0, 1).
    ///   - seed: the seed of the split.
    ///   - source: where the data came from (for messages and `source`).
    /// - Throws: `NodeDataError` as `holdOut(count:evaluationFraction:seed:)`, naming `source`.
    public static func prepare(_ raw: LabeledDataset, evaluationFraction: Double = defaultEvaluationFraction, seed: UInt64,
                               source: String) throws -> LocalData {
        let split: (train: [Int], evaluation: [Int])
        do {
            split = try holdOut(count: raw.count, evaluationFraction: evaluationFraction, seed: seed)
        } catch var e as NodeDataError where e.code == .invalidData {
            e.source = source
            throw e
        }
        let standardizer = Standardizer.fit(on: raw, indices: split.train)
        return LocalData(train: standardizer.apply(to: raw.subset(indices: split.train)),
                         evaluation: standardizer.apply(to: raw.subset(indices: split.evaluation)),
                         standardizer: standardizer, source: source)
    }

    /// The seeded hold-out split of rows `0..<count`: `round(evaluationFraction × count)`
    /// rows for evaluation (at least one when the fraction is positive, and at least one row
    /// is always left for training), chosen by a permutation drawn from `seed`; the rest for
    /// training. Both lists are ascending (file order), disjoint, and together cover every row.
    /// - Parameters:
    ///   - count: the number of rows.
    ///   - evaluationFraction: the share held out, in [0, 1).
    ///   - seed: the seed; the same seed gives the same split.
    /// - Throws: `NodeDataError` `.invalidParameter` (source `evaluationFraction`) for a
    ///   fraction outside [0, 1); `.invalidData` when there are too few rows (none, or one
    ///   with a positive fraction).
    public static func holdOut(count: Int, evaluationFraction: Double, seed: UInt64) throws -> (train: [Int], evaluation: [Int]) {
        guard evaluationFraction >= 0, evaluationFraction < 1 else {
            throw NodeDataError(.invalidParameter, source: "evaluationFraction",
                                "expected a share of rows in [0, 1), found \(evaluationFraction)")
        }
        let least = evaluationFraction > 0 ? 2 : 1
        guard count >= least else {
            throw NodeDataError(.invalidData, source: "data",
                                "expected at least \(least) data row\(least == 1 ? "" : "s") (\(Int((evaluationFraction * 100).rounded()))% held out for evaluation), found \(count)")
        }
        let held = evaluationFraction > 0 ? min(count - 1, max(1, Int((evaluationFraction * Double(count)).rounded()))) : 0
        var rng = SeededRandom(seed: seed).derived(stream: holdOutStream)
        let order = rng.permutation(count)
        return (Array(order[held...]).sorted(), Array(order[..<held]).sorted())
    }

    /// The random stream of the hold-out split, apart from every other use of the node's seed.
    static let holdOutStream: UInt64 = 0x0E7A_1DA7
}
