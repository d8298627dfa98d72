import FedTensor
import Testing
@testable import FedDatasets

@Suite struct LabeledDatasetTests {
    /// 5 samples of shape [2]: sample i = [10i, 10i + 1], label i mod 3.
    static let tiny = LabeledDataset(
        features: (0..<5).flatMap { [Float(10 * $0), Float(10 * $0 + 1)] }, featureShape: [2],
        labels: [0, 1, 2, 0, 1], classCount: 3)

    @Test func subsetAndBatch() {
        let d = Self.tiny
        #expect(d.count == 5 && d.featureCount == 2)
        #expect(d.labelCounts() == [2, 2, 1])
        let s = d.subset(indices: [4, 1, 1])
        #expect(s.features == [40, 41, 10, 11, 10, 11])
        #expect(s.labels == [1, 1, 1])
        let b = d.batch(indices: [3, 0])
        #expect(b.inputs.shape == [2, 2])
        #expect(b.inputs.scalars == [30, 31, 0, 1])
        #expect(b.labels == [0, 0])
    }

    @Test func shuffledEpochVisitsEverySampleOnce() {
        var rng = SeededRandom(seed: 1)
        let batches = Array(Self.tiny.makeBatches(batchSize: 2, rng: &rng))
        #expect(batches.map(\.count) == [2, 2, 1])
        let firsts = batches.flatMap { b in stride(from: 0, to: b.inputs.count, by: 2).map { Int(b.inputs.scalars[$0]) / 10 } }
        #expect(firsts.sorted() == [0, 1, 2, 3, 4])
        var rng2 = SeededRandom(seed: 1)
        let again = Array(Self.tiny.makeBatches(batchSize: 2, rng: &rng2))
        #expect(again == batches)
        var rng3 = SeededRandom(seed: 1)
        let dropped = Array(Self.tiny.makeBatches(batchSize: 2, dropLast: true, rng: &rng3))
        #expect(dropped.map(\.count) == [2, 2])
    }

    @Test func refillingABatchInPlace() {
        var iterator = Self.tiny.makeBatches(batchSize: 2, indices: [4, 3, 2])
        var batch = Self.tiny.batch(indices: [0, 0])
        let first = iterator.next(into: &batch)
        #expect(first)
        #expect(batch.inputs.scalars == [40, 41, 30, 31] && batch.labels == [1, 0])
        let second = iterator.next(into: &batch)
        #expect(second)
        #expect(batch.inputs.shape == [1, 2] && batch.inputs.scalars == [20, 21] && batch.labels == [2])
        let third = iterator.next(into: &batch)
        #expect(!third)
    }

    @Test func standardizerImputesWithFittedMean() {
        // Column 0: 1, 3, NaN; column 1: constant 5.
        let d = LabeledDataset(features: [1, 5, 3, 5, .nan, 5], featureShape: [2], labels: [0, 1, 0], classCount: 2)
        let s = Standardizer.fit(on: d)
        #expect(s.means == [2, 5])
        #expect(s.standardDeviations == [1, 1])
        #expect(s.apply(to: d).features == [-1, 0, 1, 0, 0, 0])
        // Fitted on sample 0 only (a node's local statistics): a column with one value.
        let local = Standardizer.fit(on: d, indices: [0])
        #expect(local.means == [1, 5])
    }
}
