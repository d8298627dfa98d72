/// Multi-Krum (Blanchard, El Mhamdi, Guerraoui, Stainer 2017, "Machine Learning with
/// Adversaries: Byzantine Tolerant Gradient Descent", NeurIPS, section 5).
///
/// Scores every update as `Krum` does (sum of squared distances to its k − f − 2 nearest other
/// updates), keeps the m lowest-scoring (ties to the smaller node id), and averages them:
///
///     Δ = (1/m) · Σ_{i ∈ M} Δᵢ,    M = the m updates with the lowest scores,
///
/// a plain mean, as in the paper: sample counts are not used, since a Byzantine node could claim
/// any count to dominate a weighted mean. m defaults to k − f, and a larger m is lowered to
/// k − f so that the mean never needs more than the honest updates. m = 1 is Krum. Needs
/// k > 2f + 2 updates; with fewer, `fuse()` throws `FusionError.cannotFuse` and the round fails.
/// Server step: w ← w + Δ.
///
/// Memory: keeps the round's updates, O(k·d), plus O(k²) distances; time O(k²·d).
public struct MultiKrum: FusionStrategy {
    /// f, the number of Byzantine updates tolerated (default 1).
    public let assumedByzantine: Int
    /// m, the number of lowest-scoring updates averaged; nil (the default) means k − f.
    public let selectionCount: Int?

    /// Creates the strategy.
    /// - Parameters:
    ///   - assumedByzantine: f ≥ 0, default 1. Each round then needs k > 2f + 2 updates.
    ///   - selectionCount: m ≥ 1, or nil (default) for k − f; capped at k − f each round.
    /// - Throws: `FusionError.invalidOption` naming `f` or `m` when out of range.
    public init(assumedByzantine: Int = 1, selectionCount: Int? = nil) throws(FusionError) {
        try Krum.checkByzantineCount(assumedByzantine, of: "multi-krum")
        if let m = selectionCount, m < 1 {
            throw FusionError(.invalidOption, source: "multi-krum option m", "expected a whole number of selected updates ≥ 1, got \(m)")
        }
        self.assumedByzantine = assumedByzantine
        self.selectionCount = selectionCount
    }

    /// `multi-krum`.
    public var name: String { "multi-krum" }

    /// An accumulator that keeps the round's updates.
    public func makeAccumulator(parameterCount: Int, version: Int) -> RobustAccumulator {
        RobustAccumulator(parameterCount: parameterCount, rule: .multiKrum(assumedByzantine: assumedByzantine, selectionCount: selectionCount))
    }

    /// w ← w + Δ.
    /// - Precondition: `fused.count == global.count`.
    public mutating func apply(fused: [Float], to global: inout [Float], round: Int, failures: [NodeFailure]) {
        ServerStep.addScaled(1, fused, to: &global)
    }

    /// The plain mean of the min(m, k − f) best-scored rows, summed in row order.
    static func fuse(_ rows: [[Float]], parameterCount d: Int, assumedByzantine f: Int, selectionCount m: Int?) throws(FusionError) -> [Float] {
        let ranking = try Krum.ranking(rows, assumedByzantine: f)
        let selected = ranking.prefix(min(m ?? rows.count - f, rows.count - f)).sorted()
        var total = WeightedSum(parameterCount: d)
        for i in selected { total.add(rows[i], weight: 1) }
        return total.divided(by: total.totalWeight)
    }
}
