/// A node's data fingerprint as logged: how many local records it holds and the RFC 9162
/// Merkle root over them (`DataFingerprint`, computed on the node). Later the node can prove
/// a record was part of its training data with an inclusion proof, without revealing others.
public struct LedgerDataFingerprint: Sendable, Equatable {
    /// The node's identifier.
    public var nodeID: String
    /// Records in the node's local data set.
    public var recordCount: UInt64
    /// The Merkle root over the records (64 lowercase hex digits).
    public var merkleRootSHA256: String

    /// Creates the record.
    public init(nodeID: String, recordCount: UInt64, merkleRootSHA256: String) {
        self.nodeID = nodeID
        self.recordCount = recordCount
        self.merkleRootSHA256 = merkleRootSHA256
    }

    /// The record for `fingerprint`, computed on node `nodeID`.
    public init(nodeID: String, fingerprint: DataFingerprint) {
        self.init(nodeID: nodeID, recordCount: fingerprint.recordCount, merkleRootSHA256: Hex.encode(fingerprint.root))
    }

    func encode(to w: inout CanonicalWriter) throws {
        try w.text(nodeID, "data fingerprint node id")
        w.uint64(recordCount)
        try w.digest(hex: merkleRootSHA256, "data fingerprint of \(nodeID) Merkle root")
    }

    static func decode(from r: inout CanonicalReader) throws -> LedgerDataFingerprint {
        LedgerDataFingerprint(nodeID: try r.text("node id"), recordCount: try r.uint64("record count"), merkleRootSHA256: try r.digestHex("Merkle root"))
    }
}
