/// FedBuff's accumulator: a buffer of K updates, each weighted by its staleness,
///
///     Δ = (1/K) · Σᵢ s(τᵢ)·Δᵢ,    τᵢ = version − baseVersionᵢ,
///
/// divided by the buffer size K, not by Σ s(τᵢ), as in Algorithm 1 of Nguyen et al. 2022
/// ("Δ̄ ← Δ̄/K"): stale updates shrink the step rather than being renormalised away. An engine
/// that fuses a partly filled buffer (k < K updates, e.g. at shutdown) therefore takes a
/// proportionally shorter step. Sample counts are not used (the paper's buffer sums deltas).
/// Streaming, memory O(d) (one running sum and up to three retained deltas, as `WeightedSum`).
public struct BufferedAccumulator: UpdateAccumulator {
    var total: WeightedSum
    /// The global version the buffer's updates are fused into (staleness is measured from it).
    public let version: Int
    /// K, the divisor.
    public let bufferSize: Int
    /// s(τ).
    public let staleness: StalenessFunction

    /// How many updates have been folded in.
    public private(set) var count = 0

    /// An empty buffer.
    /// - Parameters:
    ///   - parameterCount: d.
    ///   - version: the current global version.
    ///   - bufferSize: K ≥ 1.
    ///   - staleness: s(τ).
    public init(parameterCount: Int, version: Int, bufferSize: Int, staleness: StalenessFunction) {
        precondition(bufferSize >= 1, "bufferSize must be ≥ 1")
        total = WeightedSum(parameterCount: parameterCount)
        self.version = version
        self.bufferSize = bufferSize
        self.staleness = staleness
    }

    /// Folds in one update with weight s(version − baseVersion).
    /// - Precondition: `update.delta.count` is the parameter count.
    public mutating func add(_ update: NodeUpdate) {
        // τ = version − baseVersion; a difference beyond Int's range (malformed versions) is
        // taken as the stalest (or freshest) possible update rather than trapping.
        let (tau, overflow) = version.subtractingReportingOverflow(update.baseVersion)
        let staleness = overflow ? (update.baseVersion < 0 ? Int.max : 0) : tau
        total.add(update.delta, weight: self.staleness.weight(staleness: staleness))
        count += 1
    }

    /// Σ s(τᵢ)·Δᵢ / K.
    /// - Throws: `FusionError.cannotFuse` when the buffer is empty.
    public func fuse() throws(FusionError) -> [Float] {
        guard count > 0 else {
            throw FusionError(.cannotFuse, source: "fedbuff buffer", "no updates were folded in; expected at least 1")
        }
        return total.divided(by: Double(bufferSize))
    }

    /// `fuse()`, or nil when it throws.
    public func fusedDelta() -> [Float]? { try? fuse() }
}
