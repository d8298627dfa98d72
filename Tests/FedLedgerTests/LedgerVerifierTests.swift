import FedLedger
import Testing

/// Offline verification of a whole ledger, and the tampering it must detect.
@Suite struct LedgerVerifierTests {
    static func setUp() throws -> (NoteSigner, [StoredLedgerEntry], [String]) {
        let signer = try NoteSigner.generate(name: SampleLedger.origin)
        let (_, stored, notes) = try SampleLedger.make(count: 10, checkpointSizes: [0, 3, 7, 10], signer: signer)
        return (signer, stored, notes)
    }

    @Test func anHonestLedgerVerifies() throws {
        let (signer, stored, notes) = try Self.setUp()
        let report = LedgerVerifier.verify(entries: stored, signedCheckpoints: notes, verifierKey: signer.verifier.verifierKey, origin: SampleLedger.origin)
        #expect(report.isOK, "\(report)")
        #expect(report.description == "OK: 10 entries and 4 checkpoints verify")
        // Without stored leaf hashes too.
        let bare = stored.map { StoredLedgerEntry(index: $0.index, bytes: $0.bytes) }
        #expect(LedgerVerifier.verify(entries: bare, signedCheckpoints: notes, verifierKey: signer.verifier.verifierKey).isOK)
    }

    @Test func aChangedEntryIsDetected() throws {
        let (signer, stored, notes) = try Self.setUp()
        var tampered = stored
        tampered[5].bytes[tampered[5].bytes.count - 1] ^= 0x01  // the last metric's last bit
        let report = LedgerVerifier.verify(entries: tampered, signedCheckpoints: notes, verifierKey: signer.verifier.verifierKey)
        #expect(!report.isOK)
        #expect(report.failures.first?.subject == .entry(position: 5))
        #expect(report.failures.first?.message.hasPrefix("entry 5: stored leaf hash") == true)
        // Checkpoints at 7 and 10 cover entry 5; the one at 3 does not.
        #expect(report.failures.filter { $0.subject == .checkpoint(position: 2) || $0.subject == .checkpoint(position: 3) }.count == 2)
        #expect(!report.failures.contains { $0.subject == .checkpoint(position: 1) })
        #expect(report.description.contains("checkpoint 3: root mismatch at size 7"))

        // Without stored hashes, the signed roots still catch it.
        let bare = tampered.map { StoredLedgerEntry(index: $0.index, bytes: $0.bytes) }
        let r2 = LedgerVerifier.verify(entries: bare, signedCheckpoints: notes, verifierKey: signer.verifier.verifierKey)
        #expect(r2.failures.map(\.subject) == [.checkpoint(position: 2), .consistency(from: 1, to: 2), .checkpoint(position: 3)])
        #expect(r2.failures[1].message.contains("an entry from index 3 to 6 was changed, dropped or reordered"))
    }

    @Test func aDroppedEntryIsDetected() throws {
        let (signer, stored, notes) = try Self.setUp()
        var dropped = stored
        dropped.remove(at: 4)
        let report = LedgerVerifier.verify(entries: dropped, signedCheckpoints: notes, verifierKey: signer.verifier.verifierKey)
        #expect(report.failures.first?.description == "entry at position 4: stored index 5, expected 4 (indices must be contiguous from 0: an entry is missing, extra or out of order)")
        #expect(report.failures.contains { $0.description == "checkpoint 4: size 10 is beyond the 9 stored entries: entries are missing" })
        #expect(report.failures.contains { $0.description.hasPrefix("checkpoint 3: root mismatch at size 7") })

        // Dropped and renumbered: only the signed roots can tell.
        let renumbered = dropped.enumerated().map { StoredLedgerEntry(index: UInt64($0.offset), bytes: $0.element.bytes, leafHash: $0.element.leafHash) }
        let r2 = LedgerVerifier.verify(entries: renumbered, signedCheckpoints: notes, verifierKey: signer.verifier.verifierKey)
        #expect(!r2.isOK)
        #expect(r2.failures.contains { $0.subject == .checkpoint(position: 2) && $0.message.hasPrefix("root mismatch at size 7") })
    }

