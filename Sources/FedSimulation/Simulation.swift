import FedDatasets
import FedFusion
import FedModels
import FedPrivacy
import FedRound
import FedTensor

/// Thousands of simulated nodes in one process, trained federatedly by the same round engine
/// (`FederationRunner`) the networked coordinator uses, over in-process channels.
///
/// The training data is shared read-only by every node (each holds only its sample indices);
/// a node builds a model only while it trains, so memory is the data plus `concurrency` models
/// plus the engine's reorder buffer. Nodes train concurrently on the available cores; each
/// node's GEMMs then use `max(1, cores / concurrency)` threads.
///
/// Deterministic: the same configuration and seed give bit-identical parameters whatever the
/// core count and `concurrency` (synchronous strategies; buffered fusion depends on timing).
/// Many simulations may run side by side in one process, each with its own seed.
public struct Simulation: Sendable {
    /// The configuration.
    public var configuration: SimulationConfiguration
    /// Counts the nodes holding a model; zero between rounds.
    public let trainers = TrainerGauge()

    /// Creates a simulation.
    public init(configuration: SimulationConfiguration) {
        self.configuration = configuration
    }

    /// The simulated nodes for `partitions`: node `i` gets partition `i`'s id and indices, a
    /// seed derived from the configuration's seed, and an attack if it is among the malicious.
    public func nodes(for partitions: [ClientPartition]) -> [SimulatedNode] {
        let malicious = Set(configuration.byzantine?.maliciousNodes(nodeCount: partitions.count, seed: configuration.seed) ?? [])
        let root = SeededRandom(seed: configuration.seed)
        return partitions.enumerated().map { i, p in
            var node = SimulatedNode(id: p.id, indices: p.indices, seed: root.derived(stream: 0x1_0000_0000 &+ UInt64(i)).seed,
                                     attack: malicious.contains(i) ? configuration.byzantine : nil)
            node.localPrivacy = configuration.localPrivacy
            return node
        }
    }

    /// The initial global parameters: the model's initialisation from the configuration's seed.
    public func initialParameters(for model: any Model) -> ModelParameters {
        var rng = SeededRandom(seed: configuration.seed).derived(stream: 0)
        return model.initialParameters(rng: &rng)
    }

    /// Runs the federation: `rounds` rounds (or until `targetAccuracy`), evaluating the global
    /// model on `test` as configured.
    ///
    /// - Parameters:
    ///   - train: the training data every node's indices point into (shared, read-only).
    ///   - test: the held-out data the global model is evaluated on.
    ///   - partitions: one per node: its id and sample indices into `train`.
    ///   - onRound: receives each round's metrics as it completes.
    /// - Returns: rounds, rounds to target, accuracies, time, final parameters, per-round metrics.
    /// - Throws: `SimulationError` for an invalid configuration or partition; `ModelError` for
    ///   a model that does not fit the data; `RoundError` when a round misses its quorum and
    ///   `stopOnFailedRound` is set (or a buffer cannot fill); `CancellationError`.
    public func run(train: any SampleSource, test: any SampleSource, partitions: [ClientPartition],
                    onRound: (RoundMetrics) -> Void = { _ in },
                    afterRound: AfterRound? = nil) async throws -> SimulationResult {
        try configuration.validate()
        try Self.check(partitions, against: train)
        let model = try configuration.model.resolve(for: train)
        guard test.sampleShape == train.sampleShape else {
            throw SimulationError(.invalidConfiguration, source: "test data",
                                  "test samples have shape \(test.sampleShape); the training samples have \(train.sampleShape)")
        }
        return try await run(model: model, strategy: configuration.strategy, train: train, test: test, partitions: partitions,
                             onRound: onRound, afterRound: afterRound)
    }

    /// Called after each synchronous round, before `onRound`, with the round's metrics, the new
    /// global parameters and the strategy's server state (a `--state` journal commits them).
    public typealias AfterRound = @Sendable (_ metrics: RoundMetrics, _ global: [Float], _ serverState: [String: [Float]]) async throws -> Void

