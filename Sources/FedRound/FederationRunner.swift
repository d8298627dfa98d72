import FedFusion
import FedModels
import FedTensor

/// The thin async driver of federated rounds: it selects nodes, sends them tasks over their
/// channels concurrently, feeds the replies into a `RoundStateMachine`, applies the strategy to
/// the fused delta, checks and evaluates the new global model, and reports `RoundMetrics`.
///
/// The same driver serves simulation (in-process channels) and the networked coordinator
/// (gRPC channels). Time comes from the injected clock `C`: node timeouts and the strategy's
/// time window are sleeps on it, and `seconds` is measured on it, so a simulated clock gives
/// virtual time.
///
/// Concurrency: one task group per round; each child asks one node and returns its answer;
/// only the parent touches the state machine, the strategy and the global model, so there is
/// no shared mutable state. A round's result is deterministic (independent of arrival order
/// and core count) when the nodes are; buffered mode is not (see `runBuffered`).
public struct FederationRunner<Strategy: FusionStrategy, C: Clock>: Sendable where C.Duration == Duration {
    /// Evaluates global parameters after a round; returns nil to skip this round's evaluation.
    public typealias Evaluator = @Sendable (_ parameters: [Float], _ round: Int) async throws -> Evaluation?

    /// The nodes, in a fixed order (selection draws indices into it).
    public let channels: [any NodeChannel]
    /// The strategy and its server state.
    public internal(set) var strategy: Strategy
    /// The current global parameters, flat, in model order.
    public internal(set) var global: [Float]
    /// The last round started (0 before the first).
    public internal(set) var round = 0
    /// The global version: how many fused results have been applied.
    public internal(set) var version = 0
    /// How rounds are run.
    public let policy: RoundPolicy
    /// The clock of timeouts, time windows and round durations.
    public let clock: C
    let evaluator: Evaluator?
    let channelIndex: [String: Int]

    /// Creates a runner.
    ///
    /// - Parameters:
    ///   - channels: the nodes; their ids must be distinct.
    ///   - initialParameters: the starting global parameters (finite, non-empty).
    ///   - strategy: the fusion strategy.
    ///   - policy: selection, training, quorum, concurrency, timeouts, seed.
    ///   - clock: the clock of timeouts, windows and durations.
    ///   - evaluator: evaluates the new global model after each round (nil: no evaluation).
    /// - Throws: `RoundError.invalidConfiguration` for no or duplicate nodes, bad parameters or
    ///   an invalid policy.
    public init(channels: [any NodeChannel], initialParameters: [Float], strategy: Strategy, policy: RoundPolicy, clock: C,
                evaluator: Evaluator? = nil) throws {
        try policy.validate()
        guard !channels.isEmpty else {
            throw RoundError(.invalidConfiguration, source: "nodes", "expected at least one node channel")
        }
        var index: [String: Int] = [:]
        for (i, c) in channels.enumerated() where index.updateValue(i, forKey: c.nodeID) != nil {
            throw RoundError(.invalidConfiguration, source: "nodes", "node id '\(c.nodeID)' appears twice; ids must be distinct")
        }
        guard !initialParameters.isEmpty else {
            throw RoundError(.invalidConfiguration, source: "initial parameters", "expected a non-empty parameter vector")
        }
        if let bad = UpdateValidator.firstNonFinite(initialParameters) {
            throw RoundError(.invalidConfiguration, source: "initial parameters", "element \(bad) is \(initialParameters[bad]); expected finite values")
        }
        self.channels = channels
        self.channelIndex = index
        self.global = initialParameters
        self.strategy = strategy
        self.policy = policy
        self.clock = clock
        self.evaluator = evaluator
    }

    /// The nodes selected for round `round`: `perRound` of them (capped at the node count),
    /// drawn from `SeededRandom(seed).derived(stream: round)`, in fold order.
    public func selection(forRound round: Int) -> [String] {
        var rng = SeededRandom(seed: policy.seed).derived(stream: UInt64(round))
        return NodeSelection.sample(min(policy.perRound, channels.count), from: channels.count, rng: &rng).map { channels[$0].nodeID }
    }

