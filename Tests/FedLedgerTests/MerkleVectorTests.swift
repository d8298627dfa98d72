import FedLedger
import Foundation
import Testing

/// Every transparency-dev test vector (`Vectors/`): happy paths verify, every mutated
/// negative is rejected.
@Suite struct MerkleVectorTests {
    struct Inclusion: Decodable {
        var leafIdx: UInt64
        var treeSize: UInt64
        var root: String
        var leafHash: String
        var proof: [String]?
        var desc: String
        var wantErr: Bool
    }

    struct Consistency: Decodable {
        var size1: UInt64
        var size2: UInt64
        var root1: String
        var root2: String
        var proof: [String]?
        var desc: String
        var wantErr: Bool
    }

    static func b64(_ s: String) -> [UInt8] { Array(Data(base64Encoded: s)!) }

    @Test func allVectorFilesArePresent() {
        let inclusion = TestSupport.vectorFiles("inclusion"), consistency = TestSupport.vectorFiles("consistency")
        #expect(inclusion.count + consistency.count == 170)  // + LICENSE and README.md = 172 files
        #expect(inclusion.contains("inclusion/1/happy-path.json"))
        #expect(consistency.contains("consistency/2/happy-path.json"))
    }

    @Test(arguments: TestSupport.vectorFiles("inclusion")) func inclusion(_ path: String) throws {
        let v = try TestSupport.load(Inclusion.self, path)
        let proof = (v.proof ?? []).map(Self.b64)
        let result = Result {
            try MerkleVerifier.verifyInclusion(leafHash: Self.b64(v.leafHash), leafIndex: v.leafIdx, treeSize: v.treeSize, proof: proof, root: Self.b64(v.root))
        }
        if v.wantErr {
            #expect(throws: LedgerError.self, "\(path) (\(v.desc)) must fail") { try result.get() }
        } else {
            #expect(throws: Never.self, "\(path) (\(v.desc)) must verify") { try result.get() }
        }
    }

    @Test(arguments: TestSupport.vectorFiles("consistency")) func consistency(_ path: String) throws {
        let v = try TestSupport.load(Consistency.self, path)
        let proof = (v.proof ?? []).map(Self.b64)
        let result = Result {
            try MerkleVerifier.verifyConsistency(size1: v.size1, size2: v.size2, proof: proof, root1: Self.b64(v.root1), root2: Self.b64(v.root2))
        }
        if v.wantErr {
            #expect(throws: LedgerError.self, "\(path) (\(v.desc)) must fail") { try result.get() }
        } else {
            #expect(throws: Never.self, "\(path) (\(v.desc)) must verify") { try result.get() }
        }
    }

    /// The tree built from the reference leaves produces exactly the vectors' happy-path proofs.
    @Test func treeReproducesHappyPathProofs() throws {
        let tree = try MerkleTree(leafHashes: TestSupport.referenceLeaves.map { MerkleHash.leaf($0) })
        for path in TestSupport.vectorFiles("inclusion") where path.hasSuffix("happy-path.json") {
            let v = try TestSupport.load(Inclusion.self, path)
            guard v.treeSize <= 8 else { continue }
            #expect(try tree.inclusionProof(leafIndex: v.leafIdx, treeSize: v.treeSize) == (v.proof ?? []).map(Self.b64), "\(path)")
            #expect(try tree.root(size: v.treeSize) == Self.b64(v.root), "\(path)")
            #expect(try tree.leafHash(at: v.leafIdx) == Self.b64(v.leafHash), "\(path)")
        }
        for path in TestSupport.vectorFiles("consistency") where path.hasSuffix("happy-path.json") {
            let v = try TestSupport.load(Consistency.self, path)
            #expect(try tree.consistencyProof(from: v.size1, to: v.size2) == (v.proof ?? []).map(Self.b64), "\(path)")
            #expect(try tree.root(size: v.size1) == Self.b64(v.root1), "\(path)")
            #expect(try tree.root(size: v.size2) == Self.b64(v.root2), "\(path)")
        }
    }
}