    private func run<M: Model, S: FusionStrategy>(model: M, strategy: S, train: any SampleSource, test: any SampleSource,
                                                  partitions: [ClientPartition], onRound: (RoundMetrics) -> Void,
                                                  afterRound: AfterRound?) async throws -> SimulationResult {
        let clock = ContinuousClock()
        let start = clock.now
        let c = configuration
        let nodes = nodes(for: partitions)
        let concurrency = c.effectiveConcurrency
        let threadsPerNode = max(1, GEMM.threadCount / concurrency)
        let memory = LocalAccuracyMemory()
        let trainers = self.trainers
        let optimizer = c.nodeOptimizer
        let secure = c.secureAggregation != nil
        let recorder = c.contributions
        let channels: [any NodeChannel] = nodes.map { node in
            let trainNode: @Sendable (TrainingTask) async throws -> TrainingReply = { task in
                let reply = try trainers.tracking {
                    try GEMM.withThreadCount(threadsPerNode) {
                        try node.train(task, model: model, data: train, optimizer: optimizer, memory: memory)
                    }
                }
                recorder?.record(task: task, reply: reply)
                return reply
            }
            return InProcessChannel(nodeID: node.id, train: trainNode,
                                    secureAggregation: secure ? SecureAggregationNode(nodeID: node.id) { task, _ in try await trainNode(task) } : nil)
        }
        let testIndices = Array(0..<min(c.evaluationSampleCap ?? test.count, test.count))
        let (every, lastRound) = (c.evaluateEvery, c.rounds)
        let specs = model.parameterSpecs
        let evaluator: FederationRunner<S, ContinuousClock>.Evaluator = { flat, round in
            guard let every, round % every == 0 || round == lastRound, !testIndices.isEmpty else { return nil }
            let parameters = try ModelParameters(flat: flat, specs: specs, source: "global model of round \(round)")
            return LocalTraining.evaluate(model: model, parameters: parameters, data: test, indices: testIndices)
        }
        var runner = try FederationRunner(channels: channels, initialParameters: initialParameters(for: model).flattened(),
                                          strategy: strategy, policy: c.policy(), clock: clock, evaluator: evaluator)

        var progress = Progress(target: c.targetAccuracy)
        var stoppedEarly: String?
        if case .buffered = strategy.mode {
            try await runner.runBuffered(fusions: c.rounds) { m in
                onRound(m)
                return progress.record(m)
            }
        } else {
            let accounting = privacyAccounting(of: runner.strategy)
            for _ in 0..<c.rounds {
                if let refusal = accounting?.budgetRefusal(rounds: runner.round + 1) {
                    stoppedEarly = refusal
                    break
                }
                var m: RoundMetrics
                if let secure = c.secureAggregation {
                    m = try await runner.runSecureRound(secure)
                } else {
                    m = try await runner.runRound()
                }
                if let accounting { m.epsilon = accounting.epsilonSpent(rounds: m.round) }
                recorder?.fused(round: m.round, participants: m.participants)
                try await afterRound?(m, runner.global, runner.strategy.serverState)
                onRound(m)
                guard progress.record(m) else { break }
            }
        }
        var result = SimulationResult(
            rounds: progress.metrics.count, roundsToTarget: progress.roundsToTarget, testAccuracy: progress.lastAccuracy,
            testLoss: progress.lastLoss, bestAccuracy: progress.bestAccuracy, seconds: seconds(start.duration(to: clock.now)),
            parameters: try ModelParameters(flat: runner.global, specs: specs, source: "final global model"),
            metrics: progress.metrics, maliciousNodes: nodes.filter { $0.attack != nil }.map(\.id), peakLiveTrainers: trainers.peak)
        result.epsilon = progress.metrics.last?.epsilon
        result.stoppedEarly = stoppedEarly
        return result
    }

    /// Checks that partitions are non-empty, uniquely named, and index into `train`.
    static func check(_ partitions: [ClientPartition], against train: any SampleSource) throws {
        guard !partitions.isEmpty else {
            throw SimulationError(.invalidPartition, source: "partitions", "expected at least one node's partition")
        }
        var seen = Set<String>()
        for p in partitions {
            guard seen.insert(p.id).inserted else {
                throw SimulationError(.invalidPartition, source: "partition '\(p.id)'", "the id appears twice; node ids must be distinct")
            }
            guard !p.indices.isEmpty else {
                throw SimulationError(.invalidPartition, source: "partition '\(p.id)'", "expected at least one sample")
            }
            if let bad = p.indices.first(where: { $0 < 0 || $0 >= train.count }) {
                throw SimulationError(.invalidPartition, source: "partition '\(p.id)'",
                                      "sample index \(bad) is outside the training data's 0..<\(train.count)")
            }
        }
    }
}

/// The run's tally: metrics so far, accuracies, and whether the target was reached.
private struct Progress {
    let target: Double?
    var metrics: [RoundMetrics] = []
    var roundsToTarget: Int?
    var lastAccuracy: Double?
    var lastLoss: Double?
    var bestAccuracy: Double?

    init(target: Double?) { self.target = target }

    /// Records a round; returns whether to go on.
    mutating func record(_ m: RoundMetrics) -> Bool {
        metrics.append(m)
        guard let accuracy = m.testAccuracy else { return true }
        lastAccuracy = accuracy
        lastLoss = m.testLoss
        bestAccuracy = max(bestAccuracy ?? accuracy, accuracy)
        if let target, accuracy >= target {
            roundsToTarget = m.round
            return false
        }
        return true
    }
}

/// A duration in seconds.
func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}
