import FedCrypto
import FedFusion

/// One synchronous round as a state machine: which selected node to ask next, which replies
/// are usable, when the round is over, and what it collected. No I/O, no clock, no tasks: a
/// driver feeds it events (replies, failures, the time window closing) and carries out the
/// actions it returns (ask a node, finish). `FederationRunner` is that driver.
///
/// **Validation before fusion.** A reply from a node not selected, not yet asked or already
/// answered, one naming another node, answering another round, with a delta of the wrong
/// length, holding NaN or ±Inf, or with a non-positive sample count is rejected: recorded as a
/// `RejectedUpdate`, never folded; a selected node so rejected also becomes a `NodeFailure`.
///
/// **Determinism.** Updates are folded into the accumulator in selection order, whatever the
/// order they arrive in: an update that arrives before its predecessors waits in a reorder
/// buffer. The buffer is bounded: node *i* is asked only once every node before
/// *i − reorderCapacity* has been folded or has failed, so at most `reorderCapacity − 1`
/// updates wait (memory O(reorderCapacity × model)); at most `maxInFlight` nodes are asked at once.
///
/// **Completion.** The round finishes when every selected node has answered or failed; or, for
/// a strategy with a time window, once the window has elapsed and the quorum has delivered
/// (the nodes still out become failures, `did not finish within the round's time window`); or
/// as soon as the quorum can no longer be reached. With fewer usable updates than the quorum, or
/// an accumulator with nothing to fuse, the tally's `outcome` is a `RoundError`.
public struct RoundStateMachine<Accumulator: UpdateAccumulator>: Sendable {
    /// The round's fixed parameters.
    public struct Configuration: Sendable, Equatable {
        /// The round (from 1).
        public var round: Int
        /// The global version the nodes train from.
        public var version: Int
        /// The selected nodes, in fold order; distinct.
        public var selected: [String]
        /// The model's parameter count (every delta's length).
        public var parameterCount: Int
        /// How many usable updates the round needs.
        public var quorum: Quorum
        /// Whether the strategy fuses what arrived within a time window (the driver then sends
        /// `.windowElapsed` when it closes) rather than waiting for every node.
        public var hasTimeWindow: Bool
        /// The most nodes asked and not yet answered at once (at least 1).
        public var maxInFlight: Int
        /// The reorder window: node *i* is asked only when node *i − reorderCapacity* is settled
        /// (at least 1; default 4 × `maxInFlight`).
        public var reorderCapacity: Int
        /// Record each fused update's SHA-256 in the tally (`commitments`).
        public var recordsCommitments = false

        /// Creates a configuration.
        /// - Precondition: `selected` is non-empty and distinct, `maxInFlight` and
        ///   `reorderCapacity` are at least 1, `parameterCount` is positive.
        public init(round: Int, version: Int, selected: [String], parameterCount: Int, quorum: Quorum = .all,
                    hasTimeWindow: Bool = false, maxInFlight: Int, reorderCapacity: Int? = nil, recordsCommitments: Bool = false) {
            self.recordsCommitments = recordsCommitments
            self.round = round
            self.version = version
            self.selected = selected
            self.parameterCount = parameterCount
            self.quorum = quorum
            self.hasTimeWindow = hasTimeWindow
            self.maxInFlight = maxInFlight
            self.reorderCapacity = reorderCapacity ?? 4 * maxInFlight
        }
    }

    /// What happened.
    public enum Event: Sendable {
        /// Begin: the machine answers with the first nodes to ask.
        case start
        /// A reply arrived over the channel of node `from` (its authenticated identity).
        case replied(TrainingReply, from: String)
        /// Asking node `nodeID` failed: the channel threw, timed out, disconnected.
        case failed(nodeID: String, reason: String)
        /// The strategy's time window has elapsed.
        case windowElapsed
    }

    /// What the driver must do, in order.
    public enum Action: Sendable {
        /// Send node `nodeID` this round's training task.
        case dispatch(nodeID: String)
        /// The round is over: stop waiting for anyone still out (cancel them) and use the
        /// tally (its `outcome` is the fused delta or the round's error). Nothing follows.
        case finish(RoundTally)
    }

    private enum Slot: Sendable {
        case waiting
        case inFlight
        case arrived(NodeUpdate)
        case folded
        case failed
    }

