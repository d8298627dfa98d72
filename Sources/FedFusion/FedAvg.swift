/// Federated Averaging (McMahan, Moore, Ramage, Hampson, Agüera y Arcas 2017, "Communication-
/// Efficient Learning of Deep Networks from Decentralized Data", AISTATS).
///
/// Fusion: the sample-weighted mean of the deltas, Δ = Σ nᵢΔᵢ / Σ nᵢ, where nᵢ is node i's
/// sample count. Server step: w ← w + η·Δ with server learning rate η (1 gives the paper's
/// w ← Σ (nᵢ/n) wᵢ). Streaming, memory O(d). Failures are accepted and ignored: the mean is
/// over the nodes that delivered.
public struct FedAvg: FusionStrategy {
    /// The server learning rate η (default 1).
    public let serverLearningRate: Float

    /// Creates the strategy.
    /// - Parameter serverLearningRate: η > 0, default 1.
    /// - Throws: `FusionError.invalidOption` naming `server-lr` when η is not a finite positive number.
    public init(serverLearningRate: Float = 1) throws(FusionError) {
        try OptionCheck.positive(Double(serverLearningRate), "server-lr", of: "fedavg")
        self.serverLearningRate = serverLearningRate
    }

    /// `fedavg`.
    public var name: String { "fedavg" }

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

/// The plain server step shared by the linear strategies.
enum ServerStep {
    /// global += rate·step.
    static func addScaled(_ rate: Float, _ step: [Float], to global: inout [Float]) {
        precondition(step.count == global.count, "fused delta has \(step.count) scalars; the global model has \(global.count)")
        WeightedSum.addScaled(rate, step, into: &global)
    }
}
