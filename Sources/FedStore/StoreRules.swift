import FedCrypto
import FedModels
import Foundation

/// A blob ready to be stored: safetensors bytes and their hex SHA-256.
struct EncodedBlob: Sendable, Equatable {
    let sha256: String
    let bytes: [UInt8]

    init(bytes: [UInt8]) {
        self.bytes = bytes
        self.sha256 = SHA256Digest.hex(SHA256Digest.hash(bytes))
    }
}

/// A round (or initial) commit that passed every check that does not depend on stored state,
/// already encoded, so the write transaction only checks the run and inserts.
struct PreparedCommit: Sendable {
    let runID: String
    /// The round; 0 for the initial checkpoint.
    let round: Int
    let version: Int
    let parameters: EncodedBlob
    let parameterCount: Int
    /// `nil` when the strategy state is empty.
    let strategyState: EncodedBlob?
    let metricsJSON: String
    let participants: [String]
    let participantsJSON: String
    let at: Date

    /// `run r1 round 5` (round 0: the initial checkpoint).
    var source: String { StoreRules.source(runID: runID, round: round) }

    /// The round row this commit inserts.
    var record: RoundRecord {
        RoundRecord(
            runID: runID, round: round, version: version, checkpointSHA256: parameters.sha256,
            strategyStateSHA256: strategyState?.sha256, metricsJSON: metricsJSON, participants: participants,
            completedAt: at)
    }
}

/// Where a fault can be injected inside a commit's transaction (tests only): the failure must
/// leave nothing of the commit behind.
enum CommitStage: Sendable, Equatable {
    case afterCheckpointBlob
    case afterStrategyBlob
    case afterRoundRow
    case afterRunUpdate
}

/// A test hook called at each `CommitStage` inside the transaction; throwing aborts the commit.
typealias CommitFault = @Sendable (CommitStage) throws -> Void

/// The rules every `CoordinatorStore` enforces, shared by the SQLite and in-memory stores so
/// they refuse the same inputs with the same errors.
enum StoreRules {
    /// The safetensors header key reserved for metadata; no tensor or state key may use it.
    static let reservedName = "__metadata__"

    /// `run r1 round 5`; the initial checkpoint is round 0.
    static func source(runID: String, round: Int) -> String { "run \(runID) round \(round)" }

    // MARK: Runs

    /// Checks that `run` is a fresh, well-formed run.
    static func checkNewRun(_ run: RunRecord) throws {
        let source = "run \(run.id)"
        func fail(_ message: String) -> StoreError { StoreError(.invalidInput, source: source, message) }
        guard !run.id.isEmpty else { throw fail("the run id is empty; expected a non-empty id") }
        guard run.parameterCount >= 1 else { throw fail("parameterCount is \(run.parameterCount); expected at least 1") }
        guard run.totalRounds >= 1 else { throw fail("totalRounds is \(run.totalRounds); expected at least 1") }
        guard run.status == .running, run.lastCompletedRound == 0, run.finishedAt == nil else {
            throw fail(
                "a new run must be running with lastCompletedRound 0 and no finishedAt; got \(run.status), "
                    + "lastCompletedRound \(run.lastCompletedRound), finishedAt \(run.finishedAt.map { "\($0)" } ?? "nil")")
        }
    }

    /// The run after changing its status, or an error if the change is not allowed.
    static func changingStatus(of run: RunRecord, to status: RunStatus, at: Date) throws -> RunRecord {
        guard run.status != .finished else {
            throw StoreError(
                .invalidStatusChange, source: "run \(run.id)",
                "the run is finished (final); cannot set it to \(status)")
        }
        var changed = run
        changed.status = status
        changed.finishedAt = status == .running ? nil : at
        return changed
    }

    // MARK: Commits

