import FedModels
import Foundation
import Testing

@testable import FedStore

/// The ledger's storage: entries and checkpoints appended together, in order, and atomically
/// with the round they record; every refusal leaves the ledger unchanged. Both stores.
@Suite struct LedgerStorageTests {
    static func entries(_ range: Range<Int>, round: Int = 1) -> [LedgerRecord] {
        range.map { LedgerRecord(index: $0, round: round, kind: "round", bytes: Array("entry \($0)".utf8)) }
    }

    static func append(_ range: Range<Int>, note: String? = nil) -> LedgerAppend {
        LedgerAppend(entries: entries(range), checkpoint: .init(treeSize: range.upperBound, signedNote: note ?? "note \(range.upperBound)\n", createdAt: Sample.t0))
    }

    @Test func leafHashIsRFC9162() {
        // SHA-256(0x00) — the leaf hash of the empty entry, from the RFC 6962 reference tree.
        #expect(LedgerRecord.leafHash(of: []).map { String(format: "%02x", $0) }.joined()
                == "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d")
    }

    @Test(arguments: Backend.allCases)
    func appendsReadBackInOrder(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.createRun(Sample.run())
            try await store.appendLedger(runID: "r1", Self.append(0..<3))
            try await store.appendLedger(runID: "r1", Self.append(3..<5))
            #expect(try await store.ledgerSize(runID: "r1") == 5)
            #expect(try await store.ledgerEntries(runID: "r1", start: 0, count: 10) == Self.entries(0..<3) + Self.entries(3..<5))
            #expect(try await store.ledgerEntries(runID: "r1", start: 3, count: 1).map(\.index) == [3])
            #expect(try await store.ledgerCheckpoints(runID: "r1").map(\.treeSize) == [3, 5])
        }
    }

    @Test(arguments: Backend.allCases)
    func refusalsLeaveTheLedgerUnchanged(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.createRun(Sample.run())
            try await store.appendLedger(runID: "r1", Self.append(0..<2))
            // A gap, a repeated index, a forged leaf hash, a checkpoint of the wrong size, a shrinking checkpoint.
            var forged = Self.append(2..<3)
            forged.entries[0].leafHash = LedgerRecord.leafHash(of: Array("other".utf8))
            var wrongSize = Self.append(2..<3)
            wrongSize.checkpoint.treeSize = 7
            let cases: [(LedgerAppend, StoreError.Code, String)] = [
                (Self.append(3..<4), .outOfOrder, "expected 2"),
                (Self.append(1..<3), .outOfOrder, "expected 2"),
                (forged, .invalidInput, "leaf hash"),
                (wrongSize, .invalidInput, "covers 7 entries"),
                (LedgerAppend(entries: [], checkpoint: .init(treeSize: 2, signedNote: "n\n", createdAt: Sample.t0)), .outOfOrder, "must grow"),
            ]
            for (append, code, text) in cases {
                let error = await storeError { try await store.appendLedger(runID: "r1", append) }
                #expect(error?.code == code)
                #expect(error?.description.contains(text) == true, "\(String(describing: error))")
            }
            #expect(try await store.ledgerSize(runID: "r1") == 2)
            #expect(try await store.ledgerCheckpoints(runID: "r1").count == 1)
            let unknown = await storeError { try await store.appendLedger(runID: "nope", Self.append(0..<1)) }
            #expect(unknown?.code == .notFound)
        }
    }

    @Test(arguments: Backend.allCases)
    func aRoundAndItsLedgerEntriesCommitTogether(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.createRun(Sample.run())
            try await store.commitRound(runID: "r1", round: 1, version: 1, parameters: Sample.parameters(1), strategyState: [:],
                                        metricsJSON: "{}", participants: [], at: Sample.t0, ledger: Self.append(0..<2))
            #expect(try await store.ledgerSize(runID: "r1") == 2)
            // A fault after the round row rolls back the round and its entries.
            let failed = await storeError {
                try await store.commitRound(runID: "r1", round: 2, version: 2, parameters: Sample.parameters(2), strategyState: [:],
                                            metricsJSON: "{}", participants: [], at: Sample.t0, ledger: Self.append(2..<3)) { stage in
                    if stage == .afterRunUpdate { throw StoreError(.database, source: "test", "crash before COMMIT") }
                }
            }
            #expect(failed != nil)
            #expect(try await store.ledgerSize(runID: "r1") == 2)
            #expect(try await store.rounds(runID: "r1").count == 1)
            // A bad ledger append refuses the whole round.
            let refused = await storeError {
                try await store.commitRound(runID: "r1", round: 2, version: 2, parameters: Sample.parameters(2), strategyState: [:],
                                            metricsJSON: "{}", participants: [], at: Sample.t0, ledger: Self.append(5..<6))
            }
            #expect(refused?.code == .outOfOrder)
            #expect(try await store.rounds(runID: "r1").count == 1)
        }
    }

    @Test(arguments: Backend.allCases)
    func theLedgerKeyIsSetOnce(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.createRun(Sample.run())
            #expect(try await store.ledgerKey(runID: "r1") == nil)
            let key = LedgerKeyRecord(name: "feddata/r1", seed: Array(repeating: 7, count: 32))
            try await store.setLedgerKey(runID: "r1", key)
            try await store.setLedgerKey(runID: "r1", key)  // the same key again: a no-op
            #expect(try await store.ledgerKey(runID: "r1") == key)
            let other = await storeError { try await store.setLedgerKey(runID: "r1", LedgerKeyRecord(name: "x", seed: Array(repeating: 1, count: 32))) }
            #expect(other?.code == .conflict)
            let short = await storeError { try await store.setLedgerKey(runID: "r1", LedgerKeyRecord(name: "x", seed: [1, 2])) }
            #expect(short?.code == .invalidInput)
        }
    }
}
