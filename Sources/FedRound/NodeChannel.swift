/// How the round engine reaches one node: in process (`InProcessChannel`) or over the network
/// (the gRPC channel of FedProtocol). Implementations move messages; they make no decisions.
///
/// A channel's `nodeID` is the node's authenticated identity (over gRPC, the one its
/// certificate proves). The engine trusts it, and checks a reply's own `nodeID` against it.
///
/// Cancellation: when a round ends before a node has answered (its time window closed, its
/// timeout passed), the engine cancels the task awaiting `train`. Channels and node handlers
/// should stop promptly when cancelled (check `Task.isCancelled` between local steps); the
/// round's result never waits for them, but the engine's task group does.
public protocol NodeChannel: Sendable {
    /// The node's identifier.
    var nodeID: String { get }

    /// Sends a training task and waits for the node's reply.
    /// - Parameter task: the global parameters and the local training configuration.
    /// - Returns: the node's update or its refusal.
    /// - Throws: any transport or node error; the engine records it as the node's failure.
    func train(_ task: TrainingTask) async throws -> TrainingReply

    /// Asks the node to evaluate parameters on its own data.
    /// - Throws: `RoundError.unsupported` by default; transport or node errors.
    func evaluate(_ task: EvaluationTask) async throws -> EvaluationReply

    /// One stage of a secure-aggregation round (see `SecureAggregationStage`).
    /// - Throws: `RoundError.unsupported` by default; transport or node errors.
    func secureAggregation(_ request: SecureAggregationRequest) async throws -> SecureAggregationResponse
}

extension NodeChannel {
    /// Default: this channel's node does not evaluate.
    public func evaluate(_ task: EvaluationTask) async throws -> EvaluationReply {
        throw RoundError(.unsupported, source: "node \(nodeID)", "this channel does not offer node-side evaluation")
    }

    /// Default: this channel's node does not take part in secure aggregation.
    public func secureAggregation(_ request: SecureAggregationRequest) async throws -> SecureAggregationResponse {
        throw RoundError(.unsupported, source: "node \(nodeID)", "this node does not take part in secure aggregation")
    }
}
