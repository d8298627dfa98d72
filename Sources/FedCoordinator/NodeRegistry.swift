import FedCrypto
import FedRound

/// The coordinator's live view of the federation: which nodes are registered and alive, the
/// tasks handed to each, and who is waiting for what. The gRPC service feeds it (register,
/// heartbeat, poll, submit); the round engine draws on it through `NetworkNodeChannel`.
///
/// Nodes always call in (long polls), so a task for a node waits in its queue until the node
/// polls; the engine's call waits until the node submits, fails, goes silent, or the engine
/// cancels it. Every task is answered at most once: a second answer is a replay.
public actor NodeRegistry {
    /// A task handed to a node.
    public struct Assignment: Sendable {
        /// What the node is asked to do.
        public enum Kind: Sendable, Equatable { case train, evaluate, secureAggregation }
        public var taskID: String
        public var nodeID: String
        public var kind: Kind
        public var round: Int
        public var version: Int
        /// The global parameters the node downloads.
        public var parameters: [Float]
        /// SHA-256 of `parameters`' little-endian bytes.
        public var parametersSHA256: [UInt8]
        /// How to train (train tasks).
        public var configuration: LocalTrainingConfiguration?
        /// The node's seed for the run.
        public var nodeSeed: UInt64
        /// Secure-aggregation tasks: the stage, and the server's message for the node.
        public var stage: SecureAggregationStage? = nil
        public var payload: [UInt8] = []
    }

    /// A node's answer to a task.
    public enum Answer: Sendable {
        case training(TrainingReply)
        case evaluation(EvaluationReply)
        case secureAggregation(SecureAggregationResponse)
    }

    struct NodeState {
        var fingerprint: String
        var lastSeen: ContinuousClock.Instant
        var alive: Bool
    }

    struct Poller {
        var id: UInt64
        var continuation: CheckedContinuation<Assignment?, Never>
    }

    private var nodes: [String: NodeState] = [:]
    private var queues: [String: [String]] = [:]
    private var open: [String: Assignment] = [:]
    private var waiters: [String: CheckedContinuation<Answer, any Error>] = [:]
    private var pollers: [String: Poller] = [:]
    private var answered: Set<String> = []
    private var nextID: UInt64 = 0
    private var registrationWaiters: [(count: Int, continuation: CheckedContinuation<Void, Never>)] = []
    /// Whether the run is over (polls answer `run_finished`).
    public private(set) var finished = false
    let clock = ContinuousClock()
    let taskPrefix: String

    /// Creates an empty registry.
    /// - Parameter taskPrefix: prepended to task ids (the run id), so ids of different runs differ.
    public init(taskPrefix: String) {
        self.taskPrefix = taskPrefix
    }

    // MARK: - Nodes

    /// Records a (re-)registration. A node that registers again after a restart loses the
    /// tasks it held: they fail now rather than at the heartbeat timeout.
    public func register(_ nodeID: String, fingerprint: String) {
        let now = clock.now
        if nodes[nodeID] != nil {
            failTasks(of: nodeID, reason: "the node registered again (it restarted) and lost its task")
        }
        nodes[nodeID] = NodeState(fingerprint: fingerprint, lastSeen: now, alive: true)
        let alive = aliveCount
        registrationWaiters.removeAll { waiter in
            guard alive >= waiter.count else { return false }
            waiter.continuation.resume()
            return true
        }
    }

    /// Records a heartbeat; returns whether the node is registered (false: it must register).
    public func heartbeat(_ nodeID: String) -> Bool {
        guard nodes[nodeID]?.alive == true else { return false }
        nodes[nodeID]?.lastSeen = clock.now
        return true
    }

    /// Whether the node is registered and has not gone silent.
    public func isAlive(_ nodeID: String) -> Bool { nodes[nodeID]?.alive == true }

    /// The registered, live nodes, sorted by name.
    public var aliveNodes: [String] { nodes.filter(\.value.alive).keys.sorted() }

    var aliveCount: Int { nodes.values.filter(\.alive).count }

    /// Waits until at least `count` nodes are registered and alive.
    public func waitForNodes(_ count: Int) async {
        if aliveCount >= count { return }
        await withCheckedContinuation { registrationWaiters.append((count, $0)) }
    }

    /// Marks nodes silent for longer than `timeout` as gone and fails their tasks.
    /// - Returns: the nodes just marked gone.
    @discardableResult
    public func reap(timeout: Duration) -> [String] {
        let now = clock.now
        var gone: [String] = []
        for (id, state) in nodes where state.alive && state.lastSeen.duration(to: now) > timeout {
            nodes[id]?.alive = false
            gone.append(id)
            failTasks(of: id, reason: "the node went silent (no heartbeat for more than \(timeout))")
        }
        return gone.sorted()
    }

    // MARK: - Tasks (engine side)

    private var lastDigest: (key: String, digest: [UInt8])?

    /// The SHA-256 of a round's global parameters, computed once per round and kind rather than
    /// once per node (every selected node gets the same vector).
    public func digest(of parameters: [Float], kind: Assignment.Kind, round: Int, version: Int) -> [UInt8] {
        let key = "\(kind)/\(round)/\(version)/\(parameters.count)"
        if let last = lastDigest, last.key == key { return last.digest }
        let d = SHA256Digest.hash(floats: parameters)
        lastDigest = (key, d)
        return d
    }

    /// Hands a task to a node and waits for its answer.
    /// - Throws: `CoordinatorError.nodeUnavailable` when the node is not connected or goes
    ///   away; `CancellationError` when the calling task is cancelled (the task is withdrawn).
    public func assign(_ nodeID: String, kind: Assignment.Kind, round: Int, version: Int, parameters: [Float],
                       parametersSHA256: [UInt8], configuration: LocalTrainingConfiguration?, nodeSeed: UInt64,
                       secureAggregation: (stage: SecureAggregationStage, payload: [UInt8])? = nil) async throws -> Answer {
        try Task.checkCancellation()
        guard nodes[nodeID]?.alive == true else {
            throw CoordinatorError(.nodeUnavailable, source: "node \(nodeID)", "is not connected (not registered, or silent past its heartbeat timeout)")
        }
        nextID += 1
        let label = switch kind {
        case .train: "train"
        case .evaluate: "eval"
        case .secureAggregation: "secagg\(secureAggregation?.stage.rawValue ?? 0)"
        }
        let taskID = "\(taskPrefix)/r\(round)/\(label)/\(nodeID)/\(nextID)"
        let assignment = Assignment(taskID: taskID, nodeID: nodeID, kind: kind, round: round, version: version, parameters: parameters,
                                    parametersSHA256: parametersSHA256, configuration: configuration, nodeSeed: nodeSeed,
                                    stage: secureAggregation?.stage, payload: secureAggregation?.payload ?? [])
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                open[taskID] = assignment
                waiters[taskID] = continuation
                if let poller = pollers.removeValue(forKey: nodeID) {
                    poller.continuation.resume(returning: assignment)
                } else {
                    queues[nodeID, default: []].append(taskID)
                }
            }
        } onCancel: {
            Task { await self.withdraw(taskID) }
        }
    }

    /// Withdraws a task whose caller was cancelled (the round ended without it).
    func withdraw(_ taskID: String) {
        guard let assignment = open.removeValue(forKey: taskID) else { return }
        queues[assignment.nodeID]?.removeAll { $0 == taskID }
        answered.insert(taskID)  // a late answer is refused as stale, not taken for a new task
        waiters.removeValue(forKey: taskID)?.resume(throwing: CancellationError())
    }

    /// Ends the run: parked and future polls answer that the run is finished; open tasks fail.
    public func finish() {
        finished = true
        for (_, poller) in pollers { poller.continuation.resume(returning: nil) }
        pollers.removeAll()
        for id in open.keys.sorted() { fail(id, reason: "the run finished") }
    }

    private func failTasks(of nodeID: String, reason: String) {
        for (id, a) in open where a.nodeID == nodeID { fail(id, reason: reason) }
        queues[nodeID] = nil
        if let poller = pollers.removeValue(forKey: nodeID) { poller.continuation.resume(returning: nil) }
    }

    private func fail(_ taskID: String, reason: String) {
        guard let assignment = open.removeValue(forKey: taskID) else { return }
        queues[assignment.nodeID]?.removeAll { $0 == taskID }
        waiters.removeValue(forKey: taskID)?.resume(throwing: CoordinatorError(.nodeUnavailable, source: "node \(assignment.nodeID)", reason))
    }

    // MARK: - Tasks (node side)

    /// A node's long poll: its next queued task now, or the first one assigned within `wait`,
    /// or nil (no task, or the run is finished).
    public func poll(_ nodeID: String, wait: Duration) async -> Assignment? {
        guard !finished else { return nil }
        nodes[nodeID]?.lastSeen = clock.now
        if var queue = queues[nodeID], !queue.isEmpty {
            let id = queue.removeFirst()
            queues[nodeID] = queue
            if let a = open[id] { return a }
        }
        nextID += 1
        let pollID = nextID
        // A node polls one at a time; a second poll replaces (and ends) the first.
        pollers.removeValue(forKey: nodeID)?.continuation.resume(returning: nil)
        return await withCheckedContinuation { continuation in
            pollers[nodeID] = Poller(id: pollID, continuation: continuation)
            Task {
                try? await Task.sleep(for: wait)
                self.expirePoll(nodeID, id: pollID)
            }
        }
    }

    private func expirePoll(_ nodeID: String, id: UInt64) {
        guard pollers[nodeID]?.id == id else { return }
        pollers.removeValue(forKey: nodeID)?.continuation.resume(returning: nil)
    }

    /// The open task `taskID` if `nodeID` holds it.
    /// - Throws: `CoordinatorError.taskRefused`: unknown, answered already (a replay), or another node's.
    public func assignment(_ taskID: String, for nodeID: String) throws -> Assignment {
        guard let a = open[taskID] else {
            if answered.contains(taskID) {
                throw CoordinatorError(.taskRefused, source: "task \(taskID) from node \(nodeID)",
                                       "was already answered or withdrawn; a second answer is refused (a replay or a stale task)")
            }
            throw CoordinatorError(.taskRefused, source: "task \(taskID) from node \(nodeID)", "is not a task of this coordinator's current run")
        }
        guard a.nodeID == nodeID else {
            throw CoordinatorError(.taskRefused, source: "task \(taskID) from node \(nodeID)", "was assigned to node \(a.nodeID), not to \(nodeID)")
        }
        return a
    }

    /// Delivers a node's answer to the engine. Accepted once per task.
    /// - Throws: as `assignment(_:for:)`, or when the answer's kind does not match the task.
    public func complete(_ taskID: String, from nodeID: String, with answer: Answer) throws {
        let a = try assignment(taskID, for: nodeID)
        switch (a.kind, answer) {
        case (.train, .training), (.evaluate, .evaluation): break
        case (.secureAggregation, .secureAggregation(let r)):
            guard r.stage == a.stage, r.round == a.round else {
                throw CoordinatorError(.taskRefused, source: "task \(taskID) from node \(nodeID)",
                                       "asks for stage \(a.stage.map(String.init(describing:)) ?? "?") of round \(a.round); the answer is stage \(r.stage) of round \(r.round)")
            }
        default:
            let what = switch a.kind {
            case .train: "a training"
            case .evaluate: "an evaluation"
            case .secureAggregation: "a secure-aggregation"
            }
            throw CoordinatorError(.taskRefused, source: "task \(taskID) from node \(nodeID)",
                                   "is \(what) task; the answer is of another kind")
        }
        open.removeValue(forKey: taskID)
        answered.insert(taskID)
        nodes[nodeID]?.lastSeen = clock.now
        waiters.removeValue(forKey: taskID)?.resume(returning: answer)
    }
}
