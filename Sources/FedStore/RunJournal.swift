import FedCrypto
import FedLedger
import FedModels
import FedRound
import Foundation

/// A run's durable record: each completed round is committed to the store together with its
/// ledger entries and a freshly signed checkpoint, in one transaction. The coordinator and
/// `feddata simulate --state` both write through it, so a simulated run's ledger verifies and
/// reports exactly like a deployed one.
///
/// The ledger's Ed25519 key is made once per run and kept in the store (`ledger_keys`); a
/// resumed run rebuilds its Merkle tree from the stored leaf hashes and goes on signing.
public actor RunJournal {
    /// The run.
    public let runID: String
    let store: any CoordinatorStore
    private var ledger: Ledger
    private var fingerprints: [String: String] = [:]

    /// Opens the journal of a run that exists in the store (creating its ledger key if needed).
    /// - Throws: `StoreError` from the store; `LedgerError` for a stored key or hash it cannot use.
    /// - Parameters:
    ///   - key: the signing key to use when the run has none yet (default: a fresh one).
    public init(store: any CoordinatorStore, runID: String, key proposed: LedgerKeyRecord? = nil) async throws {
        self.runID = runID
        self.store = store
        let key: LedgerKeyRecord
        if let stored = try await store.ledgerKey(runID: runID) {
            key = stored
        } else {
            key = proposed ?? Self.newKey(runID: runID)
            try await store.setLedgerKey(runID: runID, key)
        }
        let signer = try NoteSigner(name: key.name, signingKey: try Ed25519SigningKey(rawSeed: key.seed))
        let entries = try await store.ledgerEntries(runID: runID, start: 0, count: Int.max)
        ledger = try Ledger(origin: key.name, signer: signer, leafHashes: entries.map(\.leafHash))
        for e in entries where e.kind == "data_fingerprint" {
            if case .dataFingerprint(let f)? = try? LedgerEntry(encoded: e.bytes) { fingerprints[f.nodeID] = f.merkleRootSHA256 }
        }
    }

    /// A fresh Ed25519 key for a run's ledger.
    public static func newKey(runID: String) -> LedgerKeyRecord {
        LedgerKeyRecord(name: keyName(runID: runID), seed: Ed25519SigningKey().rawSeed)
    }

    /// The verifier key of a key record.
    public static func verifierKey(of key: LedgerKeyRecord) throws -> String {
        try NoteSigner(name: key.name, signingKey: try Ed25519SigningKey(rawSeed: key.seed)).verifier.verifierKey
    }

    /// The key (and origin) name of a run's ledger: `feddata/<run id>`.
    public static func keyName(runID: String) -> String { "feddata/\(runID)" }

    /// The verifier key in the C2SP signed-note format.
    public var verifierKey: String { ledger.verifierKey }

    /// How many entries the ledger holds.
    public var size: Int { Int(ledger.size) }

    /// Appends entries outside a round (the run's configuration, data fingerprints) with a new checkpoint.
    /// - Throws: `LedgerError` for an entry that cannot be encoded; `StoreError` from the store.
    public func record(_ entries: [LedgerEntry], round: Int = 0, at: Date = Date()) async throws {
        guard !entries.isEmpty else { return }
        var next = ledger
        let append = try Self.append(entries, round: round, to: &next, at: at)
        try await store.appendLedger(runID: runID, append)
        ledger = next
    }

    /// Records a node's data fingerprint (once per distinct root).
    public func recordFingerprint(node: String, root: [UInt8], records: Int, at: Date = Date()) async throws {
        let hex = SHA256Digest.hex(root)
        guard root.count == 32, fingerprints[node] != hex else { return }
        try await record([.dataFingerprint(LedgerDataFingerprint(nodeID: node, recordCount: UInt64(records), merkleRootSHA256: hex))], at: at)
        fingerprints[node] = hex
    }

    /// Commits a completed round with its ledger entries (the round record, then the nodes'
    /// signed evaluations) and the new signed checkpoint, in one store transaction.
    /// - Throws: as `CoordinatorStore.commitRound`; `LedgerError` for entries that cannot be encoded.
    @discardableResult
    public func commitRound(_ metrics: RoundMetrics, parameters: ModelParameters, strategyState: [String: [Float]], strategy: String,
                            evaluations: [LedgerEvaluation] = [], at: Date = Date()) async throws -> RoundRecord {
        let flat = parameters.flattened()
        var entries: [LedgerEntry] = [.round(Self.roundEntry(metrics, modelSHA256: SHA256Digest.hex(SHA256Digest.hash(floats: flat)), strategy: strategy))]
        entries += evaluations.map { .evaluation($0) }
        var next = ledger
        let append = try Self.append(entries, round: metrics.round, to: &next, at: at)
        let record = try await store.commitRound(runID: runID, round: metrics.round, version: metrics.version, parameters: parameters,
                                                 strategyState: strategyState, metricsJSON: metrics.jsonLine, participants: metrics.participants,
                                                 at: at, ledger: append)
        ledger = next
        return record
    }

    /// The round record of the ledger for a round's metrics.
    public static func roundEntry(_ m: RoundMetrics, modelSHA256: String, strategy: String) -> LedgerRound {
        var numbers: [String: Double] = [:]
        for (key, value) in m.fields {
            switch value {
            case .number(let d) where d.isFinite: numbers[key] = d
            case .integer(let i): numbers[key] = Double(i)
            default: break
            }
        }
        let zero = String(repeating: "0", count: 64)
        return LedgerRound(
            round: m.round, globalModelSHA256: modelSHA256, strategy: strategy,
            participants: m.participants.map {
                .init(nodeID: $0, updateSHA256: m.commitments[$0] ?? zero, sampleCount: m.participantSamples[$0] ?? 0)
            },
            rejected: m.rejected.map { .init(nodeID: $0.nodeID, reason: $0.reason.rawValue, detail: $0.detail) },
            failures: m.failures.map { .init(nodeID: $0.nodeID, reason: "failed", detail: $0.reason) },
            epsilonSpent: m.epsilon, metrics: numbers)
    }

    static func append(_ entries: [LedgerEntry], round: Int, to ledger: inout Ledger, at: Date) throws -> LedgerAppend {
        var records: [LedgerRecord] = []
        for entry in entries {
            let stored = try ledger.append(entry)
            records.append(LedgerRecord(index: Int(stored.index), round: round, kind: entry.kind, bytes: stored.bytes))
        }
        let note = try ledger.signedCheckpoint()
        return LedgerAppend(entries: records, checkpoint: LedgerCheckpointRecord(treeSize: Int(ledger.size), signedNote: note, createdAt: at))
    }

    // MARK: Reading (what nodes and verifiers ask)

    /// The latest signed checkpoint and its size.
    public func checkpoint() throws -> (signedNote: String, treeSize: Int) {
        (try ledger.signedCheckpoint(), Int(ledger.size))
    }

    /// Entries `[start, start + count)`.
    public func entries(start: Int, count: Int) async throws -> [[UInt8]] {
        try await store.ledgerEntries(runID: runID, start: start, count: count).map(\.bytes)
    }

    /// The inclusion proof of entry `leafIndex` in the tree of size `treeSize`.
    public func inclusionProof(leafIndex: Int, treeSize: Int) throws -> [[UInt8]] {
        guard leafIndex >= 0, treeSize >= 0 else { throw StoreError(.invalidInput, source: "inclusion proof", "negative index or size") }
        return try ledger.inclusionProof(index: UInt64(leafIndex), treeSize: UInt64(treeSize))
    }

    /// The consistency proof between two tree sizes.
    public func consistencyProof(from: Int, to: Int) throws -> [[UInt8]] {
        guard from >= 0, to >= 0 else { throw StoreError(.invalidInput, source: "consistency proof", "negative size") }
        return try ledger.consistencyProof(from: UInt64(from), to: UInt64(to))
    }
}

