/// An append-only RFC 9162 Merkle tree over leaf hashes, with roots, inclusion proofs and
/// consistency proofs for the current size and for any past size.
///
/// Storage: `levels[h]` holds, back to back, the 32-byte hashes of every *complete* subtree of
/// 2^h leaves that starts at a multiple of 2^h (level 0 is the leaf hashes). An append adds one
/// leaf hash and, each time a level gets an even count, one parent: amortised O(1) hashes, at
/// most ⌈log₂ n⌉ + 1. The tree keeps 2n hashes (64 bytes per leaf).
///
/// Every subtree the RFC's recursive definitions visit splits into O(log n) such cached
/// subtrees, so `root(size:)` costs O(log n) hashes and a proof O(log² n) at worst, for any
/// past size. `MerkleReference` is the literal (slow) transcription of the same definitions,
/// and the tests compare the two.
public struct MerkleTree: Sendable {
    /// Flat hashes of complete, aligned subtrees; `levels[h]` has `count >> h` of them.
    private var levels: [[UInt8]] = [[]]
    /// Leaves in the tree.
    public private(set) var count: UInt64 = 0

    /// An empty tree.
    public init() {}

    /// A tree holding `leafHashes` in order.
    /// - Throws: `LedgerError` (`wrongHashLength`) if a hash is not 32 bytes.
    public init(leafHashes: some Sequence<[UInt8]>) throws {
        for h in leafHashes { try append(leafHash: h) }
    }

    /// Appends the leaf for `entry` (its leaf hash `SHA-256(0x00 ‖ entry)`) and returns its index.
    @discardableResult
    public mutating func append(entry: some Collection<UInt8>) -> UInt64 {
        appendUnchecked(MerkleHash.leaf(entry))
    }

    /// Appends a leaf by its (already computed) leaf hash and returns its index.
    /// - Throws: `LedgerError` (`wrongHashLength`) if `leafHash` is not 32 bytes.
    @discardableResult
    public mutating func append(leafHash: [UInt8]) throws -> UInt64 {
        guard leafHash.count == MerkleHash.size else {
            throw LedgerError(.wrongHashLength, source: "leaf hash appended at index \(count)", "expected 32 bytes, got \(leafHash.count)")
        }
        return appendUnchecked(leafHash)
    }

    private mutating func appendUnchecked(_ leafHash: [UInt8]) -> UInt64 {
        let index = count
        levels[0].append(contentsOf: leafHash)
        count += 1
        // Each level whose count becomes even completes a parent one level up.
        var level = 0
        var n = count
        while n & 1 == 0 {
            let end = levels[level].count
            let parent = levels[level].withUnsafeBytes { buf in
                MerkleHash.node(children: UnsafeRawBufferPointer(rebasing: buf[(end - 2 * MerkleHash.size)..<end]))
            }
            if levels.count == level + 1 { levels.append([]) }
            levels[level + 1].append(contentsOf: parent)
            level += 1
            n >>= 1
        }
        return index
    }

    /// The leaf hash at `index`.
    /// - Throws: `LedgerError` (`outOfRange`) if `index` ≥ `count`.
    public func leafHash(at index: UInt64) throws -> [UInt8] {
        guard index < count else {
            throw LedgerError(.outOfRange, source: "leaf hash", "index \(index) is outside a tree of \(count) leaves")
        }
        return cached(level: 0, index: Int(index))
    }

    /// The root hash of the tree as it was when it had `size` leaves (RFC 9162 MTH(D[0:size])).
    /// The empty tree's root is `MerkleHash.emptyRoot`.
    /// - Throws: `LedgerError` (`outOfRange`) if `size` > `count`.
    public func root(size: UInt64) throws -> [UInt8] {
        guard size <= count else {
            throw LedgerError(.outOfRange, source: "root", "size \(size) is beyond the tree's \(count) leaves")
        }
        return size == 0 ? MerkleHash.emptyRoot : subtreeHash(start: 0, size: size)
    }

    /// The root hash at the current size.
    public var root: [UInt8] { count == 0 ? MerkleHash.emptyRoot : subtreeHash(start: 0, size: count) }

    /// The audit path of leaf `leafIndex` in the tree of size `treeSize` (RFC 9162 §2.1.3.1
    /// PATH(m, D[n])), lowest sibling first.
    /// - Throws: `LedgerError` (`outOfRange`) unless `leafIndex` < `treeSize` ≤ `count`.
    public func inclusionProof(leafIndex: UInt64, treeSize: UInt64) throws -> [[UInt8]] {
        guard treeSize <= count else {
            throw LedgerError(.outOfRange, source: "inclusion proof for leaf \(leafIndex)", "tree size \(treeSize) is beyond the tree's \(count) leaves")
        }
        guard leafIndex < treeSize else {
            throw LedgerError(.outOfRange, source: "inclusion proof", "leaf index \(leafIndex) is outside a tree of size \(treeSize)")
        }
        // PATH(m, D[start:start+n]) descends to the leaf; the siblings met on the way down are
        // emitted in reverse (the RFC lists the lowest one first).
        var siblings: [[UInt8]] = []
        var m = leafIndex, start: UInt64 = 0, n = treeSize
        while n > 1 {
            let k = MerkleHash.splitPoint(n)
            if m < k {
                siblings.append(subtreeHash(start: start + k, size: n - k))
                n = k
            } else {
                siblings.append(subtreeHash(start: start, size: k))
                m -= k
                start += k
                n -= k
            }
        }
        return siblings.reversed()
    }

    /// The consistency proof between the tree's sizes `from` and `to` (RFC 9162 §2.1.4.1
    /// PROOF(m, D[n])). Empty when `from` = `to` or `from` = 0 (every tree extends the empty one).
    /// - Throws: `LedgerError` (`outOfRange`) unless `from` ≤ `to` ≤ `count`.
    public func consistencyProof(from: UInt64, to: UInt64) throws -> [[UInt8]] {
        guard to <= count else {
            throw LedgerError(.outOfRange, source: "consistency proof from \(from)", "size \(to) is beyond the tree's \(count) leaves")
        }
        guard from <= to else {
            throw LedgerError(.outOfRange, source: "consistency proof", "first size \(from) is larger than second size \(to)")
        }
        if from == 0 || from == to { return [] }
        // SUBPROOF(m, D[start:start+n], b), followed down; nodes are emitted in reverse.
        var nodes: [[UInt8]] = []
        var m = from, start: UInt64 = 0, n = to, complete = true
        while m != n {
            let k = MerkleHash.splitPoint(n)
            if m <= k {
                nodes.append(subtreeHash(start: start + k, size: n - k))
                n = k
            } else {
                nodes.append(subtreeHash(start: start, size: k))
                m -= k
                start += k
                n -= k
                complete = false
            }
        }
        if !complete { nodes.append(subtreeHash(start: start, size: n)) }
        return nodes.reversed()
    }

    /// MTH(D[start:start+size]), size ≥ 1, from cached complete subtrees.
    func subtreeHash(start: UInt64, size: UInt64) -> [UInt8] {
        if size & (size - 1) == 0 && start % size == 0 {
            // A complete, aligned subtree: cached at level log₂(size).
            let level = size.trailingZeroBitCount
            return cached(level: level, index: Int(start >> UInt64(level)))
        }
        let k = MerkleHash.splitPoint(size)
        return MerkleHash.node(subtreeHash(start: start, size: k), subtreeHash(start: start + k, size: size - k))
    }

    private func cached(level: Int, index: Int) -> [UInt8] {
        let offset = index * MerkleHash.size
        return Array(levels[level][offset..<(offset + MerkleHash.size)])
    }
}