    /// Runs the next synchronous round.
    ///
    /// On success the global model and the strategy's state move on, unless the fused result
    /// is not finite: then both are kept and `resultRejected` says why.
    /// - Returns: the round's metrics (with `roundFailed` set when the round failed and the
    ///   policy says `.skip`).
    /// - Throws: `RoundError.quorumNotMet` (naming how many updates were needed and which nodes
    ///   failed why) or `.nothingToFuse`, leaving the global model unchanged, when the policy
    ///   says `.throwError`; the evaluator's errors; `CancellationError` when the calling task
    ///   is cancelled.
    public mutating func runRound() async throws -> RoundMetrics {
        round += 1
        let start = clock.now
        let selected = selection(forRound: round)
        var training = policy.training
        training.instructions.merge(strategy.nodeInstructions(round: round)) { _, fromStrategy in fromStrategy }
        let task = TrainingTask(round: round, version: version, parameters: global, configuration: training)
        var machine = RoundStateMachine(
            configuration: .init(round: round, version: version, selected: selected, parameterCount: global.count,
                                 quorum: policy.quorum, hasTimeWindow: strategy.roundTimeWindow != nil,
                                 maxInFlight: policy.concurrency, reorderCapacity: policy.reorderCapacity,
                                 recordsCommitments: policy.recordsCommitments),
            accumulator: strategy.makeAccumulator(parameterCount: global.count, version: version))
        let nodes = selected.map { channels[channelIndex[$0]!] }
        let tally = await Self.drive(&machine, task: task, nodes: nodes, window: strategy.roundTimeWindow,
                                     nodeTimeout: policy.nodeTimeout, clock: clock)
        try Task.checkCancellation()
        var rejectedResult: String?
        var roundFailed: String?
        switch tally.outcome {
        case .success(let fused):
            rejectedResult = apply(fused: fused, failures: tally.failures)
        case .failure(let error):
            guard policy.onFailedRound == .skip else { throw error }
            roundFailed = error.description
        }
        let evaluation = try await evaluatorResult(round: round)
        var metrics = RoundMetrics(
            round: round, version: version, selected: selected.count, participants: tally.participants, rejected: tally.rejected,
            failures: tally.failures, samples: tally.sampleCount, trainLoss: tally.trainLoss, testLoss: evaluation?.loss,
            testAccuracy: evaluation?.accuracy, bytesDown: tally.bytesDown, bytesUp: tally.bytesUp,
            seconds: Self.seconds(start.duration(to: clock.now)), resultRejected: rejectedResult, roundFailed: roundFailed,
            slowestNodeSeconds: tally.slowestNodeSeconds)
        metrics.commitments = tally.commitments
        metrics.participantSamples = tally.participantSamples
        return metrics
    }

    /// Continues a run from a checkpoint: the global parameters after `round` completed rounds,
    /// at `version`, with the strategy's saved server state. The next `runRound()` runs round
    /// `round + 1` exactly as an uninterrupted run would (selection and node seeds derive from
    /// the round number).
    /// - Throws: `RoundError.invalidConfiguration` for a wrong-length or non-finite model, a
    ///   negative round or version, or server state the strategy refuses.
    public mutating func resume(round: Int, version: Int, global: [Float], serverState: [String: [Float]]) throws {
        guard round >= 0, version >= 0 else {
            throw RoundError(.invalidConfiguration, source: "checkpoint", "round \(round) and version \(version) must not be negative")
        }
        guard global.count == self.global.count else {
            throw RoundError(.invalidConfiguration, source: "checkpoint of round \(round)",
                             "holds \(global.count) parameters; the model has \(self.global.count)")
        }
        if let bad = UpdateValidator.firstNonFinite(global) {
            throw RoundError(.invalidConfiguration, source: "checkpoint of round \(round)", "parameter \(bad) is \(global[bad]); expected finite values")
        }
        var restored = strategy
        do {
            try restored.restoreServerState(serverState, parameterCount: global.count)
        } catch {
            throw RoundError(.invalidConfiguration, source: "checkpoint of round \(round)", error.description)
        }
        strategy = restored
        self.global = global
        self.round = round
        self.version = version
    }

