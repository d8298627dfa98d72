import FedLedger
import Testing

@Suite struct MerkleTreeTests {
    @Test func referenceTreeRootAndHashing() throws {
        let leaves = TestSupport.referenceLeaves.map { MerkleHash.leaf($0) }
        // Leaf 0 is SHA-256(0x00), node hashing prefixes 0x01.
        #expect(TestSupport.hex(leaves[0]) == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
        #expect(TestSupport.hex(MerkleHash.emptyRoot) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        let tree = try MerkleTree(leafHashes: leaves)
        #expect(TestSupport.hex(tree.root) == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
        #expect(MerkleReference.root(leaves[...]) == tree.root)
        // A 2-leaf tree by hand.
        #expect(try tree.root(size: 2) == MerkleHash.node(leaves[0], leaves[1]))
        #expect(try tree.root(size: 0) == MerkleHash.emptyRoot)
        #expect(try tree.root(size: 1) == leaves[0])
    }

    /// The fast tree against the literal RFC definitions: every root for sizes 0…300.
    @Test func rootsMatchReferenceForEverySizeUpTo300() throws {
        let leaves = TestSupport.leafHashes(300)
        var tree = MerkleTree()
        #expect(tree.root == MerkleHash.emptyRoot)
        for (i, leaf) in leaves.enumerated() {
            try tree.append(leafHash: leaf)
            #expect(tree.root == MerkleReference.root(leaves[...i]), "size \(i + 1)")
        }
        for size in stride(from: 0, through: 300, by: 7) {
            #expect(try tree.root(size: UInt64(size)) == MerkleReference.root(leaves[..<size]), "past size \(size)")
        }
    }

    /// Every inclusion and consistency proof for all pairs of sizes up to 40 equals the
    /// reference's, and verifies.
    @Test func proofsMatchReferenceForAllPairsUpTo40() throws {
        let leaves = TestSupport.leafHashes(40)
        let tree = try MerkleTree(leafHashes: leaves)
        for n in 1...40 {
            let prefix = leaves[..<n]
            let root = MerkleReference.root(prefix)
            for m in 0..<n {
                let proof = try tree.inclusionProof(leafIndex: UInt64(m), treeSize: UInt64(n))
                #expect(proof == MerkleReference.inclusionProof(m, prefix), "PATH(\(m), \(n))")
                #expect(proof.count == MerkleVerifier.inclusionProofLength(leafIndex: UInt64(m), treeSize: UInt64(n)))
                try MerkleVerifier.verifyInclusion(leafHash: leaves[m], leafIndex: UInt64(m), treeSize: UInt64(n), proof: proof, root: root)
            }
            for m in 1...n {
                let proof = try tree.consistencyProof(from: UInt64(m), to: UInt64(n))
                #expect(proof == MerkleReference.consistencyProof(m, prefix), "PROOF(\(m), \(n))")
                try MerkleVerifier.verifyConsistency(size1: UInt64(m), size2: UInt64(n), proof: proof, root1: MerkleReference.root(leaves[..<m]), root2: root)
            }
        }
    }

    /// Random pairs in larger random trees (sizes up to 300).
    @Test func randomPairsInRandomTreesUpTo300() throws {
        var rng = TestRandom(seed: 42)
        let leaves = TestSupport.leafHashes(300)
        let tree = try MerkleTree(leafHashes: leaves)
        for _ in 0..<60 {
            let n = 1 + rng.below(300)
            let m = rng.below(n)
            let prefix = leaves[..<n]
            #expect(try tree.inclusionProof(leafIndex: UInt64(m), treeSize: UInt64(n)) == MerkleReference.inclusionProof(m, prefix), "PATH(\(m), \(n))")
            let first = 1 + rng.below(n)
            let proof = try tree.consistencyProof(from: UInt64(first), to: UInt64(n))
            #expect(proof == MerkleReference.consistencyProof(first, prefix), "PROOF(\(first), \(n))")
            try MerkleVerifier.verifyConsistency(size1: UInt64(first), size2: UInt64(n), proof: proof, root1: try tree.root(size: UInt64(first)), root2: try tree.root(size: UInt64(n)))
        }
    }

