/// One epoch of `CharacterBatch`es over one Shakespeare role, in a fixed order.
/// Use it as a `Sequence`, or call `next(into:)` to refill one batch without allocating.
public struct CharacterBatchIterator: IteratorProtocol, Sequence, Sendable {
    /// The dataset the batches are drawn from.
    public let dataset: ShakespeareDataset
    /// The role's position in `dataset.roles`.
    public let role: Int
    /// The sample offsets in visiting order.
    public let order: [Int]
    /// Samples per batch.
    public let batchSize: Int
    /// Whether a final short batch is skipped.
    public let dropLast: Bool
    private var position = 0

    /// Creates an iterator over `order`.
    /// - Precondition: `batchSize > 0`.
    public init(dataset: ShakespeareDataset, role: Int, order: [Int], batchSize: Int, dropLast: Bool) {
        precondition(batchSize > 0, "CharacterBatchIterator: batchSize \(batchSize) must be positive")
        self.dataset = dataset
        self.role = role
        self.order = order
        self.batchSize = batchSize
        self.dropLast = dropLast
    }

    /// The number of batches in the epoch.
    public var batchCount: Int {
        dropLast ? order.count / batchSize : (order.count + batchSize - 1) / batchSize
    }

    /// The next batch (newly allocated), or `nil` at the end of the epoch.
    public mutating func next() -> CharacterBatch? {
        guard let range = nextRange() else { return nil }
        return dataset.batch(role: role, offsets: order[range])
    }

    /// Refills `batch` with the next batch, reusing its storage; `false` at the end of the epoch.
    public mutating func next(into batch: inout CharacterBatch) -> Bool {
        guard let range = nextRange() else { return false }
        dataset.fill(&batch, role: role, offsets: order[range])
        return true
    }

    private mutating func nextRange() -> Range<Int>? {
        let end = Swift.min(position + batchSize, order.count)
        guard end > position, !(dropLast && end - position < batchSize) else { return nil }
        defer { position = end }
        return position..<end
    }
}
