import FedTensor

/// One epoch of mini-batches over a `LabeledDataset`, in a fixed (usually shuffled) order.
///
/// Use it as a `Sequence` (each batch freshly allocated), or call `next(into:)` to refill one
/// batch in place and avoid allocations in a training loop.
public struct LabeledBatchIterator: IteratorProtocol, Sequence, Sendable {
    /// The dataset the batches are drawn from.
    public let dataset: LabeledDataset
    /// The sample indices in visiting order.
    public let order: [Int]
    /// Samples per batch.
    public let batchSize: Int
    /// Whether a final short batch is skipped.
    public let dropLast: Bool
    private var position = 0

    /// Creates an iterator over `order`.
    /// - Precondition: `batchSize > 0`.
    public init(dataset: LabeledDataset, order: [Int], batchSize: Int, dropLast: Bool) {
        precondition(batchSize > 0, "LabeledBatchIterator: batchSize \(batchSize) must be positive")
        self.dataset = dataset
        self.order = order
        self.batchSize = batchSize
        self.dropLast = dropLast
    }

    /// The number of batches in the epoch.
    public var batchCount: Int {
        dropLast ? order.count / batchSize : (order.count + batchSize - 1) / batchSize
    }

    /// The next batch (newly allocated), or `nil` at the end of the epoch.
    public mutating func next() -> Batch? {
        guard let range = nextRange() else { return nil }
        return dataset.batch(indices: order[range])
    }

    /// Refills `batch` with the next batch, reusing its storage; `false` at the end of the epoch.
    public mutating func next(into batch: inout Batch) -> Bool {
        guard let range = nextRange() else { return false }
        dataset.fill(&batch, indices: order[range])
        return true
    }

    private mutating func nextRange() -> Range<Int>? {
        let end = Swift.min(position + batchSize, order.count)
        guard end > position, !(dropLast && end - position < batchSize) else { return nil }
        defer { position = end }
        return position..<end
    }
}
