/// FedAvg with server momentum, FedAvgM (Hsu, Qi, Brown 2019, "Measuring the Effects of
/// Non-Identical Data Distribution for Federated Visual Classification", arXiv:1909.06335).
///
/// Fusion: Δ = Σ nᵢΔᵢ / Σ nᵢ (as FedAvg). Server step, with momentum β and learning rate η:
///
///     v ← β·v + Δ
///     w ← w + η·v
///
/// (the paper writes v ← βv + Δw, w ← w − v with Δw = w − w_local; here Δ = w_local − w, so
/// the signs flip). v starts at 0, so the first round is FedAvg with rate η.
/// Memory: the accumulator's O(d) plus v, O(d).
public struct FedAvgM: FusionStrategy {
    /// The server learning rate η (default 1).
    public let serverLearningRate: Float
    /// The server momentum β in [0, 1) (default 0.9).
    public let momentum: Float
    /// The server velocity v, shape [d]; empty before the first round. Checkpoint it with the
    /// model and set it to resume (its length must then equal the model's).
    public var velocity: [Float] = []

    /// Creates the strategy.
    /// - Parameters:
    ///   - serverLearningRate: η > 0, default 1.
    ///   - momentum: β in [0, 1), default 0.9.
    /// - Throws: `FusionError.invalidOption` naming `server-lr` or `momentum` when out of range.
    public init(serverLearningRate: Float = 1, momentum: Float = 0.9) throws(FusionError) {
        try OptionCheck.positive(Double(serverLearningRate), "server-lr", of: "fedavgm")
        try OptionCheck.unitInterval(Double(momentum), "momentum", of: "fedavgm")
        self.serverLearningRate = serverLearningRate
        self.momentum = momentum
    }

    /// `fedavgm`.
    public var name: String { "fedavgm" }

    /// A sample-weighted mean accumulator.
    public func makeAccumulator(parameterCount: Int, version: Int) -> WeightedMeanAccumulator {
        WeightedMeanAccumulator(parameterCount: parameterCount)
    }

    /// v ← β·v + Δ; w ← w + η·v.
    /// - Precondition: `fused.count == global.count` (and `velocity.count`, once set).
    public mutating func apply(fused: [Float], to global: inout [Float], round: Int, failures: [NodeFailure]) {
        precondition(fused.count == global.count, "fused delta has \(fused.count) scalars; the global model has \(global.count)")
        if velocity.isEmpty { velocity = [Float](repeating: 0, count: fused.count) }
        precondition(velocity.count == fused.count, "velocity has \(velocity.count) scalars; the model has \(fused.count)")
        let beta = momentum
        velocity.withUnsafeMutableBufferPointer { v in
            fused.withUnsafeBufferPointer { delta in
                for i in 0..<v.count { v[i] = beta * v[i] + delta[i] }
            }
        }
        ServerStep.addScaled(serverLearningRate, velocity, to: &global)
    }

    /// The velocity, under `velocity`.
    public var serverState: [String: [Float]] { velocity.isEmpty ? [:] : ["velocity": velocity] }

    /// Restores the velocity.
    public mutating func restoreServerState(_ state: [String: [Float]], parameterCount: Int) throws(FusionError) {
        try checkServerState(state, keys: ["velocity"], parameterCount: parameterCount)
        velocity = state["velocity"] ?? []
    }
}
