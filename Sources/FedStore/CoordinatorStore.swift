import FedModels
import Foundation

/// The networked coordinator's durable state: runs, registered nodes, completed rounds and their
/// content-addressed checkpoints. `SQLiteCoordinatorStore` is the embedded default (a file at
/// `--state PATH`); `InMemoryCoordinatorStore` serves tests; a PostgreSQL store can implement the
/// same protocol.
///
/// ## Concurrency
/// Every method is `async`: the SQLite store runs its statements on GRDB's writer queue and reader
/// pool, off the cooperative thread pool, and readers never wait for the writer (WAL). Methods may
/// be called from any task; writes are serialized by the store.
///
/// ## Durability
/// `commitRound` is one transaction: the checkpoint blob, the round row and the run's
/// `lastCompletedRound` become visible (and durable) together or not at all. A coordinator that
/// commits a round before reporting it done can be killed at any moment and resume from
/// `latestCheckpoint(runID:)` with exactly the state it had.
///
/// ## Time
/// The store never reads the clock: every timestamp is an argument (`at:`) or part of a record.
public protocol CoordinatorStore: Sendable {
    /// Creates a new run.
    /// - Parameter run: the run; it must be `running`, with `lastCompletedRound` 0, no
    ///   `finishedAt`, a non-empty id, `parameterCount` ≥ 1 and `totalRounds` ≥ 1.
    /// - Throws: `StoreError.duplicate` if a run with this id exists, `.invalidInput` for a record
    ///   that is not a fresh run.
    func createRun(_ run: RunRecord) async throws

    /// The run with the given id, or `nil` if there is none.
    /// - Throws: `StoreError` if the store cannot be read.
    func run(id: String) async throws -> RunRecord?

    /// The most recently created run (by `createdAt`; among equal times, the last created), or
    /// `nil` if the store holds no run. This is the run `feddata coordinator --resume` continues.
    /// - Throws: `StoreError` if the store cannot be read.
    func latestRun() async throws -> RunRecord?

    /// All runs, oldest first (by `createdAt`, then creation order).
    /// - Throws: `StoreError` if the store cannot be read.
    func runs() async throws -> [RunRecord]

    /// Changes a run's status. `finished` and `failed` set `finishedAt` to `at`; `running` (to
    /// resume a failed run) clears it. A finished run is final.
    /// - Parameters:
    ///   - id: the run.
    ///   - status: the new status.
    ///   - at: when the change happened.
    /// - Returns: the updated run.
    /// - Throws: `StoreError.notFound` for an unknown run, `.invalidStatusChange` for a finished one.
    @discardableResult
    func setRunStatus(id: String, status: RunStatus, at: Date) async throws -> RunRecord

    /// Records that a node registered: inserts it (1 registration, first and last seen `at`) or
    /// updates its fingerprint and `lastSeen` and counts one more registration.
    /// - Parameters:
    ///   - name: the node's name.
    ///   - fingerprint: the fingerprint of the certificate it presented.
    ///   - at: when it registered.
    /// - Returns: the node's record after the update.
    /// - Throws: `StoreError.invalidInput` for an empty name.
    @discardableResult
    func recordNode(name: String, fingerprint: String, at: Date) async throws -> NodeRecord

    /// All registered nodes, by name.
    /// - Throws: `StoreError` if the store cannot be read.
    func nodes() async throws -> [NodeRecord]

    /// Stores a run's initial parameters as its round-0 checkpoint, so a run that dies before
    /// round 1 resumes exactly too. Committing the same content again is a no-op.
    /// - Parameters:
    ///   - runID: the run; it must be `running` with no completed round.
    ///   - parameters: the initial model parameters (`parameterCount` finite scalars).
    ///   - strategyState: the strategy's initial server state (usually empty).
    ///   - at: when the checkpoint was taken.
    /// - Throws: `StoreError.notFound`, `.runNotRunning`, `.outOfOrder` (a round is already
    ///   committed), `.parameterMismatch`, `.nonFinite`, `.conflict` (a different initial
    ///   checkpoint exists). Nothing is written when it throws.
    func commitInitial(runID: String, parameters: ModelParameters, strategyState: [String: [Float]], at: Date) async throws

