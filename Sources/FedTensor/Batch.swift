/// A batch of inputs `[B] + sampleShape` and their class labels: what datasets produce and
/// models train on.
public struct Batch: Sendable, Equatable {
    /// The inputs, batch dimension first.
    public var inputs: Tensor
    /// One label per sample, in `0..<classCount`.
    public var labels: [Int32]

    /// Creates a batch.
    /// - Precondition: `labels.count` equals the batch dimension of `inputs`.
    public init(inputs: Tensor, labels: [Int32]) {
        precondition(inputs.rank >= 1 && inputs.shape[0] == labels.count,
                     "Batch: \(labels.count) labels for inputs of shape \(inputs.shape)")
        self.inputs = inputs
        self.labels = labels
    }

    /// The number of samples.
    public var count: Int { labels.count }
}
