import FedBundledData
import FedDatasets
import FedTensor
import Foundation

/// A dataset ready for training: train and test samples, and its natural federated split.
public struct CatalogDataset: Sendable {
    /// The catalog name (`mnist`, `femnist`, `shakespeare`, `heart-disease`).
    public let name: String
    /// The training samples.
    public let train: any SampleSource
    /// The held-out test samples.
    public let test: any SampleSource
    /// The natural clients over `train` (hospital, writer, speaking role), if the data has them.
    public let naturalPartition: [ClientPartition]?
    /// A default cap on the training samples for central training, where a full epoch would be
    /// impractically long on two cores (Shakespeare), otherwise nil.
    public let defaultTrainingLimit: Int?
    /// A default cap on the test samples evaluated (a seeded random subset), for the same reason.
    public var defaultTestLimit: Int? = nil

    /// The shape of one input sample.
    public var sampleShape: [Int] { train.sampleShape }
    /// The number of classes.
    public var classCount: Int { train.classCount }
}

/// The bundled real datasets by name.
public enum DatasetCatalog {
    /// The valid dataset names.
    public static let names = ["mnist", "femnist", "shakespeare", "heart-disease"]

    /// The seed of the fixed train/test split of datasets that ship without one (Heart Disease).
    public static let splitSeed: UInt64 = 20_240_601

    /// Loads a dataset by name from `directory` (default: the bundled data).
    /// - Throws: `WorkloadError` for an unknown name (listing the valid ones), or the
    ///   loader's `DatasetError` naming the file at fault.
    public static func load(_ name: String, directory: URL = BundledData.directory) throws -> CatalogDataset {
        switch name {
        case "mnist":
            let dir = directory.appendingPathComponent("mnist")
            return CatalogDataset(name: name, train: try MNIST.loadTrain(directory: dir), test: try MNIST.loadTest(directory: dir),
                                  naturalPartition: nil, defaultTrainingLimit: nil)
        case "femnist":
            let f = try FEMNIST.load(directory: directory.appendingPathComponent("femnist"))
            return CatalogDataset(name: name, train: f.train, test: f.test, naturalPartition: f.trainPartitions, defaultTrainingLimit: nil)
        case "shakespeare":
            let d = try ShakespeareDataset.load(completeWorks: directory.appendingPathComponent("shakespeare/shakespeare_complete_works.txt.gz"))
            let splits = d.split(trainFraction: 0.8)
            let train = ShakespeareSamples(dataset: d, splits: splits, part: \.train)
            var natural: [ClientPartition] = []
            var start = 0
            for s in splits {
                natural.append(ClientPartition(id: s.clientID, indices: Array(start..<(start + s.train.count))))
                start += s.train.count
            }
            return CatalogDataset(name: name, train: train, test: ShakespeareSamples(dataset: d, splits: splits, part: \.test),
                                  naturalPartition: natural, defaultTrainingLimit: 5_000, defaultTestLimit: 2_000)
        case "heart-disease":
            return try heartDisease(directory: directory)
        default:
            throw WorkloadError(source: "--dataset \(name)", "unknown dataset; expected one of: \(names.joined(separator: ", "))")
        }
    }

    /// Heart Disease with a fixed, seeded 80/20 train/test split inside each hospital;
    /// missing values imputed and features standardised with the training rows' statistics.
    static func heartDisease(directory: URL) throws -> CatalogDataset {
        let h = try HeartDisease.load(csv: directory.appendingPathComponent("heart_disease/heart_disease_4hospitals.csv"))
        var rng = SeededRandom(seed: splitSeed)
        var trainIndices: [Int] = [], testIndices: [Int] = []
        var natural: [ClientPartition] = []
        for hospital in h.partitions {
            var idx = hospital.indices
            rng.shuffle(&idx)
            let nTrain = Int((0.8 * Double(idx.count)).rounded())
            let part = idx[..<nTrain].sorted()
            natural.append(ClientPartition(id: hospital.id, indices: Array(trainIndices.count..<(trainIndices.count + part.count))))
            trainIndices += part
            testIndices += idx[nTrain...].sorted()
        }
        let standardizer = Standardizer.fit(on: h.dataset, indices: trainIndices)
        let train = standardizer.apply(to: h.dataset.subset(indices: trainIndices))
        let test = standardizer.apply(to: h.dataset.subset(indices: testIndices))
        return CatalogDataset(name: "heart-disease", train: train, test: test, naturalPartition: natural, defaultTrainingLimit: nil)
    }
}

/// A seeded random subset of another sample source (used to cap long central runs).
public struct SampleSubset: SampleSource {
    /// The source the samples come from.
    public let base: any SampleSource
    /// The chosen indices of `base`.
    public let indices: [Int]

    /// Chooses `limit` samples of `base` at random (all of them, reordered, if `limit >= base.count`).
    public init(_ base: any SampleSource, limit: Int, rng: inout SeededRandom) {
        self.base = base
        self.indices = Array(rng.permutation(base.count).prefix(limit))
    }

    public var count: Int { indices.count }
    public var sampleShape: [Int] { base.sampleShape }
    public var classCount: Int { base.classCount }
    public func batch(_ i: ArraySlice<Int>) -> Batch { base.batch(ArraySlice(i.map { indices[$0] })) }
    public func label(at index: Int) -> Int32 { base.label(at: indices[index]) }
}
