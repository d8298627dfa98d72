/// How a node trains locally in one round: the hyperparameters the coordinator sends with
/// the global model, plus the strategy's instructions.
public struct LocalTrainingConfiguration: Sendable, Equatable {
    /// Passes over the node's local samples (E in McMahan et al. 2017).
    public var localEpochs: Int
    /// Samples per local step (B).
    public var batchSize: Int
    /// The node optimizer's step size.
    public var learningRate: Float
    /// Strategy-specific numbers, e.g. FedProx's `proximal_mu`, dynamic fusion's
    /// `participation_tolerance` (see `FusionStrategy.nodeInstructions(round:)`).
    public var instructions: [String: Double]

    /// Creates a configuration.
    /// - Parameters:
    ///   - localEpochs: passes over the local data (at least 1).
    ///   - batchSize: samples per step (at least 1).
    ///   - learningRate: the local step size (positive).
    ///   - instructions: the strategy's instructions (default none).
    public init(localEpochs: Int, batchSize: Int, learningRate: Float, instructions: [String: Double] = [:]) {
        self.localEpochs = localEpochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.instructions = instructions
    }

    /// Checks the values' ranges.
    /// - Throws: `RoundError.invalidConfiguration` naming the offending value.
    public func validate() throws {
        guard localEpochs >= 1 else {
            throw RoundError(.invalidConfiguration, source: "local epochs", "expected at least 1, got \(localEpochs)")
        }
        guard batchSize >= 1 else {
            throw RoundError(.invalidConfiguration, source: "batch size", "expected at least 1, got \(batchSize)")
        }
        guard learningRate > 0, learningRate.isFinite else {
            throw RoundError(.invalidConfiguration, source: "learning rate", "expected a positive finite number, got \(learningRate)")
        }
    }
}