    /// The round's configuration.
    public let configuration: Configuration
    /// How many usable updates the round needs.
    public let requiredUpdates: Int
    /// Whether the machine has emitted `finish`.
    public private(set) var isFinished = false

    private let validator: UpdateValidator
    private var accumulator: Accumulator
    private var slots: [Slot]
    private let indexOf: [String: Int]
    private var started = false
    private var windowElapsed = false
    private var nextToDispatch = 0
    private var nextToFold = 0
    private var inFlight = 0
    private var acceptedCount = 0
    private var failures: [(index: Int, failure: NodeFailure)] = []
    private var rejected: [(order: Int, update: RejectedUpdate)] = []
    private var participants: [String] = []
    private var commitments: [String: String] = [:]
    private var participantSamples: [String: Int] = [:]
    private var sampleCount = 0
    private var lossSum = 0.0
    private var lossWeight = 0.0
    private var slowestNodeSeconds: Double?
    private var bytesDown = 0
    private var bytesUp = 0

    /// Creates the machine for one round.
    /// - Parameters:
    ///   - configuration: the round's parameters.
    ///   - accumulator: the strategy's fresh accumulator for this round.
    public init(configuration: Configuration, accumulator: Accumulator) {
        precondition(!configuration.selected.isEmpty, "RoundStateMachine: no nodes selected")
        precondition(configuration.maxInFlight >= 1 && configuration.reorderCapacity >= 1,
                     "RoundStateMachine: maxInFlight \(configuration.maxInFlight) and reorderCapacity \(configuration.reorderCapacity) must be at least 1")
        precondition(configuration.parameterCount > 0, "RoundStateMachine: parameter count must be positive")
        var indexOf: [String: Int] = [:]
        for (i, id) in configuration.selected.enumerated() {
            precondition(indexOf.updateValue(i, forKey: id) == nil, "RoundStateMachine: node '\(id)' selected twice")
        }
        self.configuration = configuration
        self.requiredUpdates = configuration.quorum.required(selected: configuration.selected.count)
        self.validator = UpdateValidator(parameterCount: configuration.parameterCount)
        self.accumulator = accumulator
        self.slots = Array(repeating: .waiting, count: configuration.selected.count)
        self.indexOf = indexOf
    }

    /// How many updates wait in the reorder buffer (arrived, not yet folded).
    public var bufferedCount: Int { acceptedCount - participants.count }

    /// Feeds one event and returns the actions it causes. Events after `finish` are ignored.
    public mutating func receive(_ event: Event) -> [Action] {
        guard !isFinished else { return [] }
        switch event {
        case .start:
            guard !started else { return [] }
            started = true
        case .replied(let reply, let from):
            handleReply(reply, from: from)
        case .failed(let nodeID, let reason):
            guard let i = indexOf[nodeID], case .inFlight = slots[i] else { return [] }
            inFlight -= 1
            fail(i, reason)
        case .windowElapsed:
            windowElapsed = true
        }
        guard started else { return [] }
        foldReady()
        if let tally = finishIfDone() {
            isFinished = true
            return [.finish(tally)]
        }
        return dispatchMore()
    }

    // MARK: - Events

    private mutating func handleReply(_ reply: TrainingReply, from: String) {
        let round = configuration.round
        guard let i = indexOf[from] else {
            bytesUp += 4 * reply.floatsCarried
            reject(order: Int.max, RejectedUpdate(nodeID: from, round: round, reason: .notSelected,
                                                  detail: "node '\(from)' was not selected for round \(round)"))
            return
        }
        bytesUp += 4 * reply.floatsCarried
        switch slots[i] {
        case .waiting:
            reject(order: i, RejectedUpdate(nodeID: from, round: round, reason: .unsolicited,
                                            detail: "node '\(from)' replied before it was sent round \(round)'s task"))
            return
        case .arrived, .folded, .failed:
            reject(order: i, RejectedUpdate(nodeID: from, round: round, reason: .duplicate,
                                            detail: "node '\(from)' already answered round \(round)"))
            return
        case .inFlight:
            inFlight -= 1
        }
        switch validator.check(reply, channel: from, round: round, version: configuration.version) {
        case .accepted(let update):
            slots[i] = .arrived(update)
            acceptedCount += 1
        case .declined(let reason):
            fail(i, "declined: \(reason)")
        case .rejected(let rejection):
            reject(order: i, rejection)
            fail(i, "rejected: \(rejection.detail)")
        }
    }

