import FedFusion

/// The settings of central DP-FedAvg as plain values (what a coordinator stores with its run, so
/// a resumed run rebuilds the same strategy): z, C, fixed or adaptive clipping, δ and a budget.
public struct DPFedAvgSettings: Sendable, Codable, Equatable {
    /// The noise multiplier z.
    public var noiseMultiplier: Double
    /// The clip norm C (the initial C with adaptive clipping).
    public var clipNorm: Double
    /// Adapt C to a quantile of the update norms.
    public var adaptive: Bool
    /// Adaptive clipping: the target quantile γ and the learning rate η.
    public var targetQuantile: Double
    public var clipLearningRate: Double
    /// The δ at which ε is reported and budgeted.
    public var delta: Double
    /// The largest ε the run may spend, if any.
    public var epsilonBudget: Double?

    /// Creates settings.
    public init(noiseMultiplier: Double, clipNorm: Double, adaptive: Bool = false, targetQuantile: Double = 0.5,
                clipLearningRate: Double = 0.2, delta: Double = 1e-5, epsilonBudget: Double? = nil) {
        self.noiseMultiplier = noiseMultiplier
        self.clipNorm = clipNorm
        self.adaptive = adaptive
        self.targetQuantile = targetQuantile
        self.clipLearningRate = clipLearningRate
        self.delta = delta
        self.epsilonBudget = epsilonBudget
    }

    /// `strategy` wrapped in DP-FedAvg.
    /// - Parameters:
    ///   - expectedClients: m, the nodes per round.
    ///   - population: all nodes (q = m / population).
    ///   - seed: the noise seed.
    /// - Throws: `PrivacyError` for settings out of range or a strategy DP-FedAvg cannot wrap.
    public func wrap(_ strategy: AnyFusionStrategy, expectedClients: Int, population: Int, seed: UInt64) throws(PrivacyError) -> AnyFusionStrategy {
        let clipping: ClippingPolicy = adaptive
            ? .adaptive(try AdaptiveClipNorm(initialClipNorm: clipNorm, targetQuantile: targetQuantile, learningRate: clipLearningRate,
                                             expectedClients: expectedClients))
            : .fixed(clipNorm: clipNorm)
        // Without a budget, a budget no run reaches carries the reporting δ.
        let budget = try PrivacyBudget(epsilon: epsilonBudget ?? .greatestFiniteMagnitude, delta: delta)
        return AnyFusionStrategy(try DifferentialPrivacyStrategy(
            wrapping: strategy, noiseMultiplier: noiseMultiplier, clipping: clipping, expectedClientsPerRound: expectedClients,
            population: population, seed: seed, budget: budget))
    }
}
