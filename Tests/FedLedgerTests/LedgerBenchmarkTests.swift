import FedLedger
import Testing

@Suite struct LedgerBenchmarkTests {
    /// A small run (debug builds are slow); `feddata bench ledger` runs the 1M-entry one.
    @Test func smallRunReportsSaneNumbers() throws {
        let r = try LedgerBenchmark.run(entryCount: 2_000, proofCount: 200, participantsPerRound: 10)
        #expect(r.name == "ledger-2000")
        #expect(r.entryCount == 2_000)
        #expect(r.appendsPerSecond > 0 && r.proofsPerSecond > 0 && r.verificationsPerSecond > 0)
        #expect(r.bytesPerRound == r.roundEntryBytes + r.checkpointBytes)
        #expect(r.roundEntryBytes == (try LedgerEntry.round(LedgerBenchmark.sampleRound(round: 2_000, participants: 10)).encoded().count))
        // A checkpoint note: origin, size, 44-character root, blank line, a 4+64-byte signature in base64 (92).
        #expect(r.checkpointBytes == "bench.feddata.example/ledger\n2000\n".utf8.count + 45 + 1 + "— bench.feddata.example/ledger ".utf8.count + 92 + 1)
    }
}
