import FedDatasets
import FedFusion
import FedModels
import FedPrivacy
import FedRound
import FedTensor
import Synchronization

/// One simulated federated node: an id, the indices of its samples in a shared read-only
/// dataset, and a seed. It holds **no model** between tasks: `train` builds the parameters
/// from the task, trains them, replies with the delta and lets them go. 10,000 nodes cost
/// their index lists and nothing more.
///
/// Local training is deterministic: round `r` shuffles with
/// `SeededRandom(seed).derived(stream: r)`, whichever thread runs it and whenever.
public struct SimulatedNode: Sendable, Equatable {
    /// The node's identifier (the partition's id).
    public let id: String
    /// Its samples: indices into the shared training data.
    public let indices: [Int]
    /// The seed of its shuffles, hold-out split and noise.
    public let seed: UInt64
    /// The attack it mounts if it is malicious (nil: honest).
    public let attack: ByzantineConfiguration?
    /// Local differential privacy: the node clips and noises its own update before it leaves
    /// (nil: it does not).
    public var localPrivacy: LocalDifferentialPrivacy? = nil

    /// Creates a node.
    public init(id: String, indices: [Int], seed: UInt64, attack: ByzantineConfiguration? = nil) {
        self.id = id
        self.indices = indices
        self.seed = seed
        self.attack = attack
    }

    /// The share of a node's samples held out for dynamic fusion's local validation.
    public static let validationFraction = 0.1

    /// The node's samples split into training and validation (10%, at least one sample when it
    /// has two or more), by a seeded permutation fixed for the node's lifetime.
    public func holdOut() -> (train: [Int], validation: [Int]) {
        guard indices.count >= 2 else { return (indices, []) }
        var rng = SeededRandom(seed: seed).derived(stream: 0x7A11_DA7E)
        let order = rng.permutation(indices.count).map { indices[$0] }
        let v = max(1, Int(Double(indices.count) * Self.validationFraction))
        return (Array(order[v...]), Array(order[..<v]))
    }

