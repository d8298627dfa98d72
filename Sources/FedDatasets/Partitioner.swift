import FedTensor

/// Splits a labelled dataset's samples among clients. Implementations are small value
/// types, deterministic given the generator: the same seed gives the same split.
public protocol Partitioner: Sendable {
    /// Splits samples `0..<labels.count` among clients.
    /// - Parameters:
    ///   - labels: the label of every sample (some partitioners use only the count).
    ///   - rng: the generator for every random choice.
    /// - Returns: one partition per client; together they cover every sample at most once
    ///   (exactly once for all partitioners in this module).
    /// - Throws: `DatasetError` `.invalidParameter` for impossible configurations.
    func partition(labels: [Int32], rng: inout SeededRandom) throws -> [ClientPartition]
}

extension Partitioner {
    /// The id of synthetic client `i`: `client-<i>`.
    static func clientID(_ i: Int) -> String { "client-\(i)" }
}
