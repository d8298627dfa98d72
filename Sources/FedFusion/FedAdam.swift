/// FedAdam: FedAvg with an Adam server optimizer
/// (Reddi, Charles, Zaheer, Garrett, Rush, Konečný, Kumar, McMahan 2021, "Adaptive Federated
/// Optimization", ICLR).
///
/// Fusion: Δ = Σ nᵢΔᵢ / Σ nᵢ (sample-weighted mean, streaming, O(d)). Server step (Algorithm 2):
///
///     m ← β₁·m + (1 − β₁)·Δ
///     v ← β₂·v + (1 − β₂)·Δ²
///     w ← w + η·m / (√v + τ)
///
/// element-wise, m starting at 0 and v at τ², no bias correction. Memory: the accumulator's
/// O(d) plus m and v, O(d) each. Defaults: η = 10⁻², β₁ = 0.9, β₂ = 0.99, τ = 10⁻³ (the
/// paper's β values; η and τ from its tuned ranges, as in Flower's FedYogi).
public struct FedAdam: FusionStrategy {
    var optimizer: AdaptiveServerOptimizer

    /// The server learning rate η.
    public var serverLearningRate: Float { optimizer.learningRate }
    /// The first-moment decay β₁.
    public var beta1: Float { optimizer.beta1 }
    /// The second-moment decay β₂.
    public var beta2: Float { optimizer.beta2 }
    /// The adaptivity τ: v starts at τ², and the step divides by √v + τ.
    public var tau: Float { optimizer.tau }

    /// The server first moment m, shape [d]; empty before the first round. Checkpoint it with
    /// the model and set it (with `secondMoment`) to resume.
    public var firstMoment: [Float] {
        get { optimizer.firstMoment }
        set { optimizer.firstMoment = newValue }
    }

    /// The server second moment v, shape [d]; empty before the first round.
    public var secondMoment: [Float] {
        get { optimizer.secondMoment }
        set { optimizer.secondMoment = newValue }
    }

    /// Creates the strategy.
    /// - Parameters:
    ///   - serverLearningRate: η > 0, default 10⁻².
    ///   - beta1: β₁ in [0, 1), default 0.9.
    ///   - beta2: β₂ in [0, 1), default 0.99.
    ///   - tau: τ > 0, default 10⁻³.
    /// - Throws: `FusionError.invalidOption` naming the option out of range.
    public init(serverLearningRate: Float = 1e-2, beta1: Float = 0.9, beta2: Float = 0.99, tau: Float = 1e-3) throws(FusionError) {
        try AdaptiveServerOptimizer.validate(strategy: "fedadam", learningRate: serverLearningRate, beta1: beta1, beta2: beta2, tau: tau)
        optimizer = AdaptiveServerOptimizer(rule: .adam, learningRate: serverLearningRate, beta1: beta1, beta2: beta2, tau: tau)
    }

    /// `fedadam`.
    public var name: String { "fedadam" }

    /// A sample-weighted mean accumulator.
    public func makeAccumulator(parameterCount: Int, version: Int) -> WeightedMeanAccumulator {
        WeightedMeanAccumulator(parameterCount: parameterCount)
    }

    /// Updates the moments from Δ = `fused` and moves `global` by η·m/(√v + τ).
    /// - Precondition: `fused.count == global.count` (and the moments', once set).
    public mutating func apply(fused: [Float], to global: inout [Float], round: Int, failures: [NodeFailure]) {
        optimizer.step(delta: fused, global: &global)
    }
}

extension FedAdam {
    /// The server moments, under `first_moment` and `second_moment`.
    public var serverState: [String: [Float]] { optimizer.state }

    /// Restores the server moments.
    public mutating func restoreServerState(_ state: [String: [Float]], parameterCount: Int) throws(FusionError) {
        try checkServerState(state, keys: ["first_moment", "second_moment"], parameterCount: parameterCount)
        optimizer.restore(state)
    }
}