/// Verifying a stored ledger offline: every entry's bytes against its stored leaf hash and the
/// tree, every signed checkpoint against the verifier key, the root at its size and consistency
/// between consecutive checkpoints.
public enum StoredLedgerVerification {
    /// The verifier key recorded for a run (derived from its stored signing key).
    public static func verifierKey(store: any CoordinatorStore, runID: String) async throws -> String? {
        guard let key = try await store.ledgerKey(runID: runID) else { return nil }
        return try NoteSigner(name: key.name, signingKey: try Ed25519SigningKey(rawSeed: key.seed)).verifier.verifierKey
    }

    /// Verifies the run's ledger against `verifierKey` (default: the key the store holds; pass
    /// the key published earlier to detect a store whose key was replaced).
    public static func verify(store: any CoordinatorStore, runID: String, verifierKey: String? = nil) async throws -> LedgerVerificationReport {
        let entries = try await store.ledgerEntries(runID: runID, start: 0, count: Int.max)
        let checkpoints = try await store.ledgerCheckpoints(runID: runID)
        var published = verifierKey
        if published == nil { published = try await Self.verifierKey(store: store, runID: runID) }
        guard let key = published else {
            throw StoreError(.notFound, source: "ledger of run \(runID)", "the run has no ledger key; it was recorded without a ledger")
        }
        return LedgerVerifier.verify(
            entries: entries.map { StoredLedgerEntry(index: UInt64($0.index), bytes: $0.bytes, leafHash: $0.leafHash) },
            signedCheckpoints: checkpoints.map(\.signedNote), verifierKey: key, origin: RunJournal.keyName(runID: runID))
    }
}
