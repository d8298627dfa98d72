/// Coordinate-wise trimmed mean (Yin, Chen, Ramchandran, Bartlett 2018, "Byzantine-Robust
/// Distributed Learning: Towards Optimal Statistical Rates", ICML).
///
/// Fusion: for each coordinate, sort the k values, drop the t = ⌊β·k⌋ largest and the t
/// smallest, and average the k − 2t left (unweighted):
///
///     Δⱼ = 1/(k − 2t) · Σ_{r = t}^{k−t−1} Δ₍ᵣ₎ⱼ      (Δ₍ᵣ₎ⱼ the r-th smallest value of coordinate j)
///
/// Tolerates up to t arbitrary updates per coordinate. β = 0 is the plain mean. Server step:
/// w ← w + Δ. Memory: keeps the round's updates, O(k·d) (see `RobustAccumulator`).
public struct TrimmedMean: FusionStrategy {
    /// The fraction β in [0, 0.5) trimmed from each end (default 0.1).
    public let beta: Double

    /// Creates the strategy.
    /// - Parameter beta: β in [0, 0.5), default 0.1.
    /// - Throws: `FusionError.invalidOption` naming `beta` when it is outside [0, 0.5).
    public init(beta: Double = 0.1) throws(FusionError) {
        guard beta >= 0, beta < 0.5 else {
            throw FusionError(.invalidOption, source: "trimmed-mean option beta", "expected a fraction in [0, 0.5), got \(beta)")
        }
        self.beta = beta
    }

    /// `trimmed-mean`.
    public var name: String { "trimmed-mean" }

    /// An accumulator that keeps the round's updates.
    public func makeAccumulator(parameterCount: Int, version: Int) -> RobustAccumulator {
        RobustAccumulator(parameterCount: parameterCount, rule: .trimmedMean(beta: beta))
    }

    /// w ← w + Δ.
    /// - Precondition: `fused.count == global.count`.
    public mutating func apply(fused: [Float], to global: inout [Float], round: Int, failures: [NodeFailure]) {
        ServerStep.addScaled(1, fused, to: &global)
    }

    /// t = ⌊β·k⌋, the number of values dropped at each end (a 10⁻⁹ slack absorbs rounding in
    /// β·k, so that 0.3·10 trims 3).
    public static func trimCount(beta: Double, updateCount k: Int) -> Int {
        Int((beta * Double(k) + 1e-9).rounded(.down))
    }

    /// The trimmed mean of k ≥ 1 rows of d scalars.
    static func trimmedMean(of rows: [[Float]], parameterCount d: Int, beta: Double) throws(FusionError) -> [Float] {
        let k = rows.count, t = trimCount(beta: beta, updateCount: k)
        guard k - 2 * t > 0 else {
            throw FusionError(.cannotFuse, source: "trimmed-mean", "trimming \(t) of \(k) updates from each end leaves none; expected at least 1")
        }
        return try RobustAccumulator.mapColumns(rows, parameterCount: d) { (column) throws(FusionError) -> Float in
            var column = column
            column.sort()
            var s = 0.0
            for r in t..<(k - t) { s += Double(column[r]) }
            return Float(s / Double(k - 2 * t))
        }
    }
}
