import FedFusion
import FedModels
import FedTensor

extension FederationRunner {
    /// Runs buffered asynchronous fusion (FedBuff, Nguyen et al. 2022) for a strategy whose
    /// `mode` is `.buffered(bufferSize: K)`.
    ///
    /// `policy.concurrency` nodes train at any time, each on the global version current when it
    /// was asked. Every finished node is immediately replaced by a fresh one drawn at random
    /// (seeded) among the idle nodes, so the nodes are never waited for as a group. Accepted
    /// updates (validated as in synchronous rounds: identity, version, length, finiteness,
    /// sample count) are folded into the strategy's accumulator as they arrive; every K of them
    /// the strategy fuses them, the version goes up by one, the new global is checked and
    /// evaluated, and `onFusion` receives the fusion's metrics, with the updates' staleness
    /// (version − base version). Each update's `baseVersion` lets the accumulator down-weight
    /// stale ones.
    ///
    /// Unlike synchronous rounds, the result depends on which nodes finish first, so it is not
    /// reproducible under a wall clock.
    ///
    /// - Parameters:
    ///   - fusions: the most fusions to run.
    ///   - onFusion: receives each fusion's metrics; returns false to stop early.
    /// - Throws: `RoundError.invalidConfiguration` for a synchronous strategy;
    ///   `RoundError.quorumNotMet` when the buffer cannot fill (more than 10 × max(K,
    ///   concurrency) consecutive failures); the evaluator's errors; `CancellationError`.
    public mutating func runBuffered(fusions: Int, onFusion: (RoundMetrics) throws -> Bool) async throws {
        guard case .buffered(let bufferSize) = strategy.mode, bufferSize >= 1 else {
            throw RoundError(.invalidConfiguration, source: "strategy \(strategy.name)",
                             "buffered fusion needs a strategy in buffered mode with a buffer of at least 1; this one is \(strategy.mode)")
        }
        guard fusions >= 1 else { return }
        let width = min(policy.concurrency, channels.count)
        let failureLimit = 10 * max(bufferSize, width)
        let validator = UpdateValidator(parameterCount: global.count)
        var draws = SeededRandom(seed: policy.seed).derived(stream: 0xB0FF_B0FF)
        var busy: [Int: Int] = [:]  // channel index → the version it was sent
        var window = FusionWindow(start: clock.now)
        var accumulator = strategy.makeAccumulator(parameterCount: global.count, version: version)
        var completed = 0

        try await withThrowingTaskGroup(of: NodeAnswer.self) { group in
            /// Asks a random idle node to train on the current global version.
            func dispatch() {
                var pick = draws.nextInt(below: channels.count)
                while busy[pick] != nil { pick = draws.nextInt(below: channels.count) }
                busy[pick] = version
                window.dispatched += 1
                window.bytesDown += 4 * global.count
                var training = policy.training
                training.instructions.merge(strategy.nodeInstructions(round: version)) { _, fromStrategy in fromStrategy }
                let task = TrainingTask(round: version, version: version, parameters: global, configuration: training)
                let (node, timeout, clock) = (channels[pick], policy.nodeTimeout, clock)
                group.addTask { await Self.ask(node, task, timeout: timeout, clock: clock) }
            }

            for _ in 0..<width { dispatch() }
            while let answer = try await group.next() {
                switch answer {
                case .failed(let nodeID, let reason):
                    if let i = channelIndex[nodeID] { busy[i] = nil }
                    window.failures.append(NodeFailure(nodeID: nodeID, reason: reason))
                case .replied(let reply, let from):
                    window.bytesUp += 4 * reply.floatsCarried
                    guard let i = channelIndex[from], let sent = busy.removeValue(forKey: i) else {
                        window.rejected.append(RejectedUpdate(nodeID: from, round: version, reason: .notSelected,
                                                              detail: "node '\(from)' has no task outstanding"))
                        break
                    }
                    switch validator.check(reply, channel: from, round: sent, version: sent) {
                    case .accepted(let update):
                        window.accept(update, staleness: version - sent)
                        accumulator.add(update)
                    case .declined(let reason):
                        window.failures.append(NodeFailure(nodeID: from, reason: "declined: \(reason)"))
                    case .rejected(let rejection):
                        window.rejected.append(rejection)
                        window.failures.append(NodeFailure(nodeID: from, reason: "rejected: \(rejection.detail)"))
                    }
                }
                if accumulator.count >= bufferSize {
                    completed += 1
                    let metrics = try await fuseBuffer(accumulator, window: window, fusion: completed)
                    accumulator = strategy.makeAccumulator(parameterCount: global.count, version: version)
                    window = FusionWindow(start: clock.now)
                    guard try onFusion(metrics), completed < fusions else {
                        group.cancelAll()
                        return
                    }
                } else if window.failures.count > failureLimit {
                    group.cancelAll()
                    throw RoundError(.quorumNotMet, source: "buffered fusion \(completed + 1)",
                                     "\(window.failures.count) nodes failed while only \(accumulator.count) of the \(bufferSize) updates the buffer needs arrived; last failure: \(window.failures.last.map { "\($0.nodeID) (\($0.reason))" } ?? "none")")
                }
                dispatch()
            }
        }
    }

    /// Fuses a full buffer: applies the strategy (keeping the old global if the result is not
    /// finite), evaluates, and returns the fusion's metrics.
    private mutating func fuseBuffer(_ accumulator: Strategy.Accumulator, window: FusionWindow<C.Instant>, fusion: Int) async throws -> RoundMetrics {
        round = fusion
        let rejectedResult: String?
        if let fused = accumulator.fusedDelta() {
            rejectedResult = apply(fused: fused, failures: window.failures)
        } else {
            rejectedResult = "the strategy's accumulator produced no fused delta from \(accumulator.count) updates; kept version \(version)"
        }
        let evaluation = try await evaluatorResult(round: fusion)
        return RoundMetrics(
            round: fusion, version: version, selected: window.dispatched, participants: window.participants, rejected: window.rejected,
            failures: window.failures, samples: window.samples, trainLoss: window.trainLoss, testLoss: evaluation?.loss,
            testAccuracy: evaluation?.accuracy, bytesDown: window.bytesDown, bytesUp: window.bytesUp,
            seconds: Self.seconds(window.start.duration(to: clock.now)),
            staleness: RoundMetrics.Staleness(mean: window.stalenessMean, max: window.stalenessMax), resultRejected: rejectedResult)
    }
}

/// What happened between two buffered fusions.
struct FusionWindow<Instant: Sendable>: Sendable {
    let start: Instant
    var dispatched = 0
    var participants: [String] = []
    var rejected: [RejectedUpdate] = []
    var failures: [NodeFailure] = []
    var samples = 0
    var lossSum = 0.0
    var lossWeight = 0.0
    var stalenessSum = 0
    var stalenessMax = 0
    var bytesDown = 0
    var bytesUp = 0

    init(start: Instant) { self.start = start }

    mutating func accept(_ update: NodeUpdate, staleness: Int) {
        participants.append(update.nodeID)
        samples += update.sampleCount
        stalenessSum += staleness
        stalenessMax = max(stalenessMax, staleness)
        if let loss = update.metrics["train_loss"], loss.isFinite {
            lossSum += loss * Double(update.sampleCount)
            lossWeight += Double(update.sampleCount)
        }
    }

    var trainLoss: Double? { lossWeight > 0 ? lossSum / lossWeight : nil }
    var stalenessMean: Double { participants.isEmpty ? 0 : Double(stalenessSum) / Double(participants.count) }
}
