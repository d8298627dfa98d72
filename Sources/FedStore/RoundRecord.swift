import Foundation

/// A completed round of a run: which checkpoint it produced, its metrics and who took part.
public struct RoundRecord: Sendable, Equatable {
    /// The run the round belongs to.
    public var runID: String
    /// The round number, 1-based.
    public var round: Int
    /// The global model version after the round.
    public var version: Int
    /// The SHA-256 (64 lowercase hex digits) of the model's safetensors checkpoint after the round.
    public var checkpointSHA256: String
    /// The SHA-256 of the fusion strategy's server state (safetensors, one 1-D tensor per key),
    /// or `nil` when the strategy keeps no state.
    public var strategyStateSHA256: String?
    /// The round's metrics as one JSON object. Opaque to the store beyond being an object.
    public var metricsJSON: String
    /// The names of the nodes whose updates were fused, in the order given.
    public var participants: [String]
    /// When the round was committed.
    public var completedAt: Date

    /// Creates a round record.
    /// - Parameters:
    ///   - runID: the run.
    ///   - round: the round number.
    ///   - version: the model version after the round.
    ///   - checkpointSHA256: the checkpoint's hex SHA-256.
    ///   - strategyStateSHA256: the strategy state's hex SHA-256, if any.
    ///   - metricsJSON: the metrics as a JSON object.
    ///   - participants: the nodes whose updates were fused.
    ///   - completedAt: when the round was committed.
    public init(
        runID: String, round: Int, version: Int, checkpointSHA256: String, strategyStateSHA256: String?,
        metricsJSON: String, participants: [String], completedAt: Date
    ) {
        self.runID = runID
        self.round = round
        self.version = version
        self.checkpointSHA256 = checkpointSHA256
        self.strategyStateSHA256 = strategyStateSHA256
        self.metricsJSON = metricsJSON
        self.participants = participants
        self.completedAt = completedAt
    }
}
