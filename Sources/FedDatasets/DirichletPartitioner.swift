import FedTensor

/// Label-skewed non-IID split (Hsu et al. 2019; Yurochkin et al. 2019): for each class,
/// draw client proportions p ~ Dir(α, …, α) and cut that class's (shuffled) samples among
/// the clients in those proportions. Small α (0.1) gives each client a few dominant
/// classes; large α (100) approaches the IID split.
///
/// **Minimum-size retry policy.** A draw in which some client receives fewer than
/// `minSamplesPerClient` samples (default 1) is discarded and all class proportions are
/// drawn again from the same generator, up to `maxAttempts` times (default 1000); after
/// that the call throws. The result is still a pure function of the seed.
public struct DirichletPartitioner: Partitioner {
    /// The number of clients.
    public var clientCount: Int
    /// The concentration parameter α > 0 (the same for every client).
    public var alpha: Double
    /// The least number of samples every client must receive.
    public var minSamplesPerClient: Int
    /// How many draws to try before giving up.
    public var maxAttempts: Int

    /// Creates a Dirichlet partitioner.
    /// - Parameters:
    ///   - clientCount: the number of clients.
    ///   - alpha: the concentration α > 0.
    ///   - minSamplesPerClient: the least samples per client (see the retry policy).
    ///   - maxAttempts: the number of draws before giving up.
    public init(clientCount: Int, alpha: Double, minSamplesPerClient: Int = 1, maxAttempts: Int = 1000) {
        self.clientCount = clientCount
        self.alpha = alpha
        self.minSamplesPerClient = minSamplesPerClient
        self.maxAttempts = maxAttempts
    }

    /// Splits samples by Dirichlet label proportions.
    /// - Returns: `clientCount` partitions, each with ascending indices.
    /// - Throws: `DatasetError` `.invalidParameter` if `alpha` is not a positive finite
    ///   number, `clientCount < 1`, `clientCount × minSamplesPerClient` exceeds the sample
    ///   count, a label is negative, or no draw satisfies the minimum size in `maxAttempts`.
    public func partition(labels: [Int32], rng: inout SeededRandom) throws -> [ClientPartition] {
        guard alpha > 0, alpha.isFinite else {
            throw DatasetError(.invalidParameter, source: "alpha", message: "expected a Dirichlet concentration α > 0, found \(alpha)")
        }
        guard clientCount >= 1 else {
            throw DatasetError(.invalidParameter, source: "clientCount", message: "expected at least 1 client, found \(clientCount)")
        }
        guard minSamplesPerClient >= 0, clientCount * minSamplesPerClient <= labels.count else {
            throw DatasetError(
                .invalidParameter, source: "clientCount",
                message: "expected clientCount × minSamplesPerClient (\(clientCount) × \(minSamplesPerClient)) ≤ \(labels.count) samples")
        }
        guard let maxLabel = labels.max(), labels.allSatisfy({ $0 >= 0 }) else {
            throw DatasetError(.invalidParameter, source: "labels", message: "expected non-negative labels")
        }
        // The samples of each class, in a random order fixed for all attempts.
        var byClass = [[Int]](repeating: [], count: Int(maxLabel) + 1)
        for (i, l) in labels.enumerated() { byClass[Int(l)].append(i) }
        for c in byClass.indices { rng.shuffle(&byClass[c]) }

        let concentration = [Double](repeating: alpha, count: clientCount)
        for _ in 0..<max(1, maxAttempts) {
            // cuts[c][k] ..< cuts[c][k + 1] is client k's share of class c.
            var cuts: [[Int]] = []
            var sizes = [Int](repeating: 0, count: clientCount)
            for members in byClass {
                let p = rng.nextDirichlet(concentration)
                var cut = [0]
                var cumulative = 0.0
                for k in 0..<clientCount {
                    cumulative += p[k]
                    let end = k == clientCount - 1 ? members.count : min(members.count, Int(cumulative * Double(members.count)))
                    sizes[k] += end - cut[k]
                    cut.append(end)
                }
                cuts.append(cut)
            }
            guard sizes.min()! >= minSamplesPerClient else { continue }
            return (0..<clientCount).map { k in
                var indices: [Int] = []
                indices.reserveCapacity(sizes[k])
                for (c, members) in byClass.enumerated() { indices.append(contentsOf: members[cuts[c][k] ..< cuts[c][k + 1]]) }
                return ClientPartition(id: Self.clientID(k), indices: indices.sorted())
            }
        }
        throw DatasetError(
            .invalidParameter, source: "alpha",
            message: "expected a Dirichlet(α = \(alpha)) draw giving each of \(clientCount) clients ≥ \(minSamplesPerClient) samples, found none in \(maxAttempts) attempts; raise alpha or lower clientCount")
    }
}
