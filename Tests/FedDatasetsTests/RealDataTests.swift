import Foundation
import FedTensor
import Testing
@testable import FedDatasets

@Suite struct MNISTTests {
    @Test func testSetLoads() throws {
        let test = try MNIST.loadTest(directory: FedBundledDataURL.directory("mnist"))
        #expect(test.count == 10_000)
        #expect(test.featureShape == [28, 28, 1])
        #expect(test.classCount == 10)
        #expect(test.labels.prefix(5) == [7, 2, 1, 0, 4])
        #expect(test.features.min() == 0 && test.features.max() == 1)
        #expect(test.labelCounts() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009])
        // The first image (a 7) has ink in its middle rows and a blank border.
        let first = test.features(of: 0)
        #expect(first.prefix(28).allSatisfy { $0 == 0 })
        #expect(first.reduce(0, +) > 50)
    }

    @Test func trainSetLoads() throws {
        let train = try MNIST.loadTrain(directory: FedBundledDataURL.directory("mnist"))
        #expect(train.count == 60_000)
        #expect(train.features.count == 60_000 * 784)
        let counts = train.labelCounts()
        #expect(counts == [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949])
        #expect(counts.reduce(0, +) == 60_000)
        #expect(train.labels.prefix(5) == [5, 0, 4, 1, 9])
        // Part boundaries: image 10,000 comes from part 1 and is not blank.
        #expect(train.features(of: 10_000).reduce(0, +) > 10)
        #expect(train.features(of: 59_999).reduce(0, +) > 10)
    }

    @Test func mismatchedImagesAndLabelsAreRejected() throws {
        let dir = FedBundledDataURL.directory("mnist")
        let error = try #require(throws: DatasetError.self) {
            try MNIST.load(
                imageFiles: [dir.appendingPathComponent("t10k-images-idx3-ubyte.gz")],
                labelFile: dir.appendingPathComponent("train-labels-idx1-ubyte.gz"))
        }
        #expect(error.code == .inconsistentData)
        #expect(error.description.contains("train-labels-idx1-ubyte.gz"))
    }
}

/// Partitioners on the real MNIST training labels (the label file only, not the images).
@Suite struct MNISTPartitionTests {
    static let labels: [Int32] = {
        let file = try! IDXReader.readLabels(at: FedBundledDataURL.file("mnist/train-labels-idx1-ubyte.gz"))
        return file.bytes.map { Int32($0) }
    }()

    /// Per-client label counts.
    func histogram(_ p: ClientPartition) -> [Int] {
        var h = [Int](repeating: 0, count: 10)
        for i in p.indices { h[Int(Self.labels[i])] += 1 }
        return h
    }

    @Test func fedAvgShardsGiveAtMostTwoLabelsMostly() throws {
        var rng = SeededRandom(seed: 2017)
        let parts = try ShardPartitioner(clientCount: 100, shardsPerClient: 2).partition(labels: Self.labels, rng: &rng)
        #expect(parts.count == 100)
        #expect(parts.allSatisfy { $0.count == 600 })
        #expect(coversExactlyOnce(parts, 60_000))
        // A shard of 300 sorted labels spans at most 2 labels, so a client sees at most 4;
        // exactly: each shard is pure except the few straddling a label boundary.
        let labelCounts = parts.map { histogram($0).filter { $0 > 0 }.count }
        #expect(labelCounts.allSatisfy { $0 <= 4 })
        #expect(labelCounts.filter { $0 <= 2 }.count >= 80)
    }

    @Test func dirichletLargeAlphaIsNearlyUniform() throws {
        var rng = SeededRandom(seed: 5)
        let parts = try DirichletPartitioner(clientCount: 10, alpha: 1000).partition(labels: Self.labels, rng: &rng)
        #expect(coversExactlyOnce(parts, 60_000))
        for p in parts {
            #expect(abs(p.count - 6000) < 300)
            let h = histogram(p)
            #expect(h.allSatisfy { abs(Double($0) / Double(p.count) - 0.1) < 0.02 })
        }
    }

    @Test func dirichletSmallAlphaIsSkewed() throws {
        var rng = SeededRandom(seed: 5)
        let parts = try DirichletPartitioner(clientCount: 10, alpha: 0.1).partition(labels: Self.labels, rng: &rng)
        #expect(coversExactlyOnce(parts, 60_000))
        #expect(parts.allSatisfy { $0.count >= 1 })
        // The dominant label holds on average well over half of a client's samples.
        let dominance = parts.map { p in Double(histogram(p).max()!) / Double(p.count) }
        #expect(dominance.reduce(0, +) / 10 > 0.5)
    }
}

