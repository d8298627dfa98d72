/// The stages of a secure-aggregation round (SecAgg+, Bell et al. 2020, on Bonawitz et al.
/// 2017) at which the round engine asks a node for something. The engine carries the stages'
/// messages as opaque bytes; FedSecureAggregation's state machines write and read them.
public enum SecureAggregationStage: Int, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// Train on the task's global parameters and hold the update; answer with fresh public keys.
    case advertiseKeys = 1
    /// Given the neighbours' public keys, answer with encrypted shares of the node's secrets.
    case shareKeys = 2
    /// Given the shares addressed to it, answer with the masked, quantized update.
    case maskedInput = 3
    /// Given who survived and who dropped, answer with the shares the server may see.
    case unmasking = 4

    public var description: String {
        switch self {
        case .advertiseKeys: "advertise-keys"
        case .shareKeys: "share-keys"
        case .maskedInput: "masked-input"
        case .unmasking: "unmasking"
        }
    }
}

/// What the engine sends a node at one stage of a secure-aggregation round.
public struct SecureAggregationRequest: Sendable, Equatable {
    /// The round.
    public var round: Int
    /// The stage.
    public var stage: SecureAggregationStage
    /// The server's message for this node at this stage (FedSecureAggregation's encoding).
    public var payload: [UInt8]
    /// At `advertiseKeys`: what to train on (the global parameters and the configuration). Nil
    /// at the other stages.
    public var training: TrainingTask?
    /// The node's seed for the run, when the coordinator chooses it (over the network: its local
    /// shuffles derive from it and the round); 0 when the node keeps its own.
    public var nodeSeed: UInt64

    /// Creates a request.
    public init(round: Int, stage: SecureAggregationStage, payload: [UInt8], training: TrainingTask? = nil, nodeSeed: UInt64 = 0) {
        self.round = round
        self.stage = stage
        self.payload = payload
        self.training = training
        self.nodeSeed = nodeSeed
    }
}

/// A node's answer at one stage of a secure-aggregation round.
public struct SecureAggregationResponse: Sendable, Equatable {
    /// The node's identifier.
    public var nodeID: String
    /// The round answered.
    public var round: Int
    /// The stage answered.
    public var stage: SecureAggregationStage
    /// The node's message (FedSecureAggregation's encoding). At `maskedInput` it holds the
    /// masked vector: about 4 bytes per parameter.
    public var payload: [UInt8]
    /// Numbers the node reports at `advertiseKeys` (`train_loss`, `train_seconds`, …).
    public var metrics: [String: Double]

    /// Creates a response.
    public init(nodeID: String, round: Int, stage: SecureAggregationStage, payload: [UInt8], metrics: [String: Double] = [:]) {
        self.nodeID = nodeID
        self.round = round
        self.stage = stage
        self.payload = payload
        self.metrics = metrics
    }
}

/// The node side of secure aggregation: keeps a round's secrets and the held update between
/// stages and answers the engine's requests. In process, `InProcessChannel` calls it directly;
/// over the network, the node agent does.
public protocol SecureAggregationParticipant: Sendable {
    /// Answers one stage's request.
    /// - Throws: when the request is malformed, out of order, or would make the node reveal what
    ///   it must not (both kinds of share for one peer); the engine records the node as failed.
    func respond(to request: SecureAggregationRequest) async throws -> SecureAggregationResponse
}