    private mutating func reject(order: Int, _ rejection: RejectedUpdate) {
        rejected.append((order, rejection))
    }

    private mutating func fail(_ i: Int, _ reason: String) {
        slots[i] = .failed
        failures.append((i, NodeFailure(nodeID: configuration.selected[i], reason: reason)))
    }

    // MARK: - Folding, dispatching, finishing

    /// Folds the settled prefix of the selection, in order.
    private mutating func foldReady() {
        while nextToFold < slots.count {
            switch slots[nextToFold] {
            case .arrived(let update):
                slots[nextToFold] = .folded  // release the buffered delta before the next one
                accumulator.add(update)
                participants.append(update.nodeID)
                participantSamples[update.nodeID] = update.sampleCount
                if configuration.recordsCommitments {
                    commitments[update.nodeID] = SHA256Digest.hex(SHA256Digest.hash(floats: update.delta))
                }
                sampleCount += update.sampleCount
                if let s = update.metrics["train_seconds"], s.isFinite {
                    slowestNodeSeconds = max(slowestNodeSeconds ?? s, s)
                }
                if let loss = update.metrics["train_loss"], loss.isFinite {
                    lossSum += loss * Double(update.sampleCount)
                    lossWeight += Double(update.sampleCount)
                }
            case .failed, .folded:
                break
            case .waiting, .inFlight:
                return
            }
            nextToFold += 1
        }
    }

    private mutating func dispatchMore() -> [Action] {
        var actions: [Action] = []
        while nextToDispatch < slots.count, inFlight < configuration.maxInFlight,
              nextToDispatch < nextToFold + configuration.reorderCapacity {
            slots[nextToDispatch] = .inFlight
            inFlight += 1
            bytesDown += 4 * configuration.parameterCount
            actions.append(.dispatch(nodeID: configuration.selected[nextToDispatch]))
            nextToDispatch += 1
        }
        return actions
    }

    private mutating func finishIfDone() -> RoundTally? {
        let n = slots.count
        if nextToFold == n { return result() }
        if n - failures.count < requiredUpdates { return result() }  // the quorum is out of reach
        if configuration.hasTimeWindow, windowElapsed, acceptedCount >= requiredUpdates {
            for i in nextToFold..<n {
                switch slots[i] {
                case .waiting: fail(i, "not asked before the round's time window closed")
                case .inFlight: fail(i, "did not finish within the round's time window")
                case .arrived, .folded, .failed: break
                }
            }
            inFlight = 0
            foldReady()
            return result()
        }
        return nil
    }

    private func result() -> RoundTally {
        let round = configuration.round
        let failures = self.failures.sorted { $0.index < $1.index }.map(\.failure)
        let rejected = self.rejected.sorted {
            ($0.order, $0.update.nodeID, $0.update.detail) < ($1.order, $1.update.nodeID, $1.update.detail)
        }.map(\.update)
        let outcome: Result<[Float], RoundError>
        if acceptedCount < requiredUpdates {
            let listed = failures.prefix(20).map { "\($0.nodeID) (\($0.reason))" }.joined(separator: ", ")
            let more = failures.count > 20 ? " and \(failures.count - 20) more" : ""
            outcome = .failure(RoundError(
                .quorumNotMet, source: "round \(round)",
                "needed \(requiredUpdates) usable update\(requiredUpdates == 1 ? "" : "s") from the \(slots.count) selected nodes, got \(acceptedCount); "
                    + "\(failures.count) failed: \(listed)\(more); the global model is unchanged"))
        } else if let fused = accumulator.fusedDelta() {
            outcome = .success(fused)
        } else {
            outcome = .failure(RoundError(.nothingToFuse, source: "round \(round)",
                                          "the strategy's accumulator produced no fused delta from \(participants.count) updates; the global model is unchanged"))
        }
        return RoundTally(
            round: round, version: configuration.version, selected: configuration.selected, participants: participants,
            rejected: rejected, failures: failures, outcome: outcome, sampleCount: sampleCount,
            trainLoss: lossWeight > 0 ? lossSum / lossWeight : nil, slowestNodeSeconds: slowestNodeSeconds, bytesDown: bytesDown, bytesUp: bytesUp,
            commitments: commitments, participantSamples: participantSamples)
    }
}
