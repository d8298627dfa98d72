/// What the coordinator's ledger offers nodes over the wire: the latest signed checkpoint, the
/// entries, and RFC 9162 proofs. Implemented over FedLedger by the coordinator; the service only
/// moves the bytes.
public protocol LedgerReader: Sendable {
    /// The verifier key (C2SP signed-note format: `<name>+<key hash>+<base64>`).
    var verifierKey: String { get }
    /// The latest signed checkpoint (note text with its signature lines) and its tree size.
    func checkpoint() async throws -> (signedNote: String, treeSize: Int)
    /// Entries `[start, start + count)`, clipped to the log's size; each entry's canonical bytes.
    func entries(start: Int, count: Int) async throws -> [[UInt8]]
    /// The audit path of entry `leafIndex` in the tree of the first `treeSize` entries.
    func inclusionProof(leafIndex: Int, treeSize: Int) async throws -> [[UInt8]]
    /// The consistency proof between the trees of the first `from` and `to` entries.
    func consistencyProof(from: Int, to: Int) async throws -> [[UInt8]]
}
