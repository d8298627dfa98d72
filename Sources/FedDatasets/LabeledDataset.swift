import FedTensor

/// Labelled samples held in memory: one fixed-shape feature block and one class label per
/// sample. Images, tabular rows and any other fixed-size inputs use this type.
///
/// `features` is row-major: sample `i` occupies `features[i * featureCount ..< (i + 1) * featureCount]`.
/// A value type (copy-on-write arrays): subsets and batches copy only what they take, and the
/// dataset can be shared read-only between concurrent simulations.
public struct LabeledDataset: Sendable, Equatable {
    /// All features, row-major, `count × featureCount` values.
    public var features: [Float]
    /// The shape of one sample, e.g. `[28, 28, 1]` (NHWC images) or `[13]` (a table row).
    public let featureShape: [Int]
    /// One label per sample, each in `0..<classCount`.
    public var labels: [Int32]
    /// The number of classes.
    public let classCount: Int

    /// Creates a dataset.
    /// - Precondition: `features.count == labels.count × featureShape.product` and every
    ///   label is in `0..<classCount` (loaders validate their input and throw before this).
    public init(features: [Float], featureShape: [Int], labels: [Int32], classCount: Int) {
        let featureCount = featureShape.reduce(1, *)
        precondition(features.count == labels.count * featureCount,
                     "LabeledDataset: \(features.count) features for \(labels.count) samples of shape \(featureShape)")
        precondition(labels.allSatisfy { $0 >= 0 && Int($0) < classCount },
                     "LabeledDataset: a label is outside 0..<\(classCount)")
        self.features = features
        self.featureShape = featureShape
        self.labels = labels
        self.classCount = classCount
    }

    /// The number of samples.
    public var count: Int { labels.count }

    /// The number of feature values per sample (the product of `featureShape`).
    public var featureCount: Int { featureShape.reduce(1, *) }

    /// The features of sample `index`.
    public func features(of index: Int) -> ArraySlice<Float> {
        let f = featureCount
        return features[index * f ..< (index + 1) * f]
    }

    /// How many samples carry each label (`classCount` entries).
    public func labelCounts() -> [Int] {
        var counts = [Int](repeating: 0, count: classCount)
        for l in labels { counts[Int(l)] += 1 }
        return counts
    }

    /// A new dataset with the samples at `indices`, in that order (indices may repeat).
    /// - Precondition: every index is in `0..<count`.
    public func subset(indices: [Int]) -> LabeledDataset {
        let f = featureCount
        var out = [Float](repeating: 0, count: indices.count * f)
        copyRows(indices[...], into: &out)
        return LabeledDataset(features: out, featureShape: featureShape, labels: indices.map { labels[$0] }, classCount: classCount)
    }

    /// The samples at `indices` as one batch: inputs `[B] + featureShape`, labels `[B]`.
    /// - Precondition: every index is in `0..<count`.
    public func batch(indices: some Collection<Int>) -> Batch {
        var batch = Batch(inputs: Tensor(zeros: [0] + featureShape), labels: [])
        fill(&batch, indices: indices)
        return batch
    }

    /// Overwrites `batch` with the samples at `indices`, reusing its storage when it is
    /// uniquely referenced and large enough (no allocation in a training loop).
    /// - Precondition: every index is in `0..<count`.
    public func fill(_ batch: inout Batch, indices: some Collection<Int>) {
        let b = indices.count, f = featureCount
        var scalars = batch.inputs.scalars
        batch.inputs = Tensor(shape: [0], scalars: [])  // drop the tensor's reference so `scalars` is unique
        if scalars.count != b * f {
            if scalars.count > b * f { scalars.removeLast(scalars.count - b * f) }
            else { scalars.append(contentsOf: repeatElement(0, count: b * f - scalars.count)) }
        }
        copyRows(indices, into: &scalars)
        batch.inputs = Tensor(shape: [b] + featureShape, scalars: scalars)
        batch.labels.removeAll(keepingCapacity: true)
        for i in indices { batch.labels.append(labels[i]) }
    }

    /// Copies the feature rows of `indices` into `out` (sized `indices.count × featureCount`).
    private func copyRows(_ indices: some Collection<Int>, into out: inout [Float]) {
        let f = featureCount
        features.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                var row = 0
                for i in indices {
                    precondition(i >= 0 && i < count, "LabeledDataset: index \(i) outside 0..<\(count)")
                    (dst.baseAddress! + row * f).update(from: src.baseAddress! + i * f, count: f)
                    row += 1
                }
            }
        }
    }

    /// One epoch of mini-batches over `indices` (default: all samples) in a seeded random
    /// order. The order is drawn from `rng` now; the iterator then needs no generator.
    /// - Parameters:
    ///   - batchSize: samples per batch (the last batch may be smaller unless `dropLast`).
    ///   - indices: the samples to visit, e.g. one client's partition.
    ///   - dropLast: whether to skip a final batch smaller than `batchSize`.
    ///   - rng: the generator that shuffles the order (advanced by one permutation).
    public func makeBatches(
        batchSize: Int, indices: [Int]? = nil, dropLast: Bool = false, rng: inout SeededRandom
    ) -> LabeledBatchIterator {
        var order = indices ?? Array(0..<count)
        rng.shuffle(&order)
        return LabeledBatchIterator(dataset: self, order: order, batchSize: batchSize, dropLast: dropLast)
    }

    /// One epoch of mini-batches over `indices` (default: all samples) in the given order,
    /// without shuffling (for evaluation).
    /// - Parameters:
    ///   - batchSize: samples per batch (the last batch may be smaller).
    ///   - indices: the samples to visit.
    public func makeBatches(batchSize: Int, indices: [Int]? = nil) -> LabeledBatchIterator {
        LabeledBatchIterator(dataset: self, order: indices ?? Array(0..<count), batchSize: batchSize, dropLast: false)
    }
}
