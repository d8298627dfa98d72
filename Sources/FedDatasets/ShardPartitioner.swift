import FedTensor

/// The pathological non-IID split of the FedAvg paper (McMahan et al. 2017): sort the
/// samples by label (stable, so ties keep index order), cut them into
/// `clientCount × shardsPerClient` equal shards, and give each client `shardsPerClient`
/// shards chosen at random. With 60,000 MNIST images, 100 clients and 2 shards per client,
/// that is 200 shards of 300 and most clients see only two digits.
public struct ShardPartitioner: Partitioner {
    /// The number of clients.
    public var clientCount: Int
    /// The number of shards each client receives.
    public var shardsPerClient: Int

    /// Creates a shard partitioner.
    /// - Parameters:
    ///   - clientCount: the number of clients.
    ///   - shardsPerClient: shards per client (FedAvg: 2).
    public init(clientCount: Int, shardsPerClient: Int = 2) {
        self.clientCount = clientCount
        self.shardsPerClient = shardsPerClient
    }

    /// The total number of shards, `clientCount × shardsPerClient`.
    public var shardCount: Int { clientCount * shardsPerClient }

    /// Splits samples by label shards.
    /// - Returns: `clientCount` partitions, each with ascending indices.
    /// - Throws: `DatasetError` `.invalidParameter` if `clientCount` or `shardsPerClient` is
    ///   below 1, or if the sample count is not a positive multiple of `shardCount`.
    public func partition(labels: [Int32], rng: inout SeededRandom) throws -> [ClientPartition] {
        guard clientCount >= 1 else {
            throw DatasetError(.invalidParameter, source: "clientCount", message: "expected at least 1 client, found \(clientCount)")
        }
        guard shardsPerClient >= 1 else {
            throw DatasetError(.invalidParameter, source: "shardsPerClient", message: "expected at least 1 shard per client, found \(shardsPerClient)")
        }
        let n = labels.count
        guard n >= shardCount, n % shardCount == 0 else {
            throw DatasetError(
                .invalidParameter, source: "shardCount",
                message: "expected \(clientCount) clients × \(shardsPerClient) shards = \(shardCount) shards to divide the \(n) samples evenly, found a remainder of \(shardCount > 0 ? n % shardCount : n)")
        }
        let shardSize = n / shardCount
        // Stable sort by label: ties are broken by index, so index order is kept within a label.
        let sorted = Array(0..<n).sorted { (labels[$0], $0) < (labels[$1], $1) }
        let shardOrder = rng.permutation(shardCount)
        return (0..<clientCount).map { c in
            var indices: [Int] = []
            indices.reserveCapacity(shardsPerClient * shardSize)
            for k in 0..<shardsPerClient {
                let shard = shardOrder[c * shardsPerClient + k]
                indices.append(contentsOf: sorted[shard * shardSize ..< (shard + 1) * shardSize])
            }
            return ClientPartition(id: Self.clientID(c), indices: indices.sorted())
        }
    }
}
