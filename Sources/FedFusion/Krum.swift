/// Krum (Blanchard, El Mhamdi, Guerraoui, Stainer 2017, "Machine Learning with Adversaries:
/// Byzantine Tolerant Gradient Descent", NeurIPS).
///
/// With k updates of which at most f are assumed Byzantine, each update i is scored by the sum
/// of squared distances to its k − f − 2 nearest other updates,
///
///     score(i) = Σ_{j ∈ Nᵢ} ‖Δᵢ − Δⱼ‖²,   Nᵢ = the k − f − 2 updates closest to Δᵢ (j ≠ i),
///
/// and the fused delta is the single update with the lowest score (ties go to the smaller node
/// id). The rule needs k > 2f + 2 (k ≥ 5 for f = 1). With fewer updates there is no safe
/// fallback, so `fuse()` throws `FusionError.cannotFuse` saying so and `fusedDelta()` is nil:
/// the round fails; select more nodes or assume a smaller f. Server step: w ← w + Δ.
///
/// Memory: keeps the round's updates, O(k·d), plus O(k²) distances; time O(k²·d).
public struct Krum: FusionStrategy {
    /// f, the number of Byzantine updates tolerated (default 1).
    public let assumedByzantine: Int

    /// Creates the strategy.
    /// - Parameter assumedByzantine: f ≥ 0, default 1. Each round then needs k > 2f + 2 updates.
    /// - Throws: `FusionError.invalidOption` naming `f` when it is negative.
    public init(assumedByzantine: Int = 1) throws(FusionError) {
        try Krum.checkByzantineCount(assumedByzantine, of: "krum")
        self.assumedByzantine = assumedByzantine
    }

    /// `krum`.
    public var name: String { "krum" }

    /// An accumulator that keeps the round's updates.
    public func makeAccumulator(parameterCount: Int, version: Int) -> RobustAccumulator {
        RobustAccumulator(parameterCount: parameterCount, rule: .krum(assumedByzantine: assumedByzantine))
    }

    /// w ← w + Δ.
    /// - Precondition: `fused.count == global.count`.
    public mutating func apply(fused: [Float], to global: inout [Float], round: Int, failures: [NodeFailure]) {
        ServerStep.addScaled(1, fused, to: &global)
    }

    /// The Krum score of each update: the sum of its squared distances to its k − f − 2 nearest
    /// other updates (distances summed in Double).
    /// - Parameters:
    ///   - deltas: k updates of equal length.
    ///   - f: the number of Byzantine updates assumed, ≥ 0.
    /// - Throws: `FusionError.cannotFuse` unless k > 2f + 2.
    /// - Precondition: every delta has the same length.
    public static func scores(_ deltas: [[Float]], assumedByzantine f: Int) throws(FusionError) -> [Double] {
        let k = deltas.count
        // k > 2f + 2, written so that a huge f cannot overflow
        guard f >= 0, k >= 3, f <= (k - 3) / 2 else {
            let needed = f >= 0 && f <= k ? " = \(2 * f + 2)" : ""
            throw FusionError(.cannotFuse, source: "krum", "with f = \(f) assumed Byzantine, Krum needs more than 2f + 2\(needed) updates; got \(k)")
        }
        precondition(deltas.allSatisfy { $0.count == deltas[0].count }, "Krum's updates must all have the same length")
        let distances = squaredDistances(deltas)  // [k][k]
        let neighbours = k - f - 2
        return (0..<k).map { i in
            var row = (0..<k).filter { $0 != i }.map { distances[i * k + $0] }
            row.sort()
            return row[0..<neighbours].reduce(0, +)
        }
    }

    /// Indices of `deltas` from the lowest score to the highest; equal scores keep index order.
    static func ranking(_ deltas: [[Float]], assumedByzantine f: Int) throws(FusionError) -> [Int] {
        let s = try scores(deltas, assumedByzantine: f)
        return s.indices.sorted { (s[$0], $0) < (s[$1], $1) }
    }

    /// ‖Δᵢ − Δⱼ‖² for all pairs, k×k row-major, accumulated in Double.
    static func squaredDistances(_ deltas: [[Float]]) -> [Double] {
        let k = deltas.count
        var out = [Double](repeating: 0, count: k * k)
        for i in 0..<k {
            for j in (i + 1)..<k {
                let s = deltas[i].withUnsafeBufferPointer { a in
                    deltas[j].withUnsafeBufferPointer { b in
                        var s = 0.0
                        for x in 0..<a.count {
                            let t = Double(a[x]) - Double(b[x])
                            s += t * t
                        }
                        return s
                    }
                }
                out[i * k + j] = s
                out[j * k + i] = s
            }
        }
        return out
    }

    /// f must be ≥ 0.
    static func checkByzantineCount(_ f: Int, of strategy: String) throws(FusionError) {
        guard f >= 0 else {
            throw FusionError(.invalidOption, source: "\(strategy) option f", "expected a whole number of assumed Byzantine updates ≥ 0, got \(f)")
        }
    }
}
