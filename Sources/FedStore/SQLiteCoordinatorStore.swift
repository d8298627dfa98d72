import FedModels
import Foundation
import GRDB

/// The coordinator's state in one SQLite file (through GRDB), the embedded default behind
/// `--state PATH`.
///
/// - The file is in WAL mode (a GRDB `DatabasePool`): any number of readers, in this process or
///   another (`readOnly: true`, e.g. a dashboard), see the last committed state while the
///   coordinator writes.
/// - Foreign keys are enforced; the writer runs with `PRAGMA synchronous = FULL`, so a committed
///   round survives `kill -9` of the coordinator and a power loss alike.
/// - The schema is created and upgraded by GRDB migrations ("v1"); a file written by a newer
///   FedData (an unknown migration) is refused rather than misread.
/// - Every GRDB error is wrapped in a `StoreError` naming the database path.
public final class SQLiteCoordinatorStore: CoordinatorStore {
    /// The database file's path.
    public let path: String
    /// Whether the store was opened read-only.
    public let isReadOnly: Bool
    let pool: DatabasePool

    /// Opens (creating and migrating if needed) the state database at `path`.
    /// - Parameters:
    ///   - path: the database file; its folder must exist. The `-wal` and `-shm` files live beside it.
    ///   - readOnly: open for reading only (a second process watching a live run). The file must
    ///     exist and hold the current schema; writes then fail with `StoreError.database`.
    /// - Throws: `StoreError.cannotOpen` (no such file or folder, no permission), `.notADatabase`
    ///   (the file is not SQLite), `.newerSchema` (written by a newer FedData),
    ///   `.notAStateDatabase` (SQLite, but someone else's tables), `.database` otherwise.
    public init(path: String, readOnly: Bool = false) throws {
        self.path = path
        self.isReadOnly = readOnly
        var configuration = Configuration()
        configuration.label = "FedStore"
        configuration.foreignKeysEnabled = true
        configuration.readonly = readOnly
        // Another process holding the write lock (a reader never does in WAL): wait, don't fail.
        configuration.busyMode = .timeout(10)
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw SQLiteCoordinatorStore.wrap(error, path: path, "opening the database")
        }
        do {
            if !readOnly {
                // GRDB sets NORMAL in WAL mode (durable across a process crash, not a power loss).
                try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
            }
            try SQLiteCoordinatorStore.checkAndMigrate(pool, path: path, readOnly: readOnly)
        } catch {
            try? pool.close()
            throw SQLiteCoordinatorStore.wrap(error, path: path, "opening the database")
        }
        self.pool = pool
    }

    /// Refuses newer or foreign databases, then applies this build's migrations (read-write) or
    /// checks they are all applied (read-only).
    private static func checkAndMigrate(_ pool: DatabasePool, path: String, readOnly: Bool) throws {
        let migrator = SQLiteSchema.migrator
        let (applied, hasOtherTables) = try pool.read { db in
            (try migrator.appliedIdentifiers(db), try SQLiteSchema.hasOtherTables(db))
        }
        let known = Set(migrator.migrations)
        let unknown = applied.subtracting(known)
        guard unknown.isEmpty else {
            throw StoreError(
                .newerSchema, source: path,
                "the database was written by a newer FedData (unknown migrations \(unknown.sorted())); "
                    + "this build knows \(migrator.migrations)")
        }
        guard !(applied.isEmpty && hasOtherTables) else {
            throw StoreError(
                .notAStateDatabase, source: path,
                "the SQLite file holds other tables and no FedData schema; expected a coordinator state file or a new path")
        }
        if readOnly {
            guard applied == known else {
                throw StoreError(
                    .notAStateDatabase, source: path,
                    "opened read-only, but the schema is missing migrations \(known.subtracting(applied).sorted()); "
                        + "open it read-write once (the coordinator does) to create or upgrade it")
            }
        } else {
            try migrator.migrate(pool)
        }
    }

    /// Closes the database connections. Later calls fail with `StoreError.database`.
    /// - Throws: `StoreError.database` if a connection cannot be closed (a statement is still running).
    public func close() throws {
        do { try pool.close() } catch { throw Self.wrap(error, path: path, "closing the database") }
    }

    // MARK: Runs

    public func createRun(_ run: RunRecord) async throws {
        try StoreRules.checkNewRun(run)
        try await write("creating run \(run.id)") { db in
            guard try Self.fetchRun(db, id: run.id) == nil else {
                throw StoreError(.duplicate, source: "run \(run.id)", "a run with id '\(run.id)' already exists")
            }
            try db.execute(
                sql: """
                    INSERT INTO runs (id, configuration, modelName, parameterCount, totalRounds, seed, createdAt,
                                      status, lastCompletedRound, finishedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run.id, run.configuration, run.modelName, run.parameterCount, run.totalRounds,
                    Int64(bitPattern: run.seed), run.createdAt.timeIntervalSinceReferenceDate, run.status.rawValue,
                    run.lastCompletedRound, run.finishedAt?.timeIntervalSinceReferenceDate,
                ])
        }
    }

    public func run(id: String) async throws -> RunRecord? {
        try await read("reading run \(id)") { db in try Self.fetchRun(db, id: id) }
    }

    public func latestRun() async throws -> RunRecord? {
        try await read("reading the latest run") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM runs ORDER BY createdAt DESC, rowid DESC LIMIT 1").map(Self.runRecord)
        }
    }

    public func runs() async throws -> [RunRecord] {
        try await read("reading runs") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM runs ORDER BY createdAt, rowid").map(Self.runRecord)
        }
    }

    @discardableResult
    public func setRunStatus(id: String, status: RunStatus, at: Date) async throws -> RunRecord {
        try await write("setting the status of run \(id)") { db in
            guard let run = try Self.fetchRun(db, id: id) else {
                throw StoreError(.notFound, source: "run \(id)", "no run with id '\(id)'")
            }
            let changed = try StoreRules.changingStatus(of: run, to: status, at: at)
            try db.execute(
                sql: "UPDATE runs SET status = ?, finishedAt = ? WHERE id = ?",
                arguments: [changed.status.rawValue, changed.finishedAt?.timeIntervalSinceReferenceDate, id])
            return changed
        }
    }

    // MARK: Nodes

    @discardableResult
    public func recordNode(name: String, fingerprint: String, at: Date) async throws -> NodeRecord {
        guard !name.isEmpty else { throw StoreError(.invalidInput, source: "node", "the node name is empty; expected a name") }
        return try await write("recording node \(name)") { db in
            let time = at.timeIntervalSinceReferenceDate
            try db.execute(
                sql: """
                    INSERT INTO nodes (name, certificateFingerprint, firstSeen, lastSeen, registrations)
                    VALUES (?, ?, ?, ?, 1)
                    ON CONFLICT (name) DO UPDATE SET
                        certificateFingerprint = excluded.certificateFingerprint,
                        lastSeen = excluded.lastSeen,
                        registrations = registrations + 1
                    """,
                arguments: [name, fingerprint, time, time])
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM nodes WHERE name = ?", arguments: [name]) else {
                throw StoreError(.database, source: "node \(name)", "the node row is missing right after it was written")
            }
            return try Self.nodeRecord(row)
        }
    }

    public func nodes() async throws -> [NodeRecord] {
        try await read("reading nodes") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM nodes ORDER BY name").map(Self.nodeRecord)
        }
    }

    // MARK: Rounds and checkpoints

    public func commitInitial(runID: String, parameters: ModelParameters, strategyState: [String: [Float]], at: Date) async throws {
        let commit = try StoreRules.prepare(
            runID: runID, round: 0, version: 0, parameters: parameters, strategyState: strategyState,
            metricsJSON: "{}", participants: [], at: at)
        try await write("committing the initial checkpoint of run \(runID)") { db in
            try StoreRules.checkInitial(commit, against: try Self.fetchRun(db, id: runID))
            let stored = try Row.fetchOne(
                db, sql: "SELECT initialCheckpointSHA256, initialStrategyStateSHA256 FROM runs WHERE id = ?", arguments: [runID])
            if let stored, let parameters: String = try stored.decode(forColumn: "initialCheckpointSHA256") {
                let strategyState: String? = try stored.decode(forColumn: "initialStrategyStateSHA256")
                try StoreRules.checkInitialRepeat(commit, stored: (parameters, strategyState))
                return
            }
            try Self.insertBlob(db, commit.parameters, at: at)
            if let blob = commit.strategyState { try Self.insertBlob(db, blob, at: at) }
            try db.execute(
                sql: "UPDATE runs SET initialCheckpointSHA256 = ?, initialStrategyStateSHA256 = ? WHERE id = ?",
                arguments: [commit.parameters.sha256, commit.strategyState?.sha256, runID])
        }
    }

    @discardableResult
    public func commitRound(
        runID: String, round: Int, version: Int, parameters: ModelParameters, strategyState: [String: [Float]],
        metricsJSON: String, participants: [String], at: Date
    ) async throws -> RoundRecord {
        try await commitRound(
            runID: runID, round: round, version: version, parameters: parameters, strategyState: strategyState,
            metricsJSON: metricsJSON, participants: participants, at: at, ledger: nil, fault: nil)
    }

    @discardableResult
    public func commitRound(
        runID: String, round: Int, version: Int, parameters: ModelParameters, strategyState: [String: [Float]],
        metricsJSON: String, participants: [String], at: Date, ledger: LedgerAppend?
    ) async throws -> RoundRecord {
        try await commitRound(
            runID: runID, round: round, version: version, parameters: parameters, strategyState: strategyState,
            metricsJSON: metricsJSON, participants: participants, at: at, ledger: ledger, fault: nil)
    }

    /// `commitRound` with a fault hook called inside the transaction (tests: a throwing hook
    /// rolls the whole commit back, as a crash before COMMIT would).
    func commitRound(
        runID: String, round: Int, version: Int, parameters: ModelParameters, strategyState: [String: [Float]],
        metricsJSON: String, participants: [String], at: Date, ledger: LedgerAppend?, fault: CommitFault?
    ) async throws -> RoundRecord {
        // Validate and encode (hash) outside the transaction, so the write lock is held briefly.
        let commit = try StoreRules.prepare(
            runID: runID, round: round, version: version, parameters: parameters, strategyState: strategyState,
            metricsJSON: metricsJSON, participants: participants, at: at)
        return try await write("committing \(commit.source)") { db in
            try StoreRules.checkCommit(commit, against: try Self.fetchRun(db, id: runID))
            try Self.insertBlob(db, commit.parameters, at: at)
            try fault?(.afterCheckpointBlob)
            if let blob = commit.strategyState { try Self.insertBlob(db, blob, at: at) }
            try fault?(.afterStrategyBlob)
            try db.execute(
                sql: """
                    INSERT INTO rounds (runID, round, version, checkpointSHA256, strategyStateSHA256, metricsJSON,
                                        participants, completedAt)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    runID, round, version, commit.parameters.sha256, commit.strategyState?.sha256, commit.metricsJSON,
                    commit.participantsJSON, at.timeIntervalSinceReferenceDate,
                ])
            try fault?(.afterRoundRow)
            try db.execute(sql: "UPDATE runs SET lastCompletedRound = ? WHERE id = ?", arguments: [round, runID])
            try fault?(.afterRunUpdate)
            if let ledger { try Self.appendLedger(db, runID: runID, ledger) }
            return commit.record
        }
    }

    // MARK: Ledger

    public func ledgerKey(runID: String) async throws -> LedgerKeyRecord? {
        try await read("reading the ledger key of run \(runID)") { db in
            guard try Self.fetchRun(db, id: runID) != nil else {
                throw StoreError(.notFound, source: "run \(runID)", "no run with id '\(runID)'")
            }
            return try Row.fetchOne(db, sql: "SELECT name, seed FROM ledger_keys WHERE runID = ?", arguments: [runID]).map {
                LedgerKeyRecord(name: $0["name"], seed: Array(($0["seed"] as Data?) ?? Data()))
            }
        }
    }

    public func setLedgerKey(runID: String, _ key: LedgerKeyRecord) async throws {
        guard key.seed.count == 32, !key.name.isEmpty else {
            throw StoreError(.invalidInput, source: "ledger key of run \(runID)", "expected a non-empty name and a 32-byte seed, got \(key.seed.count) bytes")
        }
        try await write("setting the ledger key of run \(runID)") { db in
            guard try Self.fetchRun(db, id: runID) != nil else {
                throw StoreError(.notFound, source: "run \(runID)", "no run with id '\(runID)'")
            }
            if let row = try Row.fetchOne(db, sql: "SELECT name, seed FROM ledger_keys WHERE runID = ?", arguments: [runID]) {
                let existing = LedgerKeyRecord(name: row["name"], seed: Array((row["seed"] as Data?) ?? Data()))
                guard existing == key else {
                    throw StoreError(.conflict, source: "ledger key of run \(runID)", "the run already has another ledger key ('\(existing.name)')")
                }
                return
            }
            try db.execute(sql: "INSERT INTO ledger_keys (runID, name, seed) VALUES (?, ?, ?)", arguments: [runID, key.name, Data(key.seed)])
        }
    }

    public func appendLedger(runID: String, _ append: LedgerAppend) async throws {
        try await write("appending to the ledger of run \(runID)") { db in
            guard try Self.fetchRun(db, id: runID) != nil else {
                throw StoreError(.notFound, source: "run \(runID)", "no run with id '\(runID)'")
            }
            try Self.appendLedger(db, runID: runID, append)
        }
    }

    private static func appendLedger(_ db: Database, runID: String, _ append: LedgerAppend) throws {
        let size = try Int.fetchOne(db, sql: "SELECT count(*) FROM ledger_entries WHERE runID = ?", arguments: [runID]) ?? 0
        let last = try Int.fetchOne(db, sql: "SELECT max(treeSize) FROM ledger_checkpoints WHERE runID = ?", arguments: [runID])
        try StoreRules.checkLedgerAppend(append, runID: runID, size: size, lastCheckpoint: last)
        for e in append.entries {
            try db.execute(
                sql: "INSERT INTO ledger_entries (runID, idx, round, kind, bytes, leafHash) VALUES (?, ?, ?, ?, ?, ?)",
                arguments: [runID, e.index, e.round, e.kind, Data(e.bytes), Data(e.leafHash)])
        }
        let c = append.checkpoint
        try db.execute(
            sql: "INSERT INTO ledger_checkpoints (runID, treeSize, signedNote, createdAt) VALUES (?, ?, ?, ?)",
            arguments: [runID, c.treeSize, c.signedNote, c.createdAt.timeIntervalSinceReferenceDate])
    }

    public func ledgerEntries(runID: String, start: Int, count: Int) async throws -> [LedgerRecord] {
        try await read("reading the ledger of run \(runID)") { db in
            guard try Self.fetchRun(db, id: runID) != nil else {
                throw StoreError(.notFound, source: "run \(runID)", "no run with id '\(runID)'")
            }
            return try Row.fetchAll(
                db, sql: "SELECT * FROM ledger_entries WHERE runID = ? AND idx >= ? ORDER BY idx LIMIT ?",
                arguments: [runID, max(0, start), max(0, count)]
            ).map { row in
                LedgerRecord(index: row["idx"], round: row["round"], kind: row["kind"], bytes: Array((row["bytes"] as Data?) ?? Data()),
                             leafHash: Array((row["leafHash"] as Data?) ?? Data()))
            }
        }
    }

    public func ledgerSize(runID: String) async throws -> Int {
        try await read("reading the ledger size of run \(runID)") { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM ledger_entries WHERE runID = ?", arguments: [runID]) ?? 0
        }
    }

    public func ledgerCheckpoints(runID: String) async throws -> [LedgerCheckpointRecord] {
        try await read("reading the ledger checkpoints of run \(runID)") { db in
            try Row.fetchAll(db, sql: "SELECT * FROM ledger_checkpoints WHERE runID = ? ORDER BY treeSize", arguments: [runID]).map { row in
                LedgerCheckpointRecord(treeSize: row["treeSize"], signedNote: row["signedNote"],
                                       createdAt: Date(timeIntervalSinceReferenceDate: row["createdAt"]))
            }
        }
    }

    public func latestCheckpoint(runID: String) async throws -> ResumePoint? {
        // One read transaction: the run, its last round and both blobs come from one snapshot.
        struct Found: Sendable {
            var parameterCount: Int, round: Int, version: Int
            var sha: String, bytes: [UInt8]?, stateSHA: String?, stateBytes: [UInt8]?
        }
        let found: Found? = try await read("reading the latest checkpoint of run \(runID)") { db in
            guard let run = try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [runID]) else {
                throw StoreError(.notFound, source: "run \(runID)", "no run with id '\(runID)'")
            }
            let parameterCount: Int = try run.decode(forColumn: "parameterCount")
            let last: Int = try run.decode(forColumn: "lastCompletedRound")
            let round: Int, version: Int, sha: String, stateSHA: String?
            if last > 0 {
                guard let row = try Row.fetchOne(
                    db, sql: "SELECT * FROM rounds WHERE runID = ? AND round = ?", arguments: [runID, last])
                else {
                    throw StoreError(
                        .corruptRecord, source: StoreRules.source(runID: runID, round: last),
                        "the run's last completed round is \(last), but that round's row is missing")
                }
                (round, version) = (last, try row.decode(forColumn: "version"))
                sha = try row.decode(forColumn: "checkpointSHA256")
                stateSHA = try row.decode(forColumn: "strategyStateSHA256")
            } else if let initial: String = try run.decode(forColumn: "initialCheckpointSHA256") {
                (round, version, sha) = (0, 0, initial)
                stateSHA = try run.decode(forColumn: "initialStrategyStateSHA256")
            } else {
                return nil
            }
            return Found(
                parameterCount: parameterCount, round: round, version: version, sha: sha,
                bytes: try Self.fetchBlob(db, sha256: sha), stateSHA: stateSHA,
                stateBytes: try stateSHA.flatMap { try Self.fetchBlob(db, sha256: $0) })
        }
        guard let found else { return nil }
        let source = StoreRules.source(runID: runID, round: found.round)
        guard let bytes = found.bytes else {
            throw StoreError(.corruptCheckpoint, source: source, "checkpoint \(found.sha) is missing from the store")
        }
        return ResumePoint(
            round: found.round, version: found.version,
            parameters: try StoreRules.decodeParameters(bytes, sha256: found.sha, expectedCount: found.parameterCount, source: source),
            strategyState: try StoreRules.decodeStrategyState(found.stateBytes, sha256: found.stateSHA, source: source),
            checkpointSHA256: found.sha)
    }

    public func checkpoint(sha256: String) async throws -> Checkpoint? {
        guard let key = StoreRules.normalizedSHA256(sha256) else {
            throw StoreError(.invalidInput, source: "checkpoint \(sha256)", "expected 64 hex digits")
        }
        let checkpoint: Checkpoint? = try await read("reading checkpoint \(key)") { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT * FROM checkpoints WHERE sha256 = ?", arguments: [key]) else {
                return nil
            }
            let bytes: Data = try row.decode(forColumn: "bytes")
            let createdAt: Double = try row.decode(forColumn: "createdAt")
            return Checkpoint(sha256: key, bytes: [UInt8](bytes), createdAt: Date(timeIntervalSinceReferenceDate: createdAt))
        }
        if let checkpoint { try StoreRules.verify(checkpoint.bytes, sha256: key, source: "checkpoint \(key)") }
        return checkpoint
    }

    public func rounds(runID: String) async throws -> [RoundRecord] {
        try await read("reading the rounds of run \(runID)") { db in
            guard try Self.fetchRun(db, id: runID) != nil else {
                throw StoreError(.notFound, source: "run \(runID)", "no run with id '\(runID)'")
            }
            return try Row.fetchAll(db, sql: "SELECT * FROM rounds WHERE runID = ? ORDER BY round", arguments: [runID])
                .map(Self.roundRecord)
        }
    }

    public func counts() async throws -> StoreCounts {
        try await read("counting rows") { db in
            func count(_ table: String) throws -> Int { try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
            return StoreCounts(
                runs: try count("runs"), nodes: try count("nodes"), rounds: try count("rounds"),
                checkpoints: try count("checkpoints"))
        }
    }

    // MARK: Test hooks and diagnostics

    /// Overwrites a stored blob's bytes without changing its address (tests: simulates damage).
    func tamper(sha256: String, bytes: [UInt8]) async throws {
        try await write("tampering with checkpoint \(sha256)") { db in
            try db.execute(sql: "UPDATE checkpoints SET bytes = ? WHERE sha256 = ?", arguments: [Data(bytes), sha256])
        }
    }

    /// Runs raw SQL in a write transaction (tests: damage the schema or its migrations table).
    func executeForTesting(_ sql: String) async throws {
        try await write("executing test SQL") { db in try db.execute(sql: sql) }
    }

    /// The value of a PRAGMA on a reader connection (tests: `journal_mode`, `foreign_keys`).
    func pragma(_ name: String) async throws -> String? {
        try await read("reading PRAGMA \(name)") { db in try String.fetchOne(db, sql: "PRAGMA \(name)") }
    }

    /// The value of a PRAGMA on the writer connection (tests: `synchronous`).
    func writerPragma(_ name: String) async throws -> String? {
        do { return try await pool.writeWithoutTransaction { db in try String.fetchOne(db, sql: "PRAGMA \(name)") } } catch {
            throw Self.wrap(error, path: path, "reading PRAGMA \(name)")
        }
    }

    // MARK: Access

    /// Runs `body` in a write transaction; a throw rolls it back. Errors are `StoreError`s.
    private func write<T: Sendable>(_ doing: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await pool.write(body) } catch { throw Self.wrap(error, path: path, doing) }
    }

    /// Runs `body` in a read transaction (a consistent snapshot; never waits for the writer).
    private func read<T: Sendable>(_ doing: String, _ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        do { return try await pool.read(body) } catch { throw Self.wrap(error, path: path, doing) }
    }

    /// `StoreError` and cancellation pass through; GRDB errors become `StoreError`s naming `path`.
    static func wrap(_ error: any Error, path: String, _ doing: String) -> any Error {
        if error is StoreError || error is CancellationError { return error }
        guard let db = error as? DatabaseError else {
            return StoreError(.database, source: path, "\(doing) failed", cause: error)
        }
        switch db.resultCode {
        case .SQLITE_NOTADB:
            return StoreError(.notADatabase, source: path, "\(doing): the file is not an SQLite database", cause: error)
        case .SQLITE_CANTOPEN:
            return StoreError(
                .cannotOpen, source: path, "\(doing): cannot open the file (does its folder exist, and may this user write it?)",
                cause: error)
        default:
            return StoreError(.database, source: path, "\(doing): \(db.message ?? "\(db.resultCode)")", cause: error)
        }
    }

    // MARK: Rows

    private static func fetchRun(_ db: Database, id: String) throws -> RunRecord? {
        try Row.fetchOne(db, sql: "SELECT * FROM runs WHERE id = ?", arguments: [id]).map(runRecord)
    }

    private static func fetchBlob(_ db: Database, sha256: String) throws -> [UInt8]? {
        try Data.fetchOne(db, sql: "SELECT bytes FROM checkpoints WHERE sha256 = ?", arguments: [sha256]).map { [UInt8]($0) }
    }

    /// Stores a blob unless one with its hash exists; a damaged blob is replaced by the good bytes.
    private static func insertBlob(_ db: Database, _ blob: EncodedBlob, at: Date) throws {
        try db.execute(
            sql: """
                INSERT INTO checkpoints (sha256, bytes, createdAt) VALUES (?, ?, ?)
                ON CONFLICT (sha256) DO UPDATE SET bytes = excluded.bytes WHERE bytes <> excluded.bytes
                """,
            arguments: [blob.sha256, Data(blob.bytes), at.timeIntervalSinceReferenceDate])
    }

    private static func runRecord(_ row: Row) throws -> RunRecord {
        let id: String = try row.decode(forColumn: "id")
        let statusText: String = try row.decode(forColumn: "status")
        guard let status = RunStatus(rawValue: statusText) else {
            throw StoreError(.corruptRecord, source: "run \(id)", "status '\(statusText)'; expected running, finished or failed")
        }
        let finishedAt: Double? = try row.decode(forColumn: "finishedAt")
        return RunRecord(
            id: id, configuration: try row.decode(forColumn: "configuration"), modelName: try row.decode(forColumn: "modelName"),
            parameterCount: try row.decode(forColumn: "parameterCount"), totalRounds: try row.decode(forColumn: "totalRounds"),
            seed: UInt64(bitPattern: try row.decode(Int64.self, forColumn: "seed")),
            createdAt: Date(timeIntervalSinceReferenceDate: try row.decode(forColumn: "createdAt")), status: status,
            lastCompletedRound: try row.decode(forColumn: "lastCompletedRound"),
            finishedAt: finishedAt.map(Date.init(timeIntervalSinceReferenceDate:)))
    }

    private static func nodeRecord(_ row: Row) throws -> NodeRecord {
        NodeRecord(
            name: try row.decode(forColumn: "name"), certificateFingerprint: try row.decode(forColumn: "certificateFingerprint"),
            firstSeen: Date(timeIntervalSinceReferenceDate: try row.decode(forColumn: "firstSeen")),
            lastSeen: Date(timeIntervalSinceReferenceDate: try row.decode(forColumn: "lastSeen")),
            registrations: try row.decode(forColumn: "registrations"))
    }

    private static func roundRecord(_ row: Row) throws -> RoundRecord {
        let runID: String = try row.decode(forColumn: "runID")
        let round: Int = try row.decode(forColumn: "round")
        return RoundRecord(
            runID: runID, round: round, version: try row.decode(forColumn: "version"),
            checkpointSHA256: try row.decode(forColumn: "checkpointSHA256"),
            strategyStateSHA256: try row.decode(forColumn: "strategyStateSHA256"),
            metricsJSON: try row.decode(forColumn: "metricsJSON"),
            participants: try StoreRules.decodeParticipants(
                try row.decode(forColumn: "participants"), source: StoreRules.source(runID: runID, round: round)),
            completedAt: Date(timeIntervalSinceReferenceDate: try row.decode(forColumn: "completedAt")))
    }
}
