/// RFC 9162's recursive definitions written literally over an array of leaf hashes: the slow
/// twin of `MerkleTree` (no caching, O(n) hashes per root). Tests compare the two on random trees.
public enum MerkleReference {
    /// MTH(D[n]) (RFC 9162 §2.1.1) of the leaves whose hashes are `leafHashes`.
    public static func root(_ leafHashes: ArraySlice<[UInt8]>) -> [UInt8] {
        let n = leafHashes.count
        if n == 0 { return MerkleHash.emptyRoot }
        if n == 1 { return leafHashes[leafHashes.startIndex] }
        let k = Int(MerkleHash.splitPoint(UInt64(n)))
        let mid = leafHashes.startIndex + k
        return MerkleHash.node(root(leafHashes[..<mid]), root(leafHashes[mid...]))
    }

    /// PATH(m, D[n]) (RFC 9162 §2.1.3.1): the inclusion proof of leaf `m` in the tree of the
    /// given leaves (`m` < n).
    public static func inclusionProof(_ m: Int, _ leafHashes: ArraySlice<[UInt8]>) -> [[UInt8]] {
        let n = leafHashes.count
        precondition(m >= 0 && m < n, "PATH needs 0 ≤ m < n")
        if n == 1 { return [] }
        let k = Int(MerkleHash.splitPoint(UInt64(n)))
        let mid = leafHashes.startIndex + k
        if m < k {
            return inclusionProof(m, leafHashes[..<mid]) + [root(leafHashes[mid...])]
        } else {
            return inclusionProof(m - k, leafHashes[mid...]) + [root(leafHashes[..<mid])]
        }
    }

    /// PROOF(m, D[n]) = SUBPROOF(m, D[n], true) (RFC 9162 §2.1.4.1): the consistency proof
    /// between the first `m` leaves and all of them (0 < m ≤ n).
    public static func consistencyProof(_ m: Int, _ leafHashes: ArraySlice<[UInt8]>) -> [[UInt8]] {
        precondition(m > 0 && m <= leafHashes.count, "PROOF needs 0 < m ≤ n")
        return subproof(m, leafHashes, true)
    }

    static func subproof(_ m: Int, _ d: ArraySlice<[UInt8]>, _ b: Bool) -> [[UInt8]] {
        let n = d.count
        if m == n { return b ? [] : [root(d)] }
        let k = Int(MerkleHash.splitPoint(UInt64(n)))
        let mid = d.startIndex + k
        if m <= k {
            return subproof(m, d[..<mid], b) + [root(d[mid...])]
        } else {
            return subproof(m - k, d[mid...], false) + [root(d[..<mid])]
        }
    }
}