    /// Flipping any single bit of any proof hash, or changing the index, leaf or root, fails.
    @Test func everyMutationOfAProofFails() throws {
        let leaves = TestSupport.leafHashes(21)
        let tree = try MerkleTree(leafHashes: leaves)
        for (m, n) in [(0, 21), (5, 21), (20, 21), (3, 8), (6, 7), (12, 13)] {
            let proof = try tree.inclusionProof(leafIndex: UInt64(m), treeSize: UInt64(n))
            let root = try tree.root(size: UInt64(n))
            for i in proof.indices {
                for byte in stride(from: 0, to: 32, by: 5) {
                    var bad = proof
                    bad[i][byte] ^= 0x04
                    #expect(throws: LedgerError.self, "PATH(\(m), \(n)) hash \(i) byte \(byte)") {
                        try MerkleVerifier.verifyInclusion(leafHash: leaves[m], leafIndex: UInt64(m), treeSize: UInt64(n), proof: bad, root: root)
                    }
                }
            }
            #expect(throws: LedgerError.self) { try MerkleVerifier.verifyInclusion(leafHash: leaves[m], leafIndex: UInt64(m ^ 1), treeSize: UInt64(n), proof: proof, root: root) }
            #expect(throws: LedgerError.self) { try MerkleVerifier.verifyInclusion(leafHash: leaves[(m + 1) % n], leafIndex: UInt64(m), treeSize: UInt64(n), proof: proof, root: root) }
            // Against another size's root. (A wrong tree size alone can go unnoticed: for leaf 0
            // the RFC's steps are the same for sizes 17…32, so the size is bound by the root.)
            #expect(throws: LedgerError.self) { try MerkleVerifier.verifyInclusion(leafHash: leaves[m], leafIndex: UInt64(m), treeSize: UInt64(n), proof: proof, root: try tree.root(size: UInt64(n - 1))) }
        }
        for (a, b) in [(1, 21), (6, 8), (7, 21), (16, 21), (13, 14)] {
            let proof = try tree.consistencyProof(from: UInt64(a), to: UInt64(b))
            let r1 = try tree.root(size: UInt64(a)), r2 = try tree.root(size: UInt64(b))
            for i in proof.indices {
                for byte in stride(from: 0, to: 32, by: 5) {
                    var bad = proof
                    bad[i][byte] ^= 0x80
                    #expect(throws: LedgerError.self, "PROOF(\(a), \(b)) hash \(i) byte \(byte)") {
                        try MerkleVerifier.verifyConsistency(size1: UInt64(a), size2: UInt64(b), proof: bad, root1: r1, root2: r2)
                    }
                }
            }
            #expect(throws: LedgerError.self) { try MerkleVerifier.verifyConsistency(size1: UInt64(a), size2: UInt64(b), proof: Array(proof.dropLast()), root1: r1, root2: r2) }
            #expect(throws: LedgerError.self) { try MerkleVerifier.verifyConsistency(size1: UInt64(a), size2: UInt64(b), proof: proof + [r1], root1: r1, root2: r2) }
            #expect(throws: LedgerError.self) { try MerkleVerifier.verifyConsistency(size1: UInt64(a), size2: UInt64(b), proof: proof, root1: r2, root2: r1) }
        }
    }

    @Test func errorsNameWhatFailed() throws {
        let leaves = TestSupport.leafHashes(8)
        let tree = try MerkleTree(leafHashes: leaves)
        let root = tree.root
        let proof = try tree.inclusionProof(leafIndex: 5, treeSize: 8)

        let range = ledgerError { _ = try tree.inclusionProof(leafIndex: 8, treeSize: 8) }
        #expect(range?.code == .outOfRange)
        #expect(range?.description == "inclusion proof: out of range: leaf index 8 is outside a tree of size 8")
        #expect(ledgerError { _ = try tree.root(size: 9) }?.code == .outOfRange)
        #expect(ledgerError { _ = try tree.consistencyProof(from: 5, to: 3) }?.code == .outOfRange)

        let short = ledgerError { try MerkleVerifier.verifyInclusion(leafHash: leaves[5], leafIndex: 5, treeSize: 8, proof: Array(proof.dropLast()), root: root) }
        #expect(short?.code == .wrongProofLength)
        #expect(short?.description == "inclusion proof for leaf 5 in tree of size 8: wrong proof length: the proof has 2 hashes, expected 3")

        let mismatch = ledgerError { try MerkleVerifier.verifyInclusion(leafHash: leaves[4], leafIndex: 5, treeSize: 8, proof: proof, root: root) }
        #expect(mismatch?.code == .rootMismatch)
        #expect(mismatch?.message.hasSuffix("expected \(TestSupport.hex(root))") == true)

        let length = ledgerError { try MerkleVerifier.verifyInclusion(leafHash: [1, 2, 3], leafIndex: 5, treeSize: 8, proof: proof, root: root) }
        #expect(length?.description == "inclusion proof for leaf 5 in tree of size 8: wrong hash length: leaf hash must be 32 bytes, got 3")

        let r6 = try tree.root(size: 6)
        let fork = ledgerError { try MerkleVerifier.verifyConsistency(size1: 6, size2: 8, proof: try tree.consistencyProof(from: 6, to: 8), root1: r6, root2: leaves[0]) }
        #expect(fork?.code == .rootMismatch)
        #expect(fork?.message.contains("at size 8, expected \(TestSupport.hex(leaves[0]))") == true)
        let wrongFirst = ledgerError { try MerkleVerifier.verifyConsistency(size1: 6, size2: 8, proof: try tree.consistencyProof(from: 6, to: 8), root1: leaves[0], root2: root) }
        #expect(wrongFirst?.message.contains("at size 6, expected") == true)
        #expect(ledgerError { try MerkleVerifier.verifyConsistency(size1: 0, size2: 8, proof: [], root1: leaves[0], root2: root) }?.code == .rootMismatch)
        try MerkleVerifier.verifyConsistency(size1: 0, size2: 8, proof: [], root1: MerkleHash.emptyRoot, root2: root)
        var empty = MerkleTree()
        #expect(ledgerError { try empty.append(leafHash: [0]) }?.code == .wrongHashLength)
    }

    @Test func appendOfEntriesHashesThem() throws {
        var tree = MerkleTree()
        for (i, leaf) in TestSupport.referenceLeaves.enumerated() {
            #expect(tree.append(entry: leaf) == UInt64(i))
        }
        #expect(tree.count == 8)
        #expect(TestSupport.hex(tree.root) == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
    }
}
