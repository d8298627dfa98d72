/// An (ε, δ) differential-privacy guarantee computed by the RDP accountant, with the Rényi
/// order that gave it.
public struct PrivacyGuarantee: Sendable, Equatable, CustomStringConvertible {
    /// ε ≥ 0 (+∞ when no order gives a finite bound, e.g. zero noise).
    public var epsilon: Double
    /// δ in (0, 1), as asked.
    public var delta: Double
    /// The Rényi order α at which the conversion was tightest.
    public var bestOrder: Double
    /// True when the best order is the smallest or the largest of the grid: a wider grid might
    /// give a smaller ε (Opacus warns in this case too).
    public var bestOrderAtGridEdge: Bool

    /// Creates a guarantee.
    /// - Parameters:
    ///   - epsilon: ε ≥ 0 or +∞.
    ///   - delta: δ in (0, 1).
    ///   - bestOrder: the order α that gave ε.
    ///   - bestOrderAtGridEdge: whether α is an end of the order grid.
    public init(epsilon: Double, delta: Double, bestOrder: Double, bestOrderAtGridEdge: Bool) {
        self.epsilon = epsilon
        self.delta = delta
        self.bestOrder = bestOrder
        self.bestOrderAtGridEdge = bestOrderAtGridEdge
    }

    /// "(ε = 5.632, δ = 1e-05) at order 4.7", with a note when the order is at the grid's edge.
    public var description: String {
        "(ε = \(epsilon), δ = \(delta)) at order \(bestOrder)" + (bestOrderAtGridEdge ? " (an end of the order grid: widen it)" : "")
    }
}

/// A privacy budget: the largest (ε, δ) a run may spend.
public struct PrivacyBudget: Sendable, Equatable {
    /// The largest ε allowed, finite and > 0.
    public let epsilon: Double
    /// The δ at which ε is measured, in (0, 1).
    public let delta: Double

    /// Creates a budget.
    /// - Parameters:
    ///   - epsilon: a finite number > 0.
    ///   - delta: a number in (0, 1).
    /// - Throws: `PrivacyError.invalidArgument` naming `epsilon` or `delta` when out of range.
    public init(epsilon: Double, delta: Double) throws(PrivacyError) {
        try ArgumentCheck.positive(epsilon, "epsilon", of: "privacy budget")
        try ArgumentCheck.unitOpen(delta, "delta", of: "privacy budget")
        self.epsilon = epsilon
        self.delta = delta
    }
}
