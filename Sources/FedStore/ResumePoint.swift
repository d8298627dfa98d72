import FedModels

/// Where a run continues after a restart: the last committed round and the exact state
/// (model and fusion-strategy state) it left behind.
public struct ResumePoint: Sendable, Equatable {
    /// The last committed round; 0 for the initial checkpoint.
    public var round: Int
    /// The global model version after that round (0 for the initial checkpoint).
    public var version: Int
    /// The model parameters after that round, decoded from the verified checkpoint.
    public var parameters: ModelParameters
    /// The fusion strategy's server state after that round (momentum, Adam moments); empty if none.
    public var strategyState: [String: [Float]]
    /// The hex SHA-256 of the model checkpoint.
    public var checkpointSHA256: String

    /// Creates a resume point.
    /// - Parameters:
    ///   - round: the last committed round.
    ///   - version: the model version after it.
    ///   - parameters: the model parameters.
    ///   - strategyState: the strategy's server state.
    ///   - checkpointSHA256: the checkpoint's hex SHA-256.
    public init(round: Int, version: Int, parameters: ModelParameters, strategyState: [String: [Float]], checkpointSHA256: String) {
        self.round = round
        self.version = version
        self.parameters = parameters
        self.strategyState = strategyState
        self.checkpointSHA256 = checkpointSHA256
    }
}
