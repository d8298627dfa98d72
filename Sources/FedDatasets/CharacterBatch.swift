import FedTensor

/// A batch of next-character samples: `[B, sequenceLength]` character indices and `[B]`
/// next-character labels, both in the `ShakespeareAlphabet` (−1, or the dataset's chosen
/// index, for characters outside it).
public struct CharacterBatch: Sendable, Equatable {
    /// The input indices, row-major `[B, sequenceLength]`.
    public var indices: [Int32]
    /// The index of the character that follows each input window.
    public var labels: [Int32]
    /// The window length (80 in LEAF).
    public let sequenceLength: Int

    /// Creates a batch.
    /// - Precondition: `indices.count == labels.count × sequenceLength`.
    public init(indices: [Int32], labels: [Int32], sequenceLength: Int) {
        precondition(indices.count == labels.count * sequenceLength, "CharacterBatch: \(indices.count) indices for \(labels.count) windows of \(sequenceLength)")
        self.indices = indices
        self.labels = labels
        self.sequenceLength = sequenceLength
    }

    /// The number of samples.
    public var count: Int { labels.count }

    /// The input indices as a `Float` tensor `[B, sequenceLength]` (exact for these small
    /// integers), the input form of `FedModels.CharLSTM`.
    public func inputTensor() -> Tensor {
        Tensor(shape: [count, sequenceLength], scalars: indices.map { Float($0) })
    }
}