    /// Trains on a task and replies.
    ///
    /// - With instruction `proximal_mu` > 0, FedProx's proximal term is added to each gradient.
    /// - With instruction `participation_tolerance` (dynamic fusion), 10% of the samples are
    ///   held out; the node first scores the received global model on them and declines the
    ///   round (a `.declined` reply) when `DynamicFusion.shouldParticipate` says the global model
    ///   is worse than its own last local model; otherwise it trains on the rest and remembers
    ///   its new local model's validation accuracy in `memory` (a number, not the model).
    /// - A malicious node replaces its delta as its attack says.
    ///
    /// Reports `train_loss` (mean over its local steps), and with dynamic fusion
    /// `validation_accuracy` and `global_validation_accuracy`.
    ///
    /// - Parameters:
    ///   - task: the global parameters and training configuration.
    ///   - model: the architecture.
    ///   - data: the shared training data that `indices` point into.
    ///   - optimizer: momentum and weight decay of the node's SGD (the rate comes with the task).
    ///   - memory: where the node keeps its last local validation accuracy between rounds.
    /// - Throws: `RoundError.invalidConfiguration` for out-of-range training numbers;
    ///   `ModelError` when the task's parameters do not fit the model;
    ///   `CancellationError` when cancelled between steps.
    public func train<M: Model>(_ task: TrainingTask, model: M, data: any SampleSource, optimizer: NodeOptimizer = NodeOptimizer(),
                                memory: LocalAccuracyMemory? = nil) throws -> TrainingReply {
        let c = task.configuration
        try c.validate()  // a task's numbers are input: never trap on them
        var rng = SeededRandom(seed: seed).derived(stream: UInt64(task.round))
        if let attack, !attack.attack.needsTraining {
            var noise = SeededRandom(seed: seed ^ 0xA77A_C4ED).derived(stream: UInt64(task.round))
            let delta = attack.attack.corrupt([], count: task.parameters.count, scale: attack.scale, rng: &noise)
            return .update(nodeID: id, round: task.round, delta: delta, sampleCount: indices.count)
        }
        let global = try ModelParameters(flat: task.parameters, specs: model.parameterSpecs, source: "round \(task.round) task for node \(id)")
        var trainIndices = indices
        var metrics: [String: Double] = [:]
        var validation: [Int] = []
        if let tolerance = c.instructions["participation_tolerance"] {
            (trainIndices, validation) = holdOut()
            if !validation.isEmpty {
                let globalAccuracy = LocalTraining.evaluate(model: model, parameters: global, data: data, indices: validation).accuracy
                let localAccuracy = memory?.accuracy(of: id)
                metrics["global_validation_accuracy"] = globalAccuracy
                if !DynamicFusion.shouldParticipate(globalValidationAccuracy: globalAccuracy, localValidationAccuracy: localAccuracy,
                                                    tolerance: tolerance) {
                    return TrainingReply(nodeID: id, round: task.round, outcome: .declined(reason:
                        "the global model scores \(globalAccuracy) on local validation, below this node's local model's \(localAccuracy ?? 0) − tolerance \(tolerance)"),
                        metrics: metrics)
                }
            }
        }
        let mu = Float(c.instructions["proximal_mu"] ?? 0)
        let sgd = SGD(learningRate: c.learningRate, momentum: optimizer.momentum, weightDecay: optimizer.weightDecay)
        let outcome = try LocalTraining.run(model: model, start: global, data: data, indices: trainIndices, epochs: c.localEpochs,
                                            batchSize: c.batchSize, optimizer: sgd, proximalMu: mu, rng: &rng)
        metrics["train_loss"] = outcome.meanLoss
        if !validation.isEmpty {
            let accuracy = LocalTraining.evaluate(model: model, parameters: outcome.parameters, data: data, indices: validation).accuracy
            metrics["validation_accuracy"] = accuracy
            memory?.remember(accuracy, of: id)
        }
        var delta = outcome.parameters.flattened()
        task.parameters.withUnsafeBufferPointer { g in
            delta.withUnsafeMutableBufferPointer { d in
                for i in 0..<d.count { d[i] -= g[i] }
            }
        }
        // DP-FedAvg's node half: clip to the round's `dp_clip_norm` (and report `dp_unclipped`).
        try NodeSideClipping.apply(instructions: c.instructions, to: &delta, metrics: &metrics)
        if let localPrivacy {
            var noise = SeededRandom(seed: seed ^ 0x10CA_1D9F).derived(stream: UInt64(task.round))
            let report = localPrivacy.privatize(&delta, using: &noise)
            metrics["local_dp_noise_stddev"] = report.noiseStandardDeviation
        }
        if let attack {
            delta = attack.attack.corrupt(delta, count: delta.count, scale: attack.scale, rng: &rng)
        }
        return .update(nodeID: id, round: task.round, delta: delta, sampleCount: trainIndices.count, metrics: metrics)
    }
}

/// The node optimizer's settings besides the learning rate (which comes with each task).
public struct NodeOptimizer: Sendable, Equatable {
    /// SGD momentum (0: plain SGD, as in McMahan et al.).
    public var momentum: Float
    /// L2 weight decay.
    public var weightDecay: Float

    /// Creates the settings.
    public init(momentum: Float = 0, weightDecay: Float = 0) {
        self.momentum = momentum
        self.weightDecay = weightDecay
    }
}

/// What simulated nodes remember between rounds for dynamic fusion: each node's last local
/// model's validation accuracy (one number per node, never a model). Shared by the concurrent
/// node tasks, hence the lock; each node reads and writes only its own entry.
public final class LocalAccuracyMemory: Sendable {
    private let values = Mutex<[String: Double]>([:])

    /// Creates an empty memory.
    public init() {}

    /// The node's last local validation accuracy, if it has trained before.
    public func accuracy(of node: String) -> Double? { values.withLock { $0[node] } }

    /// Records the node's new local validation accuracy.
    public func remember(_ accuracy: Double, of node: String) { values.withLock { $0[node] = accuracy } }
}