    @Test func twoReorderedEntriesAreDetected() throws {
        let (signer, stored, notes) = try Self.setUp()
        var reordered = stored
        reordered.swapAt(1, 2)
        let report = LedgerVerifier.verify(entries: reordered, signedCheckpoints: notes, verifierKey: signer.verifier.verifierKey)
        #expect(report.failures.map(\.subject).prefix(2) == [.entry(position: 1), .entry(position: 2)])
        #expect(report.failures[0].message.hasPrefix("stored index 2, expected 1"))
        // Every checkpoint from size 3 on covers the swap.
        #expect(report.failures.filter { if case .checkpoint = $0.subject { true } else { false } }.count == 3)

        let renumbered = reordered.enumerated().map { StoredLedgerEntry(index: UInt64($0.offset), bytes: $0.element.bytes) }
        let r2 = LedgerVerifier.verify(entries: renumbered, signedCheckpoints: notes, verifierKey: signer.verifier.verifierKey)
        // (Size 0 is consistent with every tree, so no consistency failure from checkpoint 1.)
        #expect(r2.failures.map(\.subject) == [.checkpoint(position: 1), .checkpoint(position: 2), .checkpoint(position: 3)])
    }

    /// The coordinator signs two inconsistent histories with the same key (a fork).
    @Test func aForkIsDetected() throws {
        let (signer, stored, notes) = try Self.setUp()
        var fork = try Ledger(origin: SampleLedger.origin, signer: signer)
        for (i, e) in SampleLedger.entries(10).enumerated() {
            try fork.append(i == 8 ? .round(LedgerBenchmark.sampleRound(round: 80, participants: 3)) : e)
        }
        // The honest checkpoints up to 7, then the fork's head at 10.
        let forked = Array(notes.prefix(3)) + [try fork.signedCheckpoint()]
        let report = LedgerVerifier.verify(entries: stored, signedCheckpoints: forked, verifierKey: signer.verifier.verifierKey)
        #expect(report.failures.map(\.subject) == [.checkpoint(position: 3), .consistency(from: 2, to: 3)])
        #expect(report.failures[1].message.hasPrefix("fork or rewrite: the checkpoint at size 10 does not extend the verified one at size 7"))
        #expect(report.failures[1].message.contains("at size 10, expected"))

        // Two signed heads of the same size with different roots: a fork whatever the entries say.
        let sameSize = [notes[3], try fork.signedCheckpoint()]
        let r2 = LedgerVerifier.verify(entries: stored, signedCheckpoints: sameSize, verifierKey: signer.verifier.verifierKey)
        #expect(r2.failures.contains { $0.subject == .consistency(from: 0, to: 1) && $0.message.hasPrefix("fork: two signed checkpoints of size 10 with different roots") })
    }

    @Test func badSignaturesKeysAndOrderAreReported() throws {
        let (signer, stored, notes) = try Self.setUp()
        let impostor = try NoteSigner.generate(name: SampleLedger.origin)
        let r1 = LedgerVerifier.verify(entries: stored, signedCheckpoints: notes, verifierKey: impostor.verifier.verifierKey)
        #expect(r1.failures.count == 4)
        #expect(r1.failures.allSatisfy { $0.message.contains("missing signature") })
        let r2 = LedgerVerifier.verify(entries: stored, signedCheckpoints: notes, verifierKey: "not a key")
        #expect(r2.failures.map(\.subject) == [.verifierKey])
        let r3 = LedgerVerifier.verify(entries: stored, signedCheckpoints: [notes[2], notes[1]], verifierKey: signer.verifier.verifierKey)
        #expect(r3.failures.map(\.description) == ["checkpoints 1 → 2: the size went back from 7 to 3: checkpoints must never shrink"])
        let r4 = LedgerVerifier.verify(entries: stored, signedCheckpoints: notes, verifierKey: signer.verifier.verifierKey, origin: "elsewhere")
        #expect(r4.failures.count == 4)
    }
}
