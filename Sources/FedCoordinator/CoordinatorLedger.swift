import FedStore

/// The coordinator's ledger as nodes see it (`LedgerReader`): its verifier key is fixed when the
/// run is planned, its journal attached once the run exists in the store. Data fingerprints
/// that arrive with registrations before that are kept and recorded when it is attached.
public actor CoordinatorLedger: LedgerReader {
    public nonisolated let verifierKey: String
    private var journal: RunJournal?
    private var pending: [(node: String, root: [UInt8], records: Int)] = []
    let log: @Sendable (String) -> Void

    /// Creates the ledger of a run signed with `key`.
    public init(key: LedgerKeyRecord, log: @escaping @Sendable (String) -> Void) throws {
        verifierKey = try RunJournal.verifierKey(of: key)
        self.log = log
    }

    /// Attaches the run's journal and records the fingerprints that arrived before it.
    func attach(_ journal: RunJournal) async {
        self.journal = journal
        for p in pending { await recordFingerprint(node: p.node, root: p.root, records: p.records) }
        pending = []
    }

    /// Records a node's data fingerprint (now, or when the journal is attached).
    func recordFingerprint(node: String, root: [UInt8], records: Int) async {
        guard let journal else {
            pending.append((node, root, records))
            return
        }
        do { try await journal.recordFingerprint(node: node, root: root, records: records) } catch {
            log("could not record the data fingerprint of node \(node): \(error)")
        }
    }

    func started() throws -> RunJournal {
        guard let journal else {
            throw CoordinatorError(.nodeUnavailable, source: "ledger", "the run has not started yet; its ledger is empty")
        }
        return journal
    }

    public func checkpoint() async throws -> (signedNote: String, treeSize: Int) { try await started().checkpoint() }
    public func entries(start: Int, count: Int) async throws -> [[UInt8]] { try await started().entries(start: start, count: count) }
    public func inclusionProof(leafIndex: Int, treeSize: Int) async throws -> [[UInt8]] {
        try await started().inclusionProof(leafIndex: leafIndex, treeSize: treeSize)
    }
    public func consistencyProof(from: Int, to: Int) async throws -> [[UInt8]] { try await started().consistencyProof(from: from, to: to) }
}
