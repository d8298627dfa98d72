/// A running Σ wᵢ·Δᵢ over `d` scalars and Σ wᵢ: the one hot loop of every linear strategy
/// (FedAvg and its server-optimizer variants, dynamic fusion, FedBuff). Memory: one `[Float]`
/// of the model's size and at most three retained deltas, however many updates are folded in.
///
/// Precision: the sum is kept in Float and the total weight in Double. Each `add` rounds once
/// per scalar, so after k updates a coordinate's error is at most about k·2⁻²⁴ of the sum of
/// the magnitudes (about √k·2⁻²⁴ in practice), well below the noise of stochastic training:
/// 100 updates of 10⁶ uniform values in ±0.5 gave a largest error of 7·10⁻⁸ against the Double
/// reference (`WeightedMeanAccumulator.naiveWeightedMean`).
///
/// Speed: the running sum (4 MB for 10⁶ parameters) does not fit in L2, so the plain loop
/// `s[i] += w·x[i]` spends more time moving the sum than reading the update. Updates are
/// therefore folded four per pass (`addScaled4`); the plain loop `addScaled` is its slow twin,
/// used for the last 1–3 and compared with a Double reference in the tests. Measured with
/// `FusionBenchmark` (release, 100 updates × 10⁶ scalars, shared 2-vCPU VM under load, so only
/// ratios to the read ceiling measured in the same run mean anything): plain loop 11–13 GB/s of
/// update data, 0.52–0.54 of the ceiling; four per pass 14.5–18 GB/s, 0.74–1.0 of it; a Double
/// running sum with the plain loop was slower again (9–10 GB/s beside 11–12 for Float).
/// Memory: the sum plus up to three pending deltas, retained (shared with the caller), not copied.
struct WeightedSum: Sendable {
    /// Σ wᵢ·Δᵢ over the updates already folded in, shape [d] (the pending ones are not in it yet).
    private var sum: [Float]
    /// Σ wᵢ, pending updates included.
    private(set) var totalWeight: Double = 0
    /// Up to three updates waiting to be folded in with the next one, so that the running sum is
    /// read and written once per four updates (see `addScaled4`). They are retained, not copied.
    private var pending: [(delta: [Float], weight: Float)] = []

    /// A zero sum over `parameterCount` scalars.
    init(parameterCount: Int) {
        precondition(parameterCount >= 0, "parameterCount must be ≥ 0")
        sum = [Float](repeating: 0, count: parameterCount)
        pending.reserveCapacity(4)
    }

    var parameterCount: Int { sum.count }

    /// sum += weight·delta; totalWeight += weight.
    /// - Precondition: `delta.count == parameterCount`; `weight` finite and ≥ 0.
    mutating func add(_ delta: [Float], weight: Double) {
        precondition(delta.count == sum.count, "update has \(delta.count) scalars; the accumulator holds \(sum.count)")
        precondition(weight.isFinite && weight >= 0, "weight must be finite and ≥ 0, got \(weight)")
        totalWeight += weight
        guard weight > 0 else { return }
        pending.append((delta, Float(weight)))
        if pending.count == 4 { flushPending() }
    }

    /// Folds the pending updates into `sum`: four in one pass, fewer one pass each.
    private mutating func flushPending() {
        if pending.count == 4 {
            Self.addScaled4(pending[0], pending[1], pending[2], pending[3], into: &sum)
        } else {
            for p in pending { Self.addScaled(p.weight, p.delta, into: &sum) }
        }
        pending.removeAll(keepingCapacity: true)
    }

    /// sum / divisor, each coordinate divided in Double and rounded once to Float.
    func divided(by divisor: Double) -> [Float] {
        var complete = self
        complete.flushPending()
        return complete.sum.map { Float(Double($0) / divisor) }
    }

    /// s[i] += w·x[i] for all i: the plain loop (and the slow twin of `addScaled4`). Over raw
    /// pointers the optimizer vectorizes it (SSE2, the x86-64 baseline, is enough: the loop is
    /// bound by memory traffic, not arithmetic).
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

    /// s[i] += w₀·x₀[i] + w₁·x₁[i] + w₂·x₂[i] + w₃·x₃[i] for all i: one pass over s per four
    /// updates. The plain loop moves 12 bytes per scalar of update (4 read from memory, 8 of
    /// running sum read and written, which does not fit in L2 for large models); this one moves
    /// 6, and reads four update streams at once, which keeps more cache misses in flight.
    static func addScaled4(
        _ a: (delta: [Float], weight: Float), _ b: (delta: [Float], weight: Float),
        _ c: (delta: [Float], weight: Float), _ e: (delta: [Float], weight: Float),
        into s: inout [Float]
    ) {
        let n = s.count
        let (wa, wb, wc, we) = (a.weight, b.weight, c.weight, e.weight)
        s.withUnsafeMutableBufferPointer { sp in
            a.delta.withUnsafeBufferPointer { ap in
                b.delta.withUnsafeBufferPointer { bp in
                    c.delta.withUnsafeBufferPointer { cp in
                        e.delta.withUnsafeBufferPointer { ep in
                            guard n > 0, let so = sp.baseAddress, let xa = ap.baseAddress, let xb = bp.baseAddress,
                                let xc = cp.baseAddress, let xe = ep.baseAddress
                            else { return }
                            for i in 0..<n { so[i] += (wa * xa[i] + wb * xb[i]) + (wc * xc[i] + we * xe[i]) }
                        }
                    }
                }
            }
        }
    }
}
