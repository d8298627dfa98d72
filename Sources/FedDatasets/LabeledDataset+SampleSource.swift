import FedTensor

extension LabeledDataset: SampleSource {
    /// The shape of one sample (`featureShape`).
    public var sampleShape: [Int] { featureShape }

    /// The samples at `indices` as one batch.
    public func batch(_ indices: ArraySlice<Int>) -> Batch { batch(indices: indices) }

    /// The label of sample `index`.
    public func label(at index: Int) -> Int32 { labels[index] }
}