@Suite struct FEMNISTTests {
    @Test func loadsWritersAndCounts() throws {
        let f = try FEMNIST.load(directory: FedBundledDataURL.directory("femnist"))
        #expect(f.train.count == 14_708)
        #expect(f.test.count == 1_685)
        #expect(f.writers.count == 105)
        #expect(f.writers[0] == FEMNISTWriter(id: "f3313_11", leafShard: 0, train: 0..<155, test: 0..<18))
        #expect(f.writers.allSatisfy { (4...165).contains($0.train.count) })
        #expect(f.train.labels.allSatisfy { $0 >= 0 && $0 < 62 })
        #expect(Set(f.train.labels).count > 50)
        // Inverted pixels: background (stored as 255) is 0, so a typical image is mostly 0.
        let image = f.train.features(of: 0)
        #expect(image.filter { $0 == 0 }.count > 784 / 2)
        #expect(image.max()! > 0.5)
        let parts = f.trainPartitions
        #expect(parts.count == 105)
        #expect(coversExactlyOnce(parts, 14_708))
        #expect(coversExactlyOnce(f.testPartitions, 1_685))
        #expect(FEMNIST.character(forLabel: 10) == "A" && FEMNIST.character(forLabel: 61) == "z")
    }

    /// The fast pointer-and-table conversion against the formula, pixel by pixel.
    @Test func pixelConversionMatchesTheSlowFormula() throws {
        let dir = FedBundledDataURL.directory("femnist")
        let raw = try IDXReader.readImages(at: dir.appendingPathComponent("test-images-idx3-ubyte.gz"))
        let inverted = try FEMNIST.load(directory: dir).test
        #expect(inverted.features == raw.bytes.map { Float(255 - Int($0)) / 255 })
        let mnistRaw = try IDXReader.readImages(at: FedBundledDataURL.file("mnist/t10k-images-idx3-ubyte.gz"))
        let mnist = try MNIST.loadTest(directory: FedBundledDataURL.directory("mnist"))
        let n = 500 * 784  // the first 500 images
        #expect(Array(mnist.features.prefix(n)) == mnistRaw.bytes.prefix(n).map { Float($0) / 255 })
    }
}

@Suite struct HeartDiseaseTests {
    @Test func loadsFourHospitals() throws {
        let h = try HeartDisease.load(csv: FedBundledDataURL.file("heart_disease/heart_disease_4hospitals.csv"))
        #expect(h.dataset.count == 920)
        #expect(h.dataset.featureShape == [13])
        let parts = h.partitions
        #expect(parts.map(\.id) == HeartDisease.hospitalNames)
        #expect(parts.map(\.count) == [303, 294, 123, 200])
        let rates = parts.map { p in Double(p.indices.filter { h.dataset.labels[$0] == 1 }.count) / Double(p.count) }
        for (rate, expected) in zip(rates, [0.46, 0.36, 0.93, 0.75]) { #expect(abs(rate - expected) < 0.01) }
        // First Cleveland row: 63, 1, 1, 145, 233, …; label num = 0.
        #expect(Array(h.dataset.features(of: 0).prefix(5)) == [63, 1, 1, 145, 233])
        #expect(h.severity[0] == 0 && h.dataset.labels[1] == 1)
        // Missing values: ca (column 11) in 611 rows; chol = 0 treated as missing (172 rows).
        let column = { (c: Int) in (0..<920).filter { h.dataset.features[$0 * 13 + c].isNaN }.count }
        #expect(column(11) == 611)
        #expect(column(12) == 486)
        #expect(column(10) == 309)
        #expect(column(4) >= 172)
    }

    @Test func localStandardizationPerHospital() throws {
        let h = try HeartDisease.load(csv: FedBundledDataURL.file("heart_disease/heart_disease_4hospitals.csv"))
        let swiss = h.partitions[2]
        let s = Standardizer.fit(on: h.dataset, indices: swiss.indices)
        // Switzerland has no cholesterol values at all: mean 0, std 1, imputed as 0.
        #expect(s.means[4] == 0 && s.standardDeviations[4] == 1)
        let local = s.apply(to: h.dataset.subset(indices: swiss.indices))
        #expect(local.features.allSatisfy { $0.isFinite })
        // Each observed column is centred.
        let ages = (0..<local.count).map { local.features[$0 * 13] }
        #expect(abs(ages.reduce(0, +) / Float(ages.count)) < 1e-4)
    }
}
