/// FedProx (Li, Sahu, Zaheer, Sanjabi, Talwalkar, Smith 2020, "Federated Optimization in
/// Heterogeneous Networks", MLSys).
///
/// The server is FedAvg's: Δ = Σ nᵢΔᵢ / Σ nᵢ, w ← w + η·Δ. The difference is on the node:
/// each node minimises its local loss plus a proximal term that keeps it near the global model,
///
///     hₖ(w; wᵗ) = Fₖ(w) + (μ/2)·‖w − wᵗ‖²,   so the local gradient gains μ·(w − wᵗ),
///
/// which tames client drift under heterogeneous data and tolerates partial work (fewer local
/// steps) from slow nodes. The strategy sends μ to the selected nodes as the training
/// instruction `proximal_mu`; the node side (FedNode's local trainer) applies the term.
public struct FedProx: FusionStrategy {
    /// The proximal coefficient μ ≥ 0 (default 0.01; the paper tunes μ ∈ {0.001, 0.01, 0.1, 1}).
    /// μ = 0 is FedAvg (with FedProx's tolerance of partial work).
    public let mu: Double
    /// The server learning rate η (default 1).
    public let serverLearningRate: Float

    /// Creates the strategy.
    /// - Parameters:
    ///   - mu: μ ≥ 0, default 0.01.
    ///   - serverLearningRate: η > 0, default 1.
    /// - Throws: `FusionError.invalidOption` naming `mu` or `server-lr` when out of range.
    public init(mu: Double = 0.01, serverLearningRate: Float = 1) throws(FusionError) {
        try OptionCheck.nonNegative(mu, "mu", of: "fedprox")
        try OptionCheck.positive(Double(serverLearningRate), "server-lr", of: "fedprox")
        self.mu = mu
        self.serverLearningRate = serverLearningRate
    }

    /// `fedprox`.
    public var name: String { "fedprox" }

    /// `["proximal_mu": μ]` every round.
    public func nodeInstructions(round: Int) -> [String: Double] { ["proximal_mu": mu] }

    /// A sample-weighted mean accumulator.
    public func makeAccumulator(parameterCount: Int, version: Int) -> WeightedMeanAccumulator {
        WeightedMeanAccumulator(parameterCount: parameterCount)
    }

    /// w ← w + η·Δ.
    /// - Precondition: `fused.count == global.count`.
    public mutating func apply(fused: [Float], to global: inout [Float], round: Int, failures: [NodeFailure]) {
        ServerStep.addScaled(serverLearningRate, fused, to: &global)
    }
}