    /// Checks and encodes everything about a commit that does not depend on the stored run.
    static func prepare(
        runID: String, round: Int, version: Int, parameters: ModelParameters, strategyState: [String: [Float]],
        metricsJSON: String, participants: [String], at: Date
    ) throws -> PreparedCommit {
        let source = source(runID: runID, round: round)
        func invalid(_ message: String) -> StoreError { StoreError(.invalidInput, source: source, message) }
        guard version >= 0 else { throw invalid("version is \(version); expected 0 or more") }
        guard let object = try? JSONSerialization.jsonObject(with: Data(metricsJSON.utf8)), object is [String: Any] else {
            throw invalid("metricsJSON is not one JSON object: \(metricsJSON.prefix(80))")
        }
        try checkParameters(parameters, source: source)
        try checkStrategyState(strategyState, source: source)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let participantsJSON = String(decoding: try encoder.encode(participants), as: UTF8.self)
        return PreparedCommit(
            runID: runID, round: round, version: version, parameters: EncodedBlob(bytes: SafeTensors.encode(parameters)),
            parameterCount: parameters.scalarCount, strategyState: encodeStrategyState(strategyState),
            metricsJSON: metricsJSON, participants: participants, participantsJSON: participantsJSON, at: at)
    }

    /// Checks a prepared round commit against the stored run (`nil`: no such run).
    static func checkCommit(_ commit: PreparedCommit, against run: RunRecord?) throws {
        let source = commit.source
        guard let run else { throw StoreError(.notFound, source: source, "no run with id '\(commit.runID)'") }
        guard run.status == .running else {
            throw StoreError(.runNotRunning, source: source, "the run is \(run.status); expected running")
        }
        guard commit.round == run.lastCompletedRound + 1 else {
            throw StoreError(
                .outOfOrder, source: source,
                "expected round \(run.lastCompletedRound + 1) (the run has completed \(run.lastCompletedRound) rounds)")
        }
        guard commit.round <= run.totalRounds else {
            throw StoreError(.outOfOrder, source: source, "the run has only \(run.totalRounds) rounds")
        }
        try checkCount(commit, against: run)
    }

    /// Checks a prepared initial (round-0) commit against the stored run.
    static func checkInitial(_ commit: PreparedCommit, against run: RunRecord?) throws {
        let source = commit.source
        guard let run else { throw StoreError(.notFound, source: source, "no run with id '\(commit.runID)'") }
        guard run.status == .running else {
            throw StoreError(.runNotRunning, source: source, "the run is \(run.status); expected running")
        }
        guard run.lastCompletedRound == 0 else {
            throw StoreError(
                .outOfOrder, source: source,
                "the run has already completed \(run.lastCompletedRound) rounds; the initial checkpoint comes before round 1")
        }
        try checkCount(commit, against: run)
    }

    /// Checks that re-committing an initial checkpoint repeats the stored one.
    static func checkInitialRepeat(_ commit: PreparedCommit, stored: (parameters: String, strategyState: String?)) throws {
        guard stored.parameters == commit.parameters.sha256, stored.strategyState == commit.strategyState?.sha256 else {
            throw StoreError(
                .conflict, source: commit.source,
                "an initial checkpoint \(stored.parameters) (strategy state \(stored.strategyState ?? "none")) is already stored; "
                    + "got \(commit.parameters.sha256) (strategy state \(commit.strategyState?.sha256 ?? "none"))")
        }
    }

    private static func checkCount(_ commit: PreparedCommit, against run: RunRecord) throws {
        guard commit.parameterCount == run.parameterCount else {
            throw StoreError(
                .parameterMismatch, source: commit.source,
                "expected \(run.parameterCount) parameters (the run's model \(run.modelName)), got \(commit.parameterCount)")
        }
    }

    /// Checks that no tensor uses the reserved name and every scalar is finite.
    static func checkParameters(_ parameters: ModelParameters, source: String) throws {
        var flatIndex = 0
        for (name, tensor) in zip(parameters.names, parameters.tensors) {
            guard name != reservedName else {
                throw StoreError(.invalidInput, source: source, "a tensor is named '\(reservedName)', which safetensors reserves")
            }
            if let bad = tensor.scalars.firstIndex(where: { !$0.isFinite }) {
                throw StoreError(
                    .nonFinite, source: source,
                    "tensor '\(name)' element \(bad) (parameter index \(flatIndex + bad)) is \(tensor.scalars[bad]); expected finite values")
            }
            flatIndex += tensor.count
        }
    }

