import FedFusion

/// The accumulator of `DifferentialPrivacyStrategy` (DP-FedAvg, McMahan et al. 2018): every
/// update is clipped to L2 norm C (again, on the server: a no-op for honest nodes, which clip
/// before sending), weighs 1 whatever its sample count, and the sum is divided by the FIXED
/// denominator m, the expected number of clients per round, not by the number that reported:
///
///     Δ̄ = Σ_k Δ_k·min(1, C/‖Δ_k‖) / m        (L2 sensitivity C/m)
///
/// With adaptive clipping it also counts the unclipped updates: each update's
/// `metrics["dp_unclipped"]` (1 or 0, as the node measured before clipping itself); when that
/// is missing or not 0/1, the update's own norm decides (unclipped if ‖Δ_k‖ ≤ C·(1 − 10⁻⁵),
/// so that an update the node already clipped to C counts as clipped). The two counts travel
/// to the strategy's `apply` as two scalars after the d delta scalars:
/// `fusedDelta() = [Δ̄₀ … Δ̄_{d−1}, Σ b_k, n]`.
///
/// Memory: one running sum of d Floats.
public struct DPFedAvgAccumulator: UpdateAccumulator {
    /// The metric key a node reports its unclipped bit under.
    public static let unclippedMetric = "dp_unclipped"
    /// The instruction key carrying the clip norm C to the nodes.
    public static let clipNormInstruction = "dp_clip_norm"
    /// How many scalars follow the delta in `fusedDelta()` when the unclipped count is reported.
    public static let countTrailerLength = 2

    /// The clip norm C of this round.
    public let clipNorm: Double
    /// m, the fixed denominator.
    public let expectedClients: Int
    /// Whether `fusedDelta()` ends with the two counts (adaptive clipping).
    public let reportsUnclippedCount: Bool
    /// Σ_k clipped Δ_k, shape [d].
    private var sum: [Float]
    /// How many updates have been folded in (n).
    public private(set) var count = 0
    /// Σ b_k: how many updates were unclipped.
    public private(set) var unclippedCount = 0
    /// How many updates arrived with a norm above C (1 + 10⁻⁵ slack for Float rounding) and
    /// were clipped by the server: nodes that do not clip themselves, or misbehave.
    public private(set) var serverClippedCount = 0
    /// How many updates lacked a valid `dp_unclipped` metric (their norm was used).
    public private(set) var indicatorsFromNorm = 0

    /// A zero accumulator.
    /// - Parameters:
    ///   - parameterCount: d ≥ 0.
    ///   - clipNorm: C > 0.
    ///   - expectedClients: m ≥ 1.
    ///   - reportsUnclippedCount: append Σ b_k and n to the fused delta (adaptive clipping).
    /// - Precondition: C finite and > 0, m ≥ 1, d ≥ 0 (the strategy guarantees them).
    public init(parameterCount: Int, clipNorm: Double, expectedClients: Int, reportsUnclippedCount: Bool) {
        precondition(parameterCount >= 0 && clipNorm.isFinite && clipNorm > 0 && expectedClients >= 1,
                     "DP-FedAvg accumulator needs d ≥ 0, C > 0, m ≥ 1; got d \(parameterCount), C \(clipNorm), m \(expectedClients)")
        sum = [Float](repeating: 0, count: parameterCount)
        self.clipNorm = clipNorm
        self.expectedClients = expectedClients
        self.reportsUnclippedCount = reportsUnclippedCount
    }

    /// The number of scalars each update must have.
    public var parameterCount: Int { sum.count }

    /// Clips the update to C and adds it with weight 1; records whether it was unclipped.
    /// - Precondition: `update.delta.count == parameterCount` (the round engine validates it).
    public mutating func add(_ update: NodeUpdate) {
        precondition(update.delta.count == sum.count, "update has \(update.delta.count) scalars; the accumulator holds \(sum.count)")
        let norm = UpdateClipper.l2Norm(update.delta)
        let factor = UpdateClipper.factor(norm: norm, clipNorm: clipNorm)
        if norm > clipNorm * (1 + 1e-5) { serverClippedCount += 1 }
        let reported = update.metrics[Self.unclippedMetric]
        if reported == 1 {
            unclippedCount += 1
        } else if reported == 0 {
            // clipped on the node
        } else {
            indicatorsFromNorm += 1
            if norm <= clipNorm * (1 - 1e-5) { unclippedCount += 1 }
        }
        let f = Float(factor)
        sum.withUnsafeMutableBufferPointer { s in
            update.delta.withUnsafeBufferPointer { x in
                for i in 0..<s.count { s[i] += f * x[i] }
            }
        }
        count += 1
    }

    /// Σ clipped Δ_k / m (then Σ b_k and n when `reportsUnclippedCount`), or nil when nothing was
    /// folded in.
    public func fusedDelta() -> [Float]? {
        guard count > 0 else { return nil }
        var result = Self.divide(sum, by: expectedClients)
        if reportsUnclippedCount { result += [Float(unclippedCount), Float(count)] }
        return result
    }

    /// v / m, each scalar divided in Double and rounded once (shared with the secure-sum path).
    static func divide(_ v: ArraySlice<Float>, by m: Int) -> [Float] {
        let divisor = Double(m)
        return v.map { Float(Double($0) / divisor) }
    }

    static func divide(_ v: [Float], by m: Int) -> [Float] { divide(v[...], by: m) }
}
