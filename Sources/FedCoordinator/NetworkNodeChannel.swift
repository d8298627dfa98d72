import FedCrypto
import FedRound

/// The round engine's channel to a node that lives in another process: `train` hands the task
/// to the `NodeRegistry`, where the node's long poll picks it up; the node downloads the global
/// parameters as a chunk stream, trains, and streams its update back; the registry then
/// completes this call. The engine never learns the difference from an in-process node.
public struct NetworkNodeChannel: NodeChannel {
    /// The node's name (its certificate's common name).
    public let nodeID: String
    /// The node's seed for the run (fixed by the run's seed and the node's place in the roster).
    public let nodeSeed: UInt64
    let registry: NodeRegistry

    /// Creates a channel to `nodeID` through `registry`.
    public init(nodeID: String, nodeSeed: UInt64, registry: NodeRegistry) {
        self.nodeID = nodeID
        self.nodeSeed = nodeSeed
        self.registry = registry
    }

    /// Hands the node a training task and waits for its update.
    /// - Throws: `CoordinatorError.nodeUnavailable` when the node is not connected or goes away;
    ///   `CancellationError` when the round ends without it.
    public func train(_ task: TrainingTask) async throws -> TrainingReply {
        let answer = try await registry.assign(
            nodeID, kind: .train, round: task.round, version: task.version, parameters: task.parameters,
            parametersSHA256: await registry.digest(of: task.parameters, kind: .train, round: task.round, version: task.version),
            configuration: task.configuration, nodeSeed: nodeSeed)
        guard case .training(let reply) = answer else {
            throw CoordinatorError(.taskRefused, source: "node \(nodeID)", "answered a training task with an evaluation")
        }
        return reply
    }

    /// Hands the node an evaluation task (its held-out data) and waits for the numbers.
    public func evaluate(_ task: EvaluationTask) async throws -> EvaluationReply {
        let answer = try await registry.assign(
            nodeID, kind: .evaluate, round: task.round, version: task.version, parameters: task.parameters,
            parametersSHA256: await registry.digest(of: task.parameters, kind: .evaluate, round: task.round, version: task.version),
            configuration: nil, nodeSeed: nodeSeed)
        guard case .evaluation(let reply) = answer else {
            throw CoordinatorError(.taskRefused, source: "node \(nodeID)", "answered an evaluation task with a training update")
        }
        return reply
    }

    /// Hands the node one stage of a secure-aggregation round and waits for its answer. At the
    /// advertise-keys stage the task carries the global parameters and the training
    /// configuration (the node downloads them and trains); the other stages carry only the
    /// server's message.
    public func secureAggregation(_ request: SecureAggregationRequest) async throws -> SecureAggregationResponse {
        let parameters = request.training?.parameters ?? []
        let version = request.training?.version ?? 0
        let digest = request.training == nil ? [] :
            await registry.digest(of: parameters, kind: .secureAggregation, round: request.round, version: version)
        let answer = try await registry.assign(
            nodeID, kind: .secureAggregation, round: request.round, version: version, parameters: parameters,
            parametersSHA256: digest, configuration: request.training?.configuration, nodeSeed: nodeSeed,
            secureAggregation: (request.stage, request.payload))
        guard case .secureAggregation(let response) = answer else {
            throw CoordinatorError(.taskRefused, source: "node \(nodeID)", "answered a secure-aggregation task with something else")
        }
        return response
    }
}