    /// Commits a completed round in one transaction: stores the model checkpoint and the strategy
    /// state as content-addressed safetensors blobs (identical bytes are stored once), inserts
    /// the round row and sets the run's `lastCompletedRound` to `round`.
    /// - Parameters:
    ///   - runID: the run; it must exist and be `running`.
    ///   - round: exactly the run's `lastCompletedRound + 1`, at most its `totalRounds`.
    ///   - version: the global model version after the round (≥ 0).
    ///   - parameters: the model after the round: `parameterCount` finite scalars.
    ///   - strategyState: the fusion strategy's server state, one flat vector per key (may be empty).
    ///   - metricsJSON: the round's metrics as one JSON object.
    ///   - participants: the nodes whose updates were fused.
    ///   - at: when the round completed.
    /// - Returns: the stored round.
    /// - Throws: `StoreError.notFound`, `.runNotRunning`, `.outOfOrder`, `.parameterMismatch`,
    ///   `.nonFinite` (naming the tensor and index), `.invalidInput`; `.database` if the write
    ///   fails. Nothing is written when it throws.
    @discardableResult
    func commitRound(
        runID: String, round: Int, version: Int, parameters: ModelParameters, strategyState: [String: [Float]],
        metricsJSON: String, participants: [String], at: Date
    ) async throws -> RoundRecord
    /// `commitRound`, with the round's ledger entries and the new signed checkpoint written in the
    /// same transaction (so the ledger never lags or leads the committed rounds).
    /// - Throws: as `commitRound`, and as `appendLedger`. Nothing is written when it throws.
    @discardableResult
    func commitRound(
        runID: String, round: Int, version: Int, parameters: ModelParameters, strategyState: [String: [Float]],
        metricsJSON: String, participants: [String], at: Date, ledger: LedgerAppend?
    ) async throws -> RoundRecord

    /// The key the run's ledger checkpoints are signed with, or nil if none was set.
    /// - Throws: `StoreError.notFound` for an unknown run.
    func ledgerKey(runID: String) async throws -> LedgerKeyRecord?
    /// Sets the run's ledger signing key (once; setting the same key again is a no-op).
    /// - Throws: `StoreError.notFound`, `.conflict` if another key is set, `.invalidInput` for a
    ///   seed that is not 32 bytes or an empty name.
    func setLedgerKey(runID: String, _ key: LedgerKeyRecord) async throws
    /// Appends entries and their checkpoint to the run's ledger in one transaction.
    /// - Throws: `StoreError.notFound`, `.outOfOrder` (indices not contiguous from the current
    ///   size, or a checkpoint that does not grow), `.invalidInput` (a leaf hash that is not the
    ///   entry's, a checkpoint size that is not the new size). Nothing is written when it throws.
    func appendLedger(runID: String, _ append: LedgerAppend) async throws
    /// Ledger entries `[start, start + count)` (fewer at the end of the log), in index order.
    /// - Throws: `StoreError.notFound` for an unknown run.
    func ledgerEntries(runID: String, start: Int, count: Int) async throws -> [LedgerRecord]
    /// How many entries the run's ledger holds.
    func ledgerSize(runID: String) async throws -> Int
    /// The run's signed checkpoints, by tree size.
    func ledgerCheckpoints(runID: String) async throws -> [LedgerCheckpointRecord]

    /// The state to resume a run from: its last committed round (or its initial checkpoint),
    /// with the checkpoint's bytes verified against their SHA-256 and decoded.
    /// - Parameter runID: the run.
    /// - Returns: the resume point, or `nil` if the run has neither a round nor an initial checkpoint.
    /// - Throws: `StoreError.notFound` for an unknown run, `.corruptCheckpoint` if a blob does not
    ///   hash to its address or does not decode.
    func latestCheckpoint(runID: String) async throws -> ResumePoint?

    /// A stored blob by its SHA-256, verified (for export: the bytes are a safetensors file).
    /// - Parameter sha256: 64 hex digits (case-insensitive).
    /// - Returns: the checkpoint, or `nil` if no blob has this hash.
    /// - Throws: `StoreError.corruptCheckpoint` if the stored bytes do not hash to `sha256`.
    func checkpoint(sha256: String) async throws -> Checkpoint?

    /// A run's completed rounds, in round order.
    /// - Throws: `StoreError.notFound` for an unknown run.
    func rounds(runID: String) async throws -> [RoundRecord]

    /// How many runs, nodes, rounds and checkpoint blobs the store holds.
    /// - Throws: `StoreError` if the store cannot be read.
    func counts() async throws -> StoreCounts
}
