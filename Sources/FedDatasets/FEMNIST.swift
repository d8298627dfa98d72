import Foundation

/// FEMNIST (LEAF; NIST Special Database 19): 28×28 handwritten digits and letters with 62
/// classes, grouped by writer. The bundled copy is a 5% LEAF sample: 105 writers, 14,708
/// training and 1,685 test images.
///
/// **Pixel convention.** The files store LEAF's grey values, in which 255 is the *white
/// background* and small values are dark ink, the opposite of MNIST. The loader inverts them,
/// feature = (255 − x) / 255, so that, as in MNIST, background is 0 and ink is high.
///
/// Labels: 0–9 are the digits `0`–`9`, 10–35 are `A`–`Z`, 36–61 are `a`–`z`.
public struct FEMNIST: Sendable {
    /// The number of classes.
    public static let classCount = 62
    /// The shape of one image sample.
    public static let featureShape = [28, 28, 1]

    /// The training images (labels 0–61), writers' ranges contiguous.
    public var train: LabeledDataset
    /// The test images.
    public var test: LabeledDataset
    /// The writers, in file order, with their training and test ranges.
    public var writers: [FEMNISTWriter]

    /// Creates a FEMNIST value from parts already loaded.
    public init(train: LabeledDataset, test: LabeledDataset, writers: [FEMNISTWriter]) {
        self.train = train
        self.test = test
        self.writers = writers
    }

    /// The natural split of the training set: one client per writer, id = writer id.
    public var trainPartitions: [ClientPartition] {
        writers.map { ClientPartition(id: $0.id, indices: Array($0.train)) }
    }

    /// The natural split of the test set: one client per writer, id = writer id.
    public var testPartitions: [ClientPartition] {
        writers.map { ClientPartition(id: $0.id, indices: Array($0.test)) }
    }

    /// The character a label stands for (`0`–`9`, `A`–`Z`, `a`–`z`).
    /// - Precondition: `label` is in `0..<62`.
    public static func character(forLabel label: Int32) -> Character {
        precondition(label >= 0 && label < 62, "FEMNIST: label \(label) outside 0..<62")
        let scalars = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
        return scalars[Int(label)]
    }

    /// Loads the bundled FEMNIST layout from `directory`: `{train,test}-{images-idx3,labels-idx1}-ubyte.gz`
    /// and `writers.csv`.
    /// - Parameter directory: the folder holding the FEMNIST files.
    /// - Throws: `DatasetError` for missing, corrupt or inconsistent files, including writer
    ///   ranges outside the image counts, overlapping, or not covering every image.
    public static func load(directory: URL) throws -> FEMNIST {
        let file = { (name: String) in directory.appendingPathComponent(name) }
        let train = try IDXImageSet.load(
            imageFiles: [file("train-images-idx3-ubyte.gz")], labelFile: file("train-labels-idx1-ubyte.gz"),
            classCount: classCount, scale: .invertedUnit)
        let test = try IDXImageSet.load(
            imageFiles: [file("test-images-idx3-ubyte.gz")], labelFile: file("test-labels-idx1-ubyte.gz"),
            classCount: classCount, scale: .invertedUnit)
        let writers = try loadWriters(at: file("writers.csv"), trainCount: train.count, testCount: test.count)
        return FEMNIST(train: train, test: test, writers: writers)
    }

    /// Reads `writers.csv` (`writer_id,leaf_shard,train_start,train_count,test_start,test_count`)
    /// and checks the ranges against the image counts.
    /// - Parameters:
    ///   - url: the CSV file.
    ///   - trainCount: the number of training images the ranges must tile exactly.
    ///   - testCount: the number of test images the ranges must tile exactly.
    /// - Throws: `DatasetError` from the CSV reader, or `.inconsistentData` naming the line of
    ///   a range that is out of bounds, overlaps another, or leaves images unowned.
    public static func loadWriters(at url: URL, trainCount: Int, testCount: Int) throws -> [FEMNISTWriter] {
        let schema = CSVSchema([
            .init("writer_id", .categorical), .init("leaf_shard", .integer),
            .init("train_start", .integer), .init("train_count", .integer),
            .init("test_start", .integer), .init("test_count", .integer),
        ])
        let table = try CSVReader.read(at: url, schema: schema)
        let ids = table.strings("writer_id"), shards = table.integers("leaf_shard")
        let trainStart = table.integers("train_start"), trainLength = table.integers("train_count")
        let testStart = table.integers("test_start"), testLength = table.integers("test_count")
        var writers: [FEMNISTWriter] = []
        for r in 0..<table.rowCount {
            let line = table.lineNumbers[r]
            func range(_ start: Int?, _ length: Int?, _ total: Int, _ name: String) throws -> Range<Int> {
                let s = start!, n = length!
                guard s >= 0, n >= 0, s + n <= total else {
                    throw DatasetError(
                        .inconsistentData, source: url.path, line: line,
                        message: "writer \(ids[r]!): expected a \(name) range inside 0..<\(total), found \(s)..<\(s + n)")
                }
                return s ..< s + n
            }
            writers.append(FEMNISTWriter(
                id: ids[r]!, leafShard: shards[r]!,
                train: try range(trainStart[r], trainLength[r], trainCount, "train"),
                test: try range(testStart[r], testLength[r], testCount, "test")))
        }
        for (name, total, ranges) in [("train", trainCount, writers.map(\.train)), ("test", testCount, writers.map(\.test))] {
            var owner = [Int](repeating: -1, count: total)
            for (w, range) in ranges.enumerated() {
                for i in range {
                    guard owner[i] < 0 else {
                        throw DatasetError(
                            .inconsistentData, source: url.path, line: table.lineNumbers[w],
                            message: "writer \(writers[w].id): expected disjoint \(name) ranges, found image \(i) also owned by \(writers[owner[i]].id)")
                    }
                    owner[i] = w
                }
            }
            if let orphan = owner.firstIndex(of: -1) {
                throw DatasetError(
                    .inconsistentData, source: url.path,
                    message: "expected the writers' \(name) ranges to cover all \(total) images, found image \(orphan) without a writer")
            }
        }
        return writers
    }
}
