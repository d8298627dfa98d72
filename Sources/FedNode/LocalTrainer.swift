import FedDatasets
import FedModels
import FedPrivacy
import FedRound
import FedSimulation
import FedTensor

/// What a node does with a task on its own data: the same local training as a simulated node
/// (`SimulatedNode`: seeded shuffles per round, plain SGD, FedProx's proximal term, dynamic
/// fusion's participation rule), so a networked federation and its in-process simulation
/// produce the same model bit for bit.
public struct LocalTrainer: Sendable {
    /// The node's name.
    public let nodeID: String
    /// The architecture.
    public let model: any Model
    /// The node's training samples.
    public let train: LabeledDataset
    /// The node's held-out samples (federated evaluation).
    public let evaluation: LabeledDataset
    let memory = LocalAccuracyMemory()
    /// Local differential privacy: clip and noise each update before it leaves (nil: off).
    public var localPrivacy: LocalDifferentialPrivacy? = nil

    /// Creates a trainer.
    public init(nodeID: String, model: any Model, train: LabeledDataset, evaluation: LabeledDataset) {
        self.nodeID = nodeID
        self.model = model
        self.train = train
        self.evaluation = evaluation
    }

    /// Trains on a task and replies with the update, its `train_loss` and `train_seconds`
    /// (the node's own compute time: the yardstick of the federation's overhead).
    /// - Parameter nodeSeed: the node's seed for the run (its shuffles derive from it and the round).
    /// - Throws: `ModelError` when the parameters do not fit the model; `RoundError` for bad
    ///   training numbers; `CancellationError`.
    public func train(_ task: TrainingTask, nodeSeed: UInt64) throws -> TrainingReply {
        var node = SimulatedNode(id: nodeID, indices: Array(0..<train.count), seed: nodeSeed)
        node.localPrivacy = localPrivacy
        let clock = ContinuousClock()
        let start = clock.now
        func run<M: Model>(_ m: M) throws -> TrainingReply {
            try node.train(task, model: m, data: train, memory: memory)
        }
        var reply = try run(model)
        let d = start.duration(to: clock.now)
        reply.metrics["train_seconds"] = Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
        return reply
    }

    /// Scores parameters on the node's held-out samples.
    /// - Throws: `ModelError` when the parameters do not fit the model.
    public func evaluate(_ task: EvaluationTask) throws -> EvaluationReply {
        let parameters = try ModelParameters(flat: task.parameters, specs: model.parameterSpecs, source: "round \(task.round) evaluation task for node \(nodeID)")
        let data = evaluation
        let batches = stride(from: 0, to: data.count, by: 256).lazy.map { lo in
            data.batch(indices: lo..<min(data.count, lo + 256))
        }
        return EvaluationReply(nodeID: nodeID, round: task.round, evaluation: model.evaluate(parameters, on: batches))
    }
}
