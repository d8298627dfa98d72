/// The fingerprint of a node's local data: the RFC 9162 Merkle root over its records, each
/// record's bytes one leaf, in the node's order. Computed on the node, streaming: memory is
/// O(log n) hashes, not O(n).
///
/// It is the root `MerkleTree` would give for the same leaves (tests check this), so an
/// inclusion proof from a `MerkleTree` over the records proves one record belongs to it.
public struct DataFingerprint: Sendable, Equatable {
    /// Roots of the complete subtrees so far, largest (leftmost) first; their sizes are the
    /// set bits of `recordCount`, in decreasing order.
    private var peaks: [[UInt8]] = []
    /// Records added.
    public private(set) var recordCount: UInt64 = 0

    /// An empty fingerprint (root = SHA-256 of nothing).
    public init() {}

    /// The fingerprint of `records`.
    public init<S: Sequence>(records: S) where S.Element: Collection, S.Element.Element == UInt8 {
        for r in records { add(record: r) }
    }

    /// Adds the next record.
    public mutating func add(record: some Collection<UInt8>) {
        var hash = MerkleHash.leaf(record)
        // Merge equal-sized peaks, as a binary counter carries.
        var n = recordCount
        while n & 1 == 1 {
            hash = MerkleHash.node(peaks.removeLast(), hash)
            n >>= 1
        }
        peaks.append(hash)
        recordCount += 1
    }

    /// The Merkle root over the records added (the empty tree's root when there are none).
    public var root: [UInt8] {
        guard var r = peaks.last else { return MerkleHash.emptyRoot }
        for p in peaks.dropLast().reversed() { r = MerkleHash.node(p, r) }
        return r
    }
}
