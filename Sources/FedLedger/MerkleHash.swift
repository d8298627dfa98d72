import FedCrypto

/// The hashing of an RFC 9162 (Certificate Transparency 2.0, same as RFC 6962) Merkle tree:
/// SHA-256 with domain separation between leaves and interior nodes.
///
/// - leaf hash: `SHA-256(0x00 ‖ entry)`
/// - node hash: `SHA-256(0x01 ‖ left ‖ right)`
/// - root of the empty tree: `SHA-256()` (RFC 9162 §2.1.1)
public enum MerkleHash {
    /// Bytes in every hash: 32.
    public static let size = 32

    /// The root hash of the empty tree, SHA-256 of no bytes
    /// (`e3b0c442…52b855`).
    public static let emptyRoot: [UInt8] = SHA256Digest.hash([UInt8]())

    /// The leaf hash of `entry`: `SHA-256(0x00 ‖ entry)`.
    public static func leaf(_ entry: some Collection<UInt8>) -> [UInt8] {
        var h = IncrementalSHA256()
        h.update([0x00])
        h.update(Array(entry))
        return h.finalize()
    }

    /// The interior node hash `SHA-256(0x01 ‖ left ‖ right)` of two 32-byte child hashes.
    public static func node(_ left: [UInt8], _ right: [UInt8]) -> [UInt8] {
        var h = IncrementalSHA256()
        h.update([0x01])
        h.update(left)
        h.update(right)
        return h.finalize()
    }

    /// The node hash of the 64 bytes `children` (left ‖ right), without copying them.
    static func node(children: UnsafeRawBufferPointer) -> [UInt8] {
        var h = IncrementalSHA256()
        h.update([0x01])
        h.update(children)
        return h.finalize()
    }

    /// The largest power of two strictly below `n` (n ≥ 2): RFC 9162's split point k.
    static func splitPoint(_ n: UInt64) -> UInt64 {
        precondition(n >= 2, "a split needs at least two leaves")
        return 1 << UInt64(63 - (n - 1).leadingZeroBitCount)
    }
}