    /// Checks that no key uses the reserved name and every value is finite.
    static func checkStrategyState(_ state: [String: [Float]], source: String) throws {
        for key in state.keys.sorted() {
            guard key != reservedName else {
                throw StoreError(.invalidInput, source: source, "a strategy state key is '\(reservedName)', which safetensors reserves")
            }
            let values = state[key]!
            if let bad = values.firstIndex(where: { !$0.isFinite }) {
                throw StoreError(
                    .nonFinite, source: source, "strategy state '\(key)' element \(bad) is \(values[bad]); expected finite values")
            }
        }
    }

    // MARK: Blobs

    /// The strategy state as safetensors (one 1-D tensor per key, keys sorted), or `nil` if empty.
    static func encodeStrategyState(_ state: [String: [Float]]) -> EncodedBlob? {
        guard !state.isEmpty else { return nil }
        let keys = state.keys.sorted()
        let specs = keys.map { ParameterSpec(name: $0, shape: [state[$0]!.count]) }
        let tensors: ModelParameters
        do { tensors = try ModelParameters(flat: keys.flatMap { state[$0]! }, specs: specs) } catch {
            preconditionFailure("strategy state: the specs are built from the vectors, so the counts agree (\(error))")
        }
        return EncodedBlob(bytes: SafeTensors.encode(tensors))
    }

    /// `sha256` as 64 lowercase hex digits, or `nil` if it is not a SHA-256 in hex.
    static func normalizedSHA256(_ sha256: String) -> String? {
        let lower = sha256.lowercased()
        guard lower.utf8.count == 64, lower.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }) else {
            return nil
        }
        return lower
    }

    /// Checks that `bytes` hash to `sha256`.
    static func verify(_ bytes: [UInt8], sha256: String, source: String) throws {
        let actual = SHA256Digest.hex(SHA256Digest.hash(bytes))
        guard actual == sha256 else {
            throw StoreError(
                .corruptCheckpoint, source: source,
                "checkpoint \(sha256): the \(bytes.count) stored bytes hash to \(actual); expected \(sha256) (the blob is damaged)")
        }
    }

    /// Verifies and decodes a model checkpoint, checking its size against the run's.
    static func decodeParameters(_ bytes: [UInt8], sha256: String, expectedCount: Int, source: String) throws -> ModelParameters {
        try verify(bytes, sha256: sha256, source: source)
        let parameters: ModelParameters
        do { parameters = try SafeTensors.decode(bytes, source: "checkpoint \(sha256)").parameters } catch {
            throw StoreError(.corruptCheckpoint, source: source, "checkpoint \(sha256) is not a valid safetensors file", cause: error)
        }
        guard parameters.scalarCount == expectedCount else {
            throw StoreError(
                .corruptCheckpoint, source: source,
                "checkpoint \(sha256) holds \(parameters.scalarCount) parameters; expected \(expectedCount)")
        }
        return parameters
    }

    /// Verifies and decodes a strategy-state blob (`nil`: the state is empty).
    static func decodeStrategyState(_ bytes: [UInt8]?, sha256: String?, source: String) throws -> [String: [Float]] {
        guard let sha256 else { return [:] }
        guard let bytes else {
            throw StoreError(.corruptCheckpoint, source: source, "strategy state \(sha256) is missing from the store")
        }
        try verify(bytes, sha256: sha256, source: source)
        let decoded: ModelParameters
        do { decoded = try SafeTensors.decode(bytes, source: "strategy state \(sha256)").parameters } catch {
            throw StoreError(.corruptCheckpoint, source: source, "strategy state \(sha256) is not a valid safetensors file", cause: error)
        }
        var state: [String: [Float]] = [:]
        for (name, tensor) in zip(decoded.names, decoded.tensors) { state[name] = tensor.scalars }
        return state
    }

    /// Decodes the participants column (a JSON array of strings).
    static func decodeParticipants(_ json: String, source: String) throws -> [String] {
        do { return try JSONDecoder().decode([String].self, from: Data(json.utf8)) } catch {
            throw StoreError(.corruptRecord, source: source, "participants \(json.prefix(80)) is not a JSON array of strings", cause: error)
        }
    }
}
