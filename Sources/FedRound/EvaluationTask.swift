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
    /// The node's signature over its result (ECDSA P-256, DER, with its certificate's key), or
    /// empty when the node does not sign (in process, or without TLS).
    public var signature: [UInt8] = []
    /// The key that verifies `signature` (SubjectPublicKeyInfo DER of the node's certificate),
    /// filled in by the coordinator from the authenticated connection; empty when unsigned.
    public var signerKey: [UInt8] = []

    /// Creates a reply.
    public init(nodeID: String, round: Int, evaluation: Evaluation, signature: [UInt8] = [], signerKey: [UInt8] = []) {
        self.nodeID = nodeID
        self.round = round
        self.evaluation = evaluation
        self.signature = signature
        self.signerKey = signerKey
    }
}
