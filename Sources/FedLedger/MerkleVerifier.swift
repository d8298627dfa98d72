/// Verification of RFC 9162 inclusion and consistency proofs, step by step as §2.1.3.2 and
/// §2.1.4.2 write them. Every failure throws a `LedgerError` naming the proof, the sizes and
/// what did not match.
public enum MerkleVerifier {
    /// Verifies that `leafHash` is leaf `leafIndex` of the tree of size `treeSize` whose root is
    /// `root` (RFC 9162 §2.1.3.2).
    /// - Parameters:
    ///   - leafHash: the leaf's hash, `SHA-256(0x00 ‖ entry)` (32 bytes).
    ///   - leafIndex: the leaf's index, < `treeSize`.
    ///   - treeSize: the size of the tree the proof is for.
    ///   - proof: the inclusion path, lowest sibling first (32 bytes each).
    ///   - root: the expected root hash at `treeSize` (32 bytes).
    /// - Throws: `LedgerError`: `wrongHashLength`, `outOfRange` (index ≥ size),
    ///   `wrongProofLength`, or `rootMismatch`.
    public static func verifyInclusion(leafHash: [UInt8], leafIndex: UInt64, treeSize: UInt64, proof: [[UInt8]], root: [UInt8]) throws {
        let source = "inclusion proof for leaf \(leafIndex) in tree of size \(treeSize)"
        try checkLength(leafHash, "leaf hash", source)
        try checkLength(root, "root hash", source)
        for (i, p) in proof.enumerated() { try checkLength(p, "proof hash \(i)", source) }
        // 1. leaf_index must be below tree_size.
        guard leafIndex < treeSize else {
            throw LedgerError(.outOfRange, source: source, "leaf index \(leafIndex) is not below the tree size \(treeSize)")
        }
        let computed = try rootFromInclusionProof(leafHash: leafHash, leafIndex: leafIndex, treeSize: treeSize, proof: proof, source: source)
        // 5. r must equal the root hash.
        guard computed == root else {
            throw LedgerError(.rootMismatch, source: source, "the proof gives root \(hex(computed)), expected \(hex(root))")
        }
    }

    /// Steps 2–5 of RFC 9162 §2.1.3.2 up to the root comparison: the root the proof implies.
    static func rootFromInclusionProof(leafHash: [UInt8], leafIndex: UInt64, treeSize: UInt64, proof: [[UInt8]], source: String) throws -> [UInt8] {
        let expectedLength = inclusionProofLength(leafIndex: leafIndex, treeSize: treeSize)
        // 2. fn = leaf_index, sn = tree_size − 1.
        var fn = leafIndex, sn = treeSize - 1
        // 3. r = hash.
        var r = leafHash
        // 4. For each p in the path:
        for p in proof {
            // a. sn = 0 means the path is too long.
            guard sn != 0 else {
                throw LedgerError(.wrongProofLength, source: source, "the proof has \(proof.count) hashes, expected \(expectedLength)")
            }
            // b. A right child (or the last node of its level) hashes p on the left.
            if fn & 1 == 1 || fn == sn {
                r = MerkleHash.node(p, r)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                r = MerkleHash.node(r, p)
            }
            // c. One level up.
            fn >>= 1
            sn >>= 1
        }
        // 5. sn must be 0.
        guard sn == 0 else {
            throw LedgerError(.wrongProofLength, source: source, "the proof has \(proof.count) hashes, expected \(expectedLength)")
        }
        return r
    }

