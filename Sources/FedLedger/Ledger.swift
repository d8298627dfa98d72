/// A federation's verifiable append-only log (the coordinator's side): entries are leaves of an
/// RFC 9162 Merkle tree, and tree heads are signed as C2SP checkpoints with the coordinator's
/// Ed25519 key.
///
/// A value-type state machine: no I/O. `append` returns the `StoredLedgerEntry` the caller
/// persists (FedStore keeps the bytes; the ledger keeps only the tree, 64 bytes per entry), and
/// a restarted coordinator rebuilds the ledger from the stored leaf hashes.
public struct Ledger: Sendable {
    /// The log's origin line, e.g. `feddata.example/run-42`.
    public let origin: String
    /// The checkpoint signer.
    public let signer: NoteSigner
    private var tree: MerkleTree

    /// An empty ledger.
    /// - Parameters:
    ///   - origin: the checkpoints' first line (non-empty, one line); C2SP recommends it equal
    ///     the signer's key name.
    ///   - signer: the coordinator's note signer.
    /// - Throws: `LedgerError` (`malformedCheckpoint`) for an empty or multi-line origin.
    public init(origin: String, signer: NoteSigner) throws {
        try LogCheckpoint.checkLine(origin, "origin")
        self.origin = origin
        self.signer = signer
        self.tree = MerkleTree()
    }

    /// A ledger resumed from the leaf hashes of its stored entries, in index order.
    /// - Throws: `LedgerError` for a bad origin or a leaf hash that is not 32 bytes.
    public init(origin: String, signer: NoteSigner, leafHashes: some Sequence<[UInt8]>) throws {
        try self.init(origin: origin, signer: signer)
        tree = try MerkleTree(leafHashes: leafHashes)
    }

    /// Entries in the log.
    public var size: UInt64 { tree.count }

    /// The published verifier key of the checkpoint signer.
    public var verifierKey: String { signer.verifier.verifierKey }

    /// Appends `entry` and returns what to store.
    /// - Throws: `LedgerError` (`malformedEntry`) if the entry cannot be encoded.
    @discardableResult
    public mutating func append(_ entry: LedgerEntry) throws -> StoredLedgerEntry {
        let bytes = try entry.encoded()
        let leafHash = MerkleHash.leaf(bytes)
        let index = try tree.append(leafHash: leafHash)
        return StoredLedgerEntry(index: index, bytes: bytes, leafHash: leafHash)
    }

    /// The leaf hash of entry `index`.
    /// - Throws: `LedgerError` (`outOfRange`).
    public func leafHash(at index: UInt64) throws -> [UInt8] { try tree.leafHash(at: index) }

    /// The tree head at `size` (default: now), unsigned.
    /// - Throws: `LedgerError` (`outOfRange`) if `size` is beyond the log.
    public func checkpoint(size: UInt64? = nil) throws -> LogCheckpoint {
        let n = size ?? tree.count
        return try LogCheckpoint(origin: origin, size: n, rootHash: try tree.root(size: n))
    }

    /// The signed checkpoint note for the current size.
    /// - Throws: `LedgerError` if signing fails.
    public func signedCheckpoint() throws -> String {
        try signer.sign(try checkpoint())
    }

    /// The inclusion proof of entry `index` in the log at `treeSize` (default: now).
    /// - Throws: `LedgerError` (`outOfRange`).
    public func inclusionProof(index: UInt64, treeSize: UInt64? = nil) throws -> [[UInt8]] {
        try tree.inclusionProof(leafIndex: index, treeSize: treeSize ?? tree.count)
    }

    /// The consistency proof from the log at `from` to the log at `to` (default: now).
    /// - Throws: `LedgerError` (`outOfRange`).
    public func consistencyProof(from: UInt64, to: UInt64? = nil) throws -> [[UInt8]] {
        try tree.consistencyProof(from: from, to: to ?? tree.count)
    }
}
