/// A running Σ wᵢ·Δᵢ over `d` scalars and Σ wᵢ: the one hot loop of every linear strategy
/// (FedAvg and its server-optimizer variants, dynamic fusion, FedBuff). Memory: one `[Float]`
/// of the model's size, however many updates are folded in.
///
/// Precision: the sum is kept in Float and the total weight in Double. Each `add` rounds once
/// per scalar, so after k updates a coordinate's relative error is at most about k·2⁻²⁴ of the
/// sum of the magnitudes (about √k·2⁻²⁴ in practice; 6·10⁻⁷ for 100 updates), well below the
/// noise of stochastic training. A Double sum halves the precision loss only to move twice as
/// many bytes of running sum per update; see `FusionBenchmark` for the measured comparison.
struct WeightedSum: Sendable {
    /// Σ wᵢ·Δᵢ, shape [d].
    private(set) var sum: [Float]
    /// Σ wᵢ.
    private(set) var totalWeight: Double = 0

    /// A zero sum over `parameterCount` scalars.
    init(parameterCount: Int) {
        precondition(parameterCount >= 0, "parameterCount must be ≥ 0")
        sum = [Float](repeating: 0, count: parameterCount)
    }

    var parameterCount: Int { sum.count }

    /// sum += weight·delta; totalWeight += weight.
    /// - Precondition: `delta.count == parameterCount`; `weight` finite and ≥ 0.
    mutating func add(_ delta: [Float], weight: Double) {
        precondition(delta.count == sum.count, "update has \(delta.count) scalars; the accumulator holds \(sum.count)")
        precondition(weight.isFinite && weight >= 0, "weight must be finite and ≥ 0, got \(weight)")
        totalWeight += weight
        guard weight > 0 else { return }
        Self.addScaled(Float(weight), delta, into: &sum)
    }

    /// s[i] += w·x[i] for all i: a plain loop over raw pointers that the optimizer vectorizes
    /// (SSE2 on the x86-64 baseline is enough: the loop is bound by memory bandwidth, reading
    /// 4 bytes of update per 2 flops).
    @inline(__always)
    static func addScaled(_ w: Float, _ x: [Float], into s: inout [Float]) {
        let n = s.count
        s.withUnsafeMutableBufferPointer { sp in
            x.withUnsafeBufferPointer { xp in
                guard n > 0, let so = sp.baseAddress, let xo = xp.baseAddress else { return }
                for i in 0..<n { so[i] += w * xo[i] }
            }
        }
    }

    /// sum / divisor, each coordinate divided in Double and rounded once to Float.
    func divided(by divisor: Double) -> [Float] {
        sum.map { Float(Double($0) / divisor) }
    }
}