    /// Verifies that the tree of size `size2` with root `root2` extends the tree of size `size1`
    /// with root `root1` (RFC 9162 §2.1.4.2). As in the RFC's companion code (transparency-dev
    /// `VerifyConsistency`): equal sizes need an empty proof and equal roots; size 0 needs an
    /// empty proof and, here, the empty tree's root as `root1`.
    /// - Parameters:
    ///   - size1: the earlier size (≤ `size2`).
    ///   - size2: the later size.
    ///   - proof: the consistency proof (32 bytes each).
    ///   - root1: the root at `size1`.
    ///   - root2: the root at `size2`.
    /// - Throws: `LedgerError`: `wrongHashLength`, `outOfRange` (size1 > size2),
    ///   `wrongProofLength`, or `rootMismatch` naming which root (size1's or size2's) failed.
    public static func verifyConsistency(size1: UInt64, size2: UInt64, proof: [[UInt8]], root1: [UInt8], root2: [UInt8]) throws {
        let source = "consistency proof from size \(size1) to size \(size2)"
        try checkLength(root1, "root at size \(size1)", source)
        try checkLength(root2, "root at size \(size2)", source)
        for (i, p) in proof.enumerated() { try checkLength(p, "proof hash \(i)", source) }
        guard size1 <= size2 else {
            throw LedgerError(.outOfRange, source: source, "the first size \(size1) is larger than the second size \(size2)")
        }
        if size1 == size2 {
            guard proof.isEmpty else {
                throw LedgerError(.wrongProofLength, source: source, "equal sizes need an empty proof, got \(proof.count) hashes")
            }
            guard root1 == root2 else {
                throw LedgerError(.rootMismatch, source: source, "equal sizes need equal roots, got \(hex(root1)) and \(hex(root2))")
            }
            return
        }
        if size1 == 0 {
            guard proof.isEmpty else {
                throw LedgerError(.wrongProofLength, source: source, "a proof from the empty tree is empty, got \(proof.count) hashes")
            }
            guard root1 == MerkleHash.emptyRoot else {
                throw LedgerError(.rootMismatch, source: source, "the root at size 0 must be the empty tree's \(hex(MerkleHash.emptyRoot)), got \(hex(root1))")
            }
            return
        }
        // 1. An empty path fails.
        guard !proof.isEmpty else {
            throw LedgerError(.wrongProofLength, source: source, "the proof is empty")
        }
        var path = proof
        // 2. If first is an exact power of 2, prepend first_hash.
        if size1 & (size1 - 1) == 0 { path.insert(root1, at: 0) }
        // 3. fn = first − 1, sn = second − 1.
        var fn = size1 - 1, sn = size2 - 1
        // 4. While LSB(fn) is set, shift both right.
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        // 5. fr = sr = the first value in the path.
        var fr = path[0], sr = path[0]
        // 6. For each subsequent value c:
        for c in path.dropFirst() {
            // a. sn = 0 means the path is too long.
            guard sn != 0 else {
                throw LedgerError(.wrongProofLength, source: source, "the proof has \(proof.count) hashes, more than the sizes need")
            }
            // b.
            if fn & 1 == 1 || fn == sn {
                fr = MerkleHash.node(c, fr)
                sr = MerkleHash.node(c, sr)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                sr = MerkleHash.node(sr, c)
            }
            // c.
            fn >>= 1
            sn >>= 1
        }
        // 7. sn = 0, fr = first_hash, sr = second_hash.
        guard sn == 0 else {
            throw LedgerError(.wrongProofLength, source: source, "the proof has \(proof.count) hashes, fewer than the sizes need")
        }
        guard fr == root1 else {
            throw LedgerError(.rootMismatch, source: source, "the proof gives root \(hex(fr)) at size \(size1), expected \(hex(root1))")
        }
        guard sr == root2 else {
            throw LedgerError(.rootMismatch, source: source, "the proof gives root \(hex(sr)) at size \(size2), expected \(hex(root2))")
        }
    }

    /// The number of hashes in the inclusion proof of `leafIndex` in a tree of `treeSize`
    /// (`leafIndex` < `treeSize`): the inner levels where the index and the last leaf's
    /// paths differ, plus one per set bit above them.
    public static func inclusionProofLength(leafIndex: UInt64, treeSize: UInt64) -> Int {
        guard leafIndex < treeSize else { return 0 }
        let inner = 64 - (leafIndex ^ (treeSize - 1)).leadingZeroBitCount
        return inner + (leafIndex >> UInt64(inner)).nonzeroBitCount
    }

    static func checkLength(_ hash: [UInt8], _ what: String, _ source: String) throws {
        guard hash.count == MerkleHash.size else {
            throw LedgerError(.wrongHashLength, source: source, "\(what) must be 32 bytes, got \(hash.count)")
        }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
