import FedLedger
import Testing

/// A small federation's ledger, built the way the coordinator will build it.
enum SampleLedger {
    static let origin = "feddata.example/run-7"

    static func entries(_ count: Int) -> [LedgerEntry] {
        (0..<count).map { i in
            i == 0 ? .runConfiguration(LedgerRunConfiguration(runID: "run-7", configurationJSON: #"{"rounds":\#(count)}"#, strategy: "fedavg"))
                : .round(LedgerBenchmark.sampleRound(round: i, participants: 3))
        }
    }

    /// A ledger with `count` entries, its stored entries, and signed checkpoints at `checkpointSizes`.
    static func make(count: Int, checkpointSizes: [Int], signer: NoteSigner) throws -> (Ledger, [StoredLedgerEntry], [String]) {
        var ledger = try Ledger(origin: origin, signer: signer)
        var stored: [StoredLedgerEntry] = []
        var notes: [String] = []
        if checkpointSizes.contains(0) { notes.append(try ledger.signedCheckpoint()) }
        for e in entries(count) {
            stored.append(try ledger.append(e))
            if checkpointSizes.contains(Int(ledger.size)) { notes.append(try ledger.signedCheckpoint()) }
        }
        return (ledger, stored, notes)
    }
}

@Suite struct LedgerTests {
    @Test func appendStoresAndProves() throws {
        let signer = try NoteSigner.generate(name: SampleLedger.origin)
        let (ledger, stored, _) = try SampleLedger.make(count: 6, checkpointSizes: [], signer: signer)
        #expect(ledger.size == 6)
        #expect(stored.map(\.index) == Array(0..<6))
        for s in stored {
            #expect(s.leafHash == MerkleHash.leaf(s.bytes))
            #expect(try s.decoded() == SampleLedger.entries(6)[Int(s.index)])
        }
        let checkpoint = try ledger.checkpoint()
        #expect(checkpoint.size == 6)
        #expect(checkpoint.rootHash == MerkleReference.root(stored.map { $0.leafHash! }[...]))
        let proof = try ledger.inclusionProof(index: 4)
        try MerkleVerifier.verifyInclusion(leafHash: stored[4].leafHash!, leafIndex: 4, treeSize: 6, proof: proof, root: checkpoint.rootHash)
        // Resumed from stored hashes, the ledger is the same.
        let resumed = try Ledger(origin: SampleLedger.origin, signer: signer, leafHashes: stored.map { $0.leafHash! })
        #expect(try resumed.checkpoint() == checkpoint)
        #expect(ledger.verifierKey == signer.verifier.verifierKey)
    }

    @Test func monitorFollowsAnHonestLog() throws {
        let signer = try NoteSigner.generate(name: SampleLedger.origin)
        var ledger = try Ledger(origin: SampleLedger.origin, signer: signer)
        var monitor = try LedgerMonitor(verifierKey: ledger.verifierKey, origin: SampleLedger.origin)
        try monitor.update(signedCheckpoint: try ledger.signedCheckpoint(), consistencyProof: [])
        var last: UInt64 = 0
        var stored: [StoredLedgerEntry] = []
        for (i, e) in SampleLedger.entries(9).enumerated() {
            stored.append(try ledger.append(e))
            if i % 3 == 2 {
                let proof = try ledger.consistencyProof(from: last)
                #expect(try monitor.update(signedCheckpoint: try ledger.signedCheckpoint(), consistencyProof: proof).size == ledger.size)
                last = ledger.size
            }
        }
        #expect(monitor.checkpoint?.size == 9)
        // Unchanged size: empty proof.
        try monitor.update(signedCheckpoint: try ledger.signedCheckpoint(), consistencyProof: [])
        for s in stored {
            try monitor.verifyInclusion(of: s.bytes, index: s.index, proof: try ledger.inclusionProof(index: s.index))
        }
        var changed = stored[3].bytes
        changed[changed.count - 1] ^= 1
        #expect(ledgerError { try monitor.verifyInclusion(of: changed, index: 3, proof: try ledger.inclusionProof(index: 3)) }?.code == .rootMismatch)
    }

    @Test func monitorRefusesRewrittenHistoryRollbackAndForeignKeys() throws {
        let signer = try NoteSigner.generate(name: SampleLedger.origin)
        let (honest, _, _) = try SampleLedger.make(count: 5, checkpointSizes: [], signer: signer)
        var monitor = try LedgerMonitor(verifierKey: honest.verifierKey, origin: SampleLedger.origin)
        try monitor.update(signedCheckpoint: try honest.signedCheckpoint(), consistencyProof: [])

        // The coordinator rewrites entry 2 and signs a longer log of the rewritten history.
        var forked = try Ledger(origin: SampleLedger.origin, signer: signer)
        for (i, e) in SampleLedger.entries(8).enumerated() {
            try forked.append(i == 2 ? .round(LedgerBenchmark.sampleRound(round: 99, participants: 3)) : e)
        }
        let e = ledgerError { try monitor.update(signedCheckpoint: try forked.signedCheckpoint(), consistencyProof: try forked.consistencyProof(from: 5)) }
        #expect(e?.code == .inconsistentHistory)
        #expect(e?.source == "checkpoint at size 8 after verified size 5")
        #expect(e?.message.contains("does not extend the verified history") == true)
        #expect(e?.message.contains("at size 5") == true)
        #expect(monitor.checkpoint?.size == 5)

        // A rollback to a shorter log.
        let (shorter, _, _) = try SampleLedger.make(count: 3, checkpointSizes: [], signer: signer)
        #expect(ledgerError { try monitor.update(signedCheckpoint: try shorter.signedCheckpoint(), consistencyProof: []) }?.message == "the log shrank from 5 to 3 entries")

        // A checkpoint by another key, even for the same origin.
        let impostor = try NoteSigner.generate(name: SampleLedger.origin)
        let (other, _, _) = try SampleLedger.make(count: 6, checkpointSizes: [], signer: impostor)
        #expect(ledgerError { try monitor.update(signedCheckpoint: try other.signedCheckpoint(), consistencyProof: try other.consistencyProof(from: 5)) }?.code == .missingSignature)
        #expect(monitor.checkpoint?.size == 5)
    }
}
