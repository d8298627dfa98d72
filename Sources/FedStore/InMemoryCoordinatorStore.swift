import FedModels
import Foundation
import Synchronization

/// A `CoordinatorStore` in memory, for tests of the coordinator and other modules. It enforces
/// the same rules and raises the same errors as `SQLiteCoordinatorStore`, including the SHA-256
/// check of checkpoints on read; nothing survives the process.
public final class InMemoryCoordinatorStore: CoordinatorStore {
    /// Everything the store holds. One `Mutex` guards it so that each operation, like a database
    /// transaction, sees and changes a consistent whole.
    struct State {
        var runs: [String: RunRecord] = [:]
        /// Run ids in creation order (breaks `createdAt` ties like SQLite's rowid).
        var runOrder: [String] = []
        /// Initial (round-0) checkpoints by run id.
        var initial: [String: (parameters: String, strategyState: String?)] = [:]
        var nodes: [String: NodeRecord] = [:]
        /// Rounds by run id, in round order (index `round - 1`).
        var rounds: [String: [RoundRecord]] = [:]
        var blobs: [String: Checkpoint] = [:]
        var ledgerKeys: [String: LedgerKeyRecord] = [:]
        var ledger: [String: [LedgerRecord]] = [:]
        var checkpoints: [String: [LedgerCheckpointRecord]] = [:]
    }

    private let state = Mutex(State())

    /// Creates an empty store.
    public init() {}

    public func createRun(_ run: RunRecord) async throws {
        try StoreRules.checkNewRun(run)
        try state.withLock { s in
            guard s.runs[run.id] == nil else {
                throw StoreError(.duplicate, source: "run \(run.id)", "a run with id '\(run.id)' already exists")
            }
            s.runs[run.id] = run
            s.runOrder.append(run.id)
        }
    }

    public func run(id: String) async throws -> RunRecord? {
        state.withLock { $0.runs[id] }
    }

    public func latestRun() async throws -> RunRecord? {
        try await runs().last
    }

    public func runs() async throws -> [RunRecord] {
        state.withLock { s in
            // By createdAt; ties stay in creation order (as SQLite's rowid breaks them).
            s.runOrder.enumerated()
                .sorted { a, b in
                    let (ta, tb) = (s.runs[a.element]!.createdAt, s.runs[b.element]!.createdAt)
                    return ta != tb ? ta < tb : a.offset < b.offset
                }
                .map { s.runs[$0.element]! }
        }
    }

    @discardableResult
    public func setRunStatus(id: String, status: RunStatus, at: Date) async throws -> RunRecord {
        try state.withLock { s in
            guard let run = s.runs[id] else { throw StoreError(.notFound, source: "run \(id)", "no run with id '\(id)'") }
            let changed = try StoreRules.changingStatus(of: run, to: status, at: at)
            s.runs[id] = changed
            return changed
        }
    }

    @discardableResult
    public func recordNode(name: String, fingerprint: String, at: Date) async throws -> NodeRecord {
        guard !name.isEmpty else { throw StoreError(.invalidInput, source: "node", "the node name is empty; expected a name") }
        return state.withLock { s in
            var node = s.nodes[name] ?? NodeRecord(name: name, certificateFingerprint: fingerprint, firstSeen: at, lastSeen: at, registrations: 0)
            node.certificateFingerprint = fingerprint
            node.lastSeen = at
            node.registrations += 1
            s.nodes[name] = node
            return node
        }
    }

    public func nodes() async throws -> [NodeRecord] {
        state.withLock { $0.nodes.values.sorted { $0.name < $1.name } }
    }

    public func commitInitial(runID: String, parameters: ModelParameters, strategyState: [String: [Float]], at: Date) async throws {
        let commit = try StoreRules.prepare(
            runID: runID, round: 0, version: 0, parameters: parameters, strategyState: strategyState,
            metricsJSON: "{}", participants: [], at: at)
        try state.withLock { s in
            try StoreRules.checkInitial(commit, against: s.runs[runID])
            if let stored = s.initial[runID] {
                try StoreRules.checkInitialRepeat(commit, stored: stored)
                return
            }
            Self.store(commit.parameters, at: at, in: &s)
            if let blob = commit.strategyState { Self.store(blob, at: at, in: &s) }
            s.initial[runID] = (commit.parameters.sha256, commit.strategyState?.sha256)
        }
    }

