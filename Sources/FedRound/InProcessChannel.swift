/// A channel to a node that lives in the same process: `train` calls the node's handler
/// directly. Simulations use it for thousands of nodes; tests use it for fake nodes.
///
/// Arrays are copy-on-write values, so the global parameters are not copied per node: a
/// node that changes them gets its own copy, and the engine's never changes under it.
public struct InProcessChannel: NodeChannel {
    /// The node's identifier.
    public let nodeID: String
    private let trainHandler: @Sendable (TrainingTask) async throws -> TrainingReply
    private let evaluateHandler: (@Sendable (EvaluationTask) async throws -> EvaluationReply)?
    private let participant: (any SecureAggregationParticipant)?

    /// Creates a channel to a local node.
    /// - Parameters:
    ///   - nodeID: the node's identifier.
    ///   - train: the node's training handler.
    ///   - evaluate: the node's evaluation handler, if it evaluates.
    ///   - secureAggregation: the node's side of secure aggregation, if it takes part.
    public init(
        nodeID: String,
        train: @escaping @Sendable (TrainingTask) async throws -> TrainingReply,
        evaluate: (@Sendable (EvaluationTask) async throws -> EvaluationReply)? = nil,
        secureAggregation: (any SecureAggregationParticipant)? = nil
    ) {
        self.nodeID = nodeID
        self.trainHandler = train
        self.evaluateHandler = evaluate
        self.participant = secureAggregation
    }

    /// Runs the node's training handler.
    /// - Throws: whatever the handler throws.
    public func train(_ task: TrainingTask) async throws -> TrainingReply {
        try await trainHandler(task)
    }

    /// Runs the node's evaluation handler.
    /// - Throws: `RoundError.unsupported` without one; whatever the handler throws.
    public func evaluate(_ task: EvaluationTask) async throws -> EvaluationReply {
        guard let evaluateHandler else {
            throw RoundError(.unsupported, source: "node \(nodeID)", "this in-process node has no evaluation handler")
        }
        return try await evaluateHandler(task)
    }

    /// Passes a secure-aggregation request to the node's participant.
    /// - Throws: `RoundError.unsupported` without one; whatever the participant throws.
    public func secureAggregation(_ request: SecureAggregationRequest) async throws -> SecureAggregationResponse {
        guard let participant else {
            throw RoundError(.unsupported, source: "node \(nodeID)", "this in-process node does not take part in secure aggregation")
        }
        return try await participant.respond(to: request)
    }
}
