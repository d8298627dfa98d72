import FedTensor

/// The IID split: shuffle all samples and deal them into `clientCount` equal parts
/// (sizes differ by at most one; the first `n mod clientCount` clients get one more).
public struct IIDPartitioner: Partitioner {
    /// The number of clients.
    public var clientCount: Int

    /// Creates an IID partitioner for `clientCount` clients.
    public init(clientCount: Int) {
        self.clientCount = clientCount
    }

    /// Splits `labels.count` samples; the labels themselves are not used.
    /// - Throws: `DatasetError` `.invalidParameter` if `clientCount < 1` or exceeds the sample count.
    public func partition(labels: [Int32], rng: inout SeededRandom) throws -> [ClientPartition] {
        try partition(sampleCount: labels.count, rng: &rng)
    }

    /// Splits samples `0..<sampleCount`.
    /// - Parameters:
    ///   - sampleCount: the number of samples.
    ///   - rng: the generator that shuffles them.
    /// - Returns: `clientCount` partitions, each with ascending indices.
    /// - Throws: `DatasetError` `.invalidParameter` if `clientCount < 1` or `clientCount > sampleCount`.
    public func partition(sampleCount: Int, rng: inout SeededRandom) throws -> [ClientPartition] {
        guard clientCount >= 1, clientCount <= sampleCount else {
            throw DatasetError(
                .invalidParameter, source: "clientCount",
                message: "expected 1 ≤ clientCount ≤ \(sampleCount) (the number of samples), found \(clientCount)")
        }
        let order = rng.permutation(sampleCount)
        let base = sampleCount / clientCount, extra = sampleCount % clientCount
        var start = 0
        return (0..<clientCount).map { c in
            let size = base + (c < extra ? 1 : 0)
            defer { start += size }
            return ClientPartition(id: Self.clientID(c), indices: order[start ..< start + size].sorted())
        }
    }
}