    @discardableResult
    public func commitRound(
        runID: String, round: Int, version: Int, parameters: ModelParameters, strategyState: [String: [Float]],
        metricsJSON: String, participants: [String], at: Date
    ) async throws -> RoundRecord {
        try commitRound(
            runID: runID, round: round, version: version, parameters: parameters, strategyState: strategyState,
            metricsJSON: metricsJSON, participants: participants, at: at, ledger: nil, fault: nil)
    }

    @discardableResult
    public func commitRound(
        runID: String, round: Int, version: Int, parameters: ModelParameters, strategyState: [String: [Float]],
        metricsJSON: String, participants: [String], at: Date, ledger: LedgerAppend?
    ) async throws -> RoundRecord {
        try commitRound(
            runID: runID, round: round, version: version, parameters: parameters, strategyState: strategyState,
            metricsJSON: metricsJSON, participants: participants, at: at, ledger: ledger, fault: nil)
    }

    /// `commitRound` with a fault hook (tests): the changes are staged on a copy of the state and
    /// published only after the last stage, so a throwing hook leaves the store unchanged.
    func commitRound(
        runID: String, round: Int, version: Int, parameters: ModelParameters, strategyState: [String: [Float]],
        metricsJSON: String, participants: [String], at: Date, ledger: LedgerAppend?, fault: CommitFault?
    ) throws -> RoundRecord {
        let commit = try StoreRules.prepare(
            runID: runID, round: round, version: version, parameters: parameters, strategyState: strategyState,
            metricsJSON: metricsJSON, participants: participants, at: at)
        return try state.withLock { s in
            try StoreRules.checkCommit(commit, against: s.runs[runID])
            var staged = s
            Self.store(commit.parameters, at: at, in: &staged)
            try fault?(.afterCheckpointBlob)
            if let blob = commit.strategyState { Self.store(blob, at: at, in: &staged) }
            try fault?(.afterStrategyBlob)
            let record = commit.record
            staged.rounds[runID, default: []].append(record)
            try fault?(.afterRoundRow)
            staged.runs[runID]!.lastCompletedRound = round
            try fault?(.afterRunUpdate)
            if let ledger { try Self.appendLedger(ledger, runID: runID, to: &staged) }
            s = staged
            return record
        }
    }

    public func latestCheckpoint(runID: String) async throws -> ResumePoint? {
        // Copy what is needed under the lock; verify and decode outside it.
        let found: (run: RunRecord, round: Int, version: Int, sha: String, bytes: [UInt8]?, stateSHA: String?, stateBytes: [UInt8]?)? =
            try state.withLock { s in
                guard let run = s.runs[runID] else { throw StoreError(.notFound, source: "run \(runID)", "no run with id '\(runID)'") }
                if run.lastCompletedRound > 0, let last = s.rounds[runID]?.last {
                    return (run, last.round, last.version, last.checkpointSHA256, s.blobs[last.checkpointSHA256]?.bytes,
                            last.strategyStateSHA256, last.strategyStateSHA256.flatMap { s.blobs[$0]?.bytes })
                }
                if let initial = s.initial[runID] {
                    return (run, 0, 0, initial.parameters, s.blobs[initial.parameters]?.bytes,
                            initial.strategyState, initial.strategyState.flatMap { s.blobs[$0]?.bytes })
                }
                return nil
            }
        guard let found else { return nil }
        let source = StoreRules.source(runID: runID, round: found.round)
        guard let bytes = found.bytes else {
            throw StoreError(.corruptCheckpoint, source: source, "checkpoint \(found.sha) is missing from the store")
        }
        return ResumePoint(
            round: found.round, version: found.version,
            parameters: try StoreRules.decodeParameters(bytes, sha256: found.sha, expectedCount: found.run.parameterCount, source: source),
            strategyState: try StoreRules.decodeStrategyState(found.stateBytes, sha256: found.stateSHA, source: source),
            checkpointSHA256: found.sha)
    }

