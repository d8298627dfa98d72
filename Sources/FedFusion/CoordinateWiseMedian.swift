/// Coordinate-wise median (Yin, Chen, Ramchandran, Bartlett 2018, "Byzantine-Robust Distributed
/// Learning: Towards Optimal Statistical Rates", ICML).
///
/// Fusion: for each coordinate j, Δⱼ = median{Δ₁ⱼ, …, Δₖⱼ} over the round's k updates,
/// unweighted (sample counts are ignored: a Byzantine node could claim any count); with k even,
/// the mean of the two middle values. One arbitrary update moves no coordinate beyond the range
/// of the honest values. Server step: w ← w + Δ.
///
/// Memory: keeps the round's updates, O(k·d) (see `RobustAccumulator`); time O(d·k log k).
public struct CoordinateWiseMedian: FusionStrategy {
    /// Creates the strategy (it has no options).
    public init() {}

    /// `median`.
    public var name: String { "median" }

    /// An accumulator that keeps the round's updates.
    public func makeAccumulator(parameterCount: Int, version: Int) -> RobustAccumulator {
        RobustAccumulator(parameterCount: parameterCount, rule: .median)
    }

    /// w ← w + Δ.
    /// - Precondition: `fused.count == global.count`.
    public mutating func apply(fused: [Float], to global: inout [Float], round: Int, failures: [NodeFailure]) {
        ServerStep.addScaled(1, fused, to: &global)
    }

    /// The coordinate-wise median of k ≥ 1 rows of d scalars.
    static func median(of rows: [[Float]], parameterCount d: Int) -> [Float] {
        RobustAccumulator.mapColumns(rows, parameterCount: d) { (column) throws(Never) -> Float in
            var column = column
            column.sort()
            let k = column.count, mid = k / 2
            return k % 2 == 1 ? column[mid] : Float((Double(column[mid - 1]) + Double(column[mid])) / 2)
        }
    }
}