    /// Lets the strategy apply `fused`; keeps the result (and the strategy's new state) only if
    /// the new global is finite and of the right length. Returns why it was discarded, if it was.
    mutating func apply(fused: [Float], failures: [NodeFailure]) -> String? {
        var candidate = global
        var next = strategy
        next.apply(fused: fused, to: &candidate, round: round, failures: failures)
        if candidate.count != global.count {
            return "the strategy '\(strategy.name)' produced \(candidate.count) parameters, expected \(global.count); kept version \(version)"
        }
        if let bad = UpdateValidator.firstNonFinite(candidate) {
            return "the new global parameter \(bad) is \(candidate[bad]); kept version \(version)"
        }
        global = candidate
        strategy = next
        version += 1
        return nil
    }

    /// The evaluator's verdict on the current global model, if there is an evaluator.
    func evaluatorResult(round: Int) async throws -> Evaluation? {
        try await evaluator?(global, round)
    }

    /// Runs the state machine to its end: carries out its dispatches as child tasks and feeds
    /// their answers (and the time window's end) back in.
    static func drive<A>(_ machine: inout RoundStateMachine<A>, task: TrainingTask, nodes: [any NodeChannel],
                         window: Duration?, nodeTimeout: Duration?, clock: C) async -> RoundTally {
        var byID: [String: any NodeChannel] = [:]
        for node in nodes { byID[node.nodeID] = node }
        return await withTaskGroup(of: RoundStateMachine<A>.Event?.self) { group in
            if let window {
                group.addTask {
                    do { try await clock.sleep(for: window) } catch { return nil }  // cancelled: the round ended first
                    return .windowElapsed
                }
            }
            var actions = machine.receive(.start)
            while true {
                for action in actions {
                    switch action {
                    case .dispatch(let nodeID):
                        let node = byID[nodeID]!
                        group.addTask {
                            switch await ask(node, task, timeout: nodeTimeout, clock: clock) {
                            case .replied(let reply, let from): return .replied(reply, from: from)
                            case .failed(let id, let reason): return .failed(nodeID: id, reason: reason)
                            }
                        }
                    case .finish(let tally):
                        group.cancelAll()  // nodes still out, and the window's timer
                        return tally
                    }
                }
                guard let next = await group.next() else {
                    preconditionFailure("FederationRunner: round \(task.round) has nothing in flight but has not finished")
                }
                actions = next.map { machine.receive($0) } ?? []
            }
        }
    }

    /// Asks one node to train, within `timeout` on `clock` if given. Never throws: every
    /// problem becomes the node's failure reason.
    static func ask(_ node: any NodeChannel, _ task: TrainingTask, timeout: Duration?, clock: C) async -> NodeAnswer {
        let id = node.nodeID
        do {
            guard let timeout else { return .replied(try await node.train(task), from: id) }
            return try await withThrowingTaskGroup(of: TrainingReply?.self) { group in
                group.addTask { try await node.train(task) }
                group.addTask {
                    try await clock.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let reply = first else {
                    return .failed(nodeID: id, reason: "timed out after \(timeout)")
                }
                return .replied(reply, from: id)
            }
        } catch is CancellationError {
            return .failed(nodeID: id, reason: "cancelled")
        } catch {
            return .failed(nodeID: id, reason: "\(error)")
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}

/// What asking one node produced.
enum NodeAnswer: Sendable {
    case replied(TrainingReply, from: String)
    case failed(nodeID: String, reason: String)
}

extension FederationRunner where C == ContinuousClock {
    /// Creates a runner on the wall clock (`ContinuousClock`).
    /// - Throws: as `init(channels:initialParameters:strategy:policy:clock:evaluator:)`.
    public init(channels: [any NodeChannel], initialParameters: [Float], strategy: Strategy, policy: RoundPolicy,
                evaluator: Evaluator? = nil) throws {
        try self.init(channels: channels, initialParameters: initialParameters, strategy: strategy, policy: policy,
                      clock: ContinuousClock(), evaluator: evaluator)
    }
}
