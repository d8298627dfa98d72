import FedLedger
import Testing

@Suite struct DataFingerprintTests {
    @Test func referenceTreeFingerprint() {
        let f = DataFingerprint(records: TestSupport.referenceLeaves)
        #expect(f.recordCount == 8)
        #expect(TestSupport.hex(f.root) == "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")
        #expect(DataFingerprint().root == MerkleHash.emptyRoot)
    }

    /// The streaming fingerprint equals the cached tree's root and the literal definition.
    @Test func streamingEqualsTreeAndReference() throws {
        var f = DataFingerprint()
        var tree = MerkleTree()
        var leaves: [[UInt8]] = []
        for i in 0..<130 {
            let record = Array("record \(i)".utf8)
            f.add(record: record)
            tree.append(entry: record)
            leaves.append(MerkleHash.leaf(record))
            #expect(f.root == tree.root, "\(i + 1) records")
            #expect(f.root == MerkleReference.root(leaves[...]), "\(i + 1) records")
        }
        let entry = LedgerDataFingerprint(nodeID: "n", fingerprint: f)
        #expect(entry.recordCount == 130)
        #expect(entry.merkleRootSHA256 == TestSupport.hex(tree.root))
    }

    @Test func orderAndContentMatter() {
        let a = DataFingerprint(records: [[1], [2], [3]])
        #expect(a != DataFingerprint(records: [[2], [1], [3]]))
        #expect(a.root != DataFingerprint(records: [[1], [2], [4]]).root)
        #expect(a.root != DataFingerprint(records: [[1], [2]]).root)
    }
}
