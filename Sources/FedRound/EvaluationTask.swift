import FedModels

/// A request that a node evaluate global parameters on its own held-out data (federated
/// evaluation: the data never leaves the node, only the numbers do).
public struct EvaluationTask: Sendable, Equatable {
    /// The round whose global model is evaluated.
    public var round: Int
    /// The version of the parameters.
    public var version: Int
    /// The parameters, flat, in model order.
    public var parameters: [Float]

    /// Creates a request.
    public init(round: Int, version: Int, parameters: [Float]) {
        self.round = round
        self.version = version
        self.parameters = parameters
    }
}

/// A node's answer to an `EvaluationTask`.
public struct EvaluationReply: Sendable, Equatable {
    /// The node's identifier.
    public var nodeID: String
    /// The round evaluated.
    public var round: Int
    /// Loss, accuracy and sample count on the node's data.
    public var evaluation: Evaluation

    /// Creates a reply.
    public init(nodeID: String, round: Int, evaluation: Evaluation) {
        self.nodeID = nodeID
        self.round = round
        self.evaluation = evaluation
    }
}
