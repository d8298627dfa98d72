import FedTensor

/// Labelled samples addressable by index, from which training and evaluation draw batches.
///
/// In-memory image and tabular datasets, and lazily windowed text (Shakespeare), conform; so
/// does a node's local slice of a dataset (`subset`). Federated nodes train on a `SampleSource`.
public protocol SampleSource: Sendable {
    /// The number of samples.
    var count: Int { get }
    /// The shape of one input sample, e.g. `[28, 28, 1]`, `[13]`, `[80]`.
    var sampleShape: [Int] { get }
    /// The number of classes; labels lie in `0..<classCount`.
    var classCount: Int { get }
    /// The samples at `indices` (each in `0..<count`), in that order, as one batch.
    func batch(_ indices: ArraySlice<Int>) -> Batch
    /// The label of one sample (cheap: partitioners and statistics use it).
    func label(at index: Int) -> Int32
}
