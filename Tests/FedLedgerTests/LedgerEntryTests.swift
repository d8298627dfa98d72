import FedLedger
import Testing

@Suite struct LedgerEntryTests {
    static let modelHash = String(repeating: "ab", count: 32)
    static let updateHash = String(repeating: "01", count: 32)

    static let entries: [LedgerEntry] = [
        .runConfiguration(LedgerRunConfiguration(runID: "run-1", configurationJSON: #"{"rounds":3}"#, strategy: "fedavg")),
        .round(LedgerRound(round: 3, globalModelSHA256: modelHash, strategy: "fedprox(mu=0.01)",
                           participants: [.init(nodeID: "a", updateSHA256: updateHash, sampleCount: 10), .init(nodeID: "b", updateSHA256: modelHash, sampleCount: 7)],
                           rejected: [.init(nodeID: "c", reason: "non_finite", detail: "delta[3] is NaN")],
                           failures: [.init(nodeID: "d", reason: "timed_out", detail: "30 s")],
                           epsilonSpent: 1.25, metrics: ["loss": 0.5, "accuracy": 0.75, "b": -0.0])),
        .round(LedgerRound(round: 0, globalModelSHA256: modelHash, strategy: "fedavg", participants: [])),
        .evaluation(LedgerEvaluation(nodeID: "hospital-1", round: 2, modelSHA256: modelHash, metrics: ["accuracy": 0.9],
                                     signature: [1, 2, 3], signerKeyFingerprint: [UInt8](repeating: 7, count: 32))),
        .dataFingerprint(LedgerDataFingerprint(nodeID: "hospital-1", recordCount: 303, merkleRootSHA256: updateHash)),
    ]

    @Test(arguments: 0..<5) func roundTrips(_ i: Int) throws {
        let entry = Self.entries[i]
        let bytes = try entry.encoded()
        #expect(try LedgerEntry(encoded: bytes) == entry)
        #expect(try LedgerEntry(encoded: bytes).encoded() == bytes)
        // Any truncation is an error, never a trap.
        for cut in 0..<bytes.count {
            #expect(throws: LedgerError.self) { try LedgerEntry(encoded: Array(bytes[..<cut])) }
        }
    }

    /// The documented byte layout, checked by hand for the smallest entry.
    @Test func runConfigurationBytesByHand() throws {
        let bytes = try LedgerEntry.runConfiguration(LedgerRunConfiguration(runID: "r", configurationJSON: "{}", strategy: "s")).encoded()
        #expect(bytes == [1, 1, 0, 0, 0, 1, 0x72, 0, 0, 0, 2, 0x7B, 0x7D, 0, 0, 0, 1, 0x73])
    }

    @Test func dataFingerprintBytesByHand() throws {
        let bytes = try LedgerEntry.dataFingerprint(LedgerDataFingerprint(nodeID: "n", recordCount: 258, merkleRootSHA256: Self.updateHash)).encoded()
        #expect(bytes == [1, 4, 0, 0, 0, 1, 0x6E, 0, 0, 0, 0, 0, 0, 1, 2] + [UInt8](repeating: 1, count: 32))
    }

    @Test func metricsAreSortedSoEqualEntriesHaveEqualBytes() throws {
        let a = LedgerEntry.round(LedgerRound(round: 1, globalModelSHA256: Self.modelHash, strategy: "x", participants: [], metrics: ["z": 1, "a": 2, "m": 3]))
        var dict: [String: Double] = [:]
        for k in ["m", "a", "z"] { dict[k] = ["z": 1, "a": 2, "m": 3][k] }
        let b = LedgerEntry.round(LedgerRound(round: 1, globalModelSHA256: Self.modelHash, strategy: "x", participants: [], metrics: dict))
        #expect(try a.encoded() == b.encoded())
    }

    @Test func badInputIsAnErrorNamingTheField() throws {
        let bytes = try Self.entries[0].encoded()
        #expect(ledgerError { _ = try LedgerEntry(encoded: bytes + [0]) }?.message.hasPrefix("unexpected bytes after the entry") == true)
        var kind = bytes
        kind[1] = 9
        #expect(ledgerError { _ = try LedgerEntry(encoded: kind, source: "entry 4") }?.description.hasPrefix("entry 4: malformed entry: expected kind 1–4") == true)
        var version = bytes
        version[0] = 2
        #expect(ledgerError { _ = try LedgerEntry(encoded: version) }?.message.hasPrefix("expected format version 1, got 2") == true)
        var utf8 = bytes
        utf8[6] = 0xFF
        #expect(ledgerError { _ = try LedgerEntry(encoded: utf8) }?.message.hasPrefix("run id is not valid UTF-8") == true)
        let badHash = LedgerEntry.round(LedgerRound(round: 1, globalModelSHA256: "ABC", strategy: "x", participants: []))
        #expect(ledgerError { _ = try badHash.encoded() }?.description == "round 1 record global model SHA-256: malformed entry: expected a SHA-256 digest as 64 lowercase hex digits, got 3 characters")
        // Metric names out of order cannot come from the encoder.
        let sorted = try LedgerEntry.evaluation(LedgerEvaluation(nodeID: "n", round: 1, modelSHA256: Self.modelHash, metrics: ["a": 1, "b": 2], signature: [], signerKeyFingerprint: [])).encoded()
        var swapped = sorted
        let a = swapped.firstIndex(of: 0x61)!, b = swapped.firstIndex(of: 0x62)!
        swapped.swapAt(a, b)
        #expect(ledgerError { _ = try LedgerEntry(encoded: swapped) }?.message.contains("strictly increasing byte order") == true)
    }

    @Test func evaluationSignatureIsCheckedByTheCallersClosure() throws {
        let message = try LedgerEvaluation.signedMessage(nodeID: "n", round: 1, modelSHA256: Self.modelHash, metrics: ["accuracy": 0.5])
        #expect(message.starts(with: [0, 0, 0, 21] + Array("feddata/evaluation/v1".utf8)))
        // A stand-in "signature" that is the message's first byte count: the closure decides.
        let e = LedgerEvaluation(nodeID: "n", round: 1, modelSHA256: Self.modelHash, metrics: ["accuracy": 0.5], signature: [UInt8(message.count)], signerKeyFingerprint: [9])
        #expect(e.isSignatureValid { sig, msg, fp in sig == [UInt8(msg.count)] && fp == [9] })
        var changed = e
        changed.metrics["accuracy"] = 0.6
        #expect(try changed.signedMessage != message)
        #expect(!changed.isSignatureValid { _, msg, _ in msg == message })
    }
}