    public func checkpoint(sha256: String) async throws -> Checkpoint? {
        guard let key = StoreRules.normalizedSHA256(sha256) else {
            throw StoreError(.invalidInput, source: "checkpoint \(sha256)", "expected 64 hex digits")
        }
        guard let blob = state.withLock({ $0.blobs[key] }) else { return nil }
        try StoreRules.verify(blob.bytes, sha256: key, source: "checkpoint \(key)")
        return blob
    }

    public func rounds(runID: String) async throws -> [RoundRecord] {
        try state.withLock { s in
            guard s.runs[runID] != nil else { throw StoreError(.notFound, source: "run \(runID)", "no run with id '\(runID)'") }
            return s.rounds[runID] ?? []
        }
    }

    public func counts() async throws -> StoreCounts {
        state.withLock { s in
            StoreCounts(runs: s.runs.count, nodes: s.nodes.count, rounds: s.rounds.values.reduce(0) { $0 + $1.count }, checkpoints: s.blobs.count)
        }
    }

    /// Overwrites a stored blob's bytes without changing its address (tests: simulates damage).
    func tamper(sha256: String, bytes: [UInt8]) {
        state.withLock { $0.blobs[sha256]?.bytes = bytes }
    }

    /// Stores a blob unless one with its hash exists; a damaged blob is replaced by good bytes.
    private static func store(_ blob: EncodedBlob, at: Date, in s: inout State) {
        if let existing = s.blobs[blob.sha256] {
            if existing.bytes != blob.bytes { s.blobs[blob.sha256]!.bytes = blob.bytes }
        } else {
            s.blobs[blob.sha256] = Checkpoint(sha256: blob.sha256, bytes: blob.bytes, createdAt: at)
        }
    }

    // MARK: Ledger

    public func ledgerKey(runID: String) async throws -> LedgerKeyRecord? {
        try state.withLock { s in
            guard s.runs[runID] != nil else { throw StoreError(.notFound, source: "run \(runID)", "no run with id '\(runID)'") }
            return s.ledgerKeys[runID]
        }
    }

    public func setLedgerKey(runID: String, _ key: LedgerKeyRecord) async throws {
        guard key.seed.count == 32, !key.name.isEmpty else {
            throw StoreError(.invalidInput, source: "ledger key of run \(runID)", "expected a non-empty name and a 32-byte seed, got \(key.seed.count) bytes")
        }
        try state.withLock { s in
            guard s.runs[runID] != nil else { throw StoreError(.notFound, source: "run \(runID)", "no run with id '\(runID)'") }
            if let existing = s.ledgerKeys[runID] {
                guard existing == key else {
                    throw StoreError(.conflict, source: "ledger key of run \(runID)", "the run already has another ledger key ('\(existing.name)')")
                }
                return
            }
            s.ledgerKeys[runID] = key
        }
    }

    public func appendLedger(runID: String, _ append: LedgerAppend) async throws {
        try state.withLock { s in
            guard s.runs[runID] != nil else { throw StoreError(.notFound, source: "run \(runID)", "no run with id '\(runID)'") }
            var staged = s
            try Self.appendLedger(append, runID: runID, to: &staged)
            s = staged
        }
    }

    private static func appendLedger(_ append: LedgerAppend, runID: String, to s: inout State) throws {
        try StoreRules.checkLedgerAppend(append, runID: runID, size: s.ledger[runID]?.count ?? 0,
                                         lastCheckpoint: s.checkpoints[runID]?.last?.treeSize)
        s.ledger[runID, default: []].append(contentsOf: append.entries)
        s.checkpoints[runID, default: []].append(append.checkpoint)
    }

    public func ledgerEntries(runID: String, start: Int, count: Int) async throws -> [LedgerRecord] {
        try state.withLock { s in
            guard s.runs[runID] != nil else { throw StoreError(.notFound, source: "run \(runID)", "no run with id '\(runID)'") }
            let all = s.ledger[runID] ?? []
            let lo = min(max(0, start), all.count)
            return Array(all[lo..<min(all.count, lo + max(0, count))])
        }
    }

    public func ledgerSize(runID: String) async throws -> Int {
        state.withLock { $0.ledger[runID]?.count ?? 0 }
    }

    public func ledgerCheckpoints(runID: String) async throws -> [LedgerCheckpointRecord] {
        state.withLock { $0.checkpoints[runID] ?? [] }
    }
}
