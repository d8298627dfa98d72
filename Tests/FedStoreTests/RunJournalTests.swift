import FedFusion
import FedLedger
import FedModels
import FedRound
import Foundation
import Testing

@testable import FedStore

/// The run journal: rounds and their ledger entries commit together, a reopened journal keeps
/// signing the same tree, and tampering with the stored ledger is detected and named.
@Suite struct RunJournalTests {
    static func metrics(_ round: Int) -> RoundMetrics {
        var m = RoundMetrics(round: round, version: round, selected: 2, participants: ["a", "b"], rejected: [],
                             failures: [NodeFailure(nodeID: "c", reason: "timed out")], samples: 30, trainLoss: 0.5,
                             testAccuracy: 0.8, bytesDown: 10, bytesUp: 10, seconds: 0.1)
        m.commitments = ["a": String(repeating: "a", count: 64), "b": String(repeating: "b", count: 64)]
        m.participantSamples = ["a": 10, "b": 20]
        m.epsilon = 0.1 * Double(round)
        return m
    }

    /// A SQLite state file with run r1, its configuration, a fingerprint and three rounds.
    static func recorded(_ body: (SQLiteCoordinatorStore) async throws -> Void) async throws {
        try await withTemporaryDirectory { dir in
            let store = try SQLiteCoordinatorStore(path: dir.appendingPathComponent("run.db").path)
            defer { try? store.close() }
            try await store.createRun(Sample.run())
            let journal = try await RunJournal(store: store, runID: "r1")
            try await journal.record([.runConfiguration(LedgerRunConfiguration(runID: "r1", configurationJSON: "{}", strategy: "fedavg"))])
            try await journal.recordFingerprint(node: "a", root: Array(repeating: 1, count: 32), records: 5)
            for r in 1...2 {
                try await journal.commitRound(Self.metrics(r), parameters: Sample.parameters(Float(r)), strategyState: [:], strategy: "fedavg")
            }
            // A reopened journal (a resumed coordinator) continues the same tree and key.
            let reopened = try await RunJournal(store: store, runID: "r1")
            #expect(await reopened.size == 4)
            try await reopened.commitRound(Self.metrics(3), parameters: Sample.parameters(3), strategyState: [:], strategy: "fedavg")
            try await body(store)
        }
    }

    @Test func aRecordedRunVerifies() async throws {
        try await Self.recorded { store in
            let report = try await StoredLedgerVerification.verify(store: store, runID: "r1")
            #expect(report.isOK, "\(report)")
            #expect(report.entryCount == 5 && report.checkpointCount == 5)
            #expect(try await store.rounds(runID: "r1").count == 3)
            // The round entry holds the commitments, the failure and ε.
            let entry = try #require(try await store.ledgerEntries(runID: "r1", start: 2, count: 1).first)
            guard case .round(let r) = try LedgerEntry(encoded: entry.bytes) else { Issue.record("entry 2 is not a round"); return }
            #expect(r.participants.map(\.updateSHA256) == [String(repeating: "a", count: 64), String(repeating: "b", count: 64)])
            #expect(r.failures.map(\.nodeID) == ["c"] && r.epsilonSpent == 0.1)
        }
    }

    @Test(arguments: [
        ("UPDATE ledger_entries SET bytes = x'00' || bytes WHERE idx = 2", "2"),
        ("DELETE FROM ledger_entries WHERE idx = 3", "3"),
        ("UPDATE ledger_entries SET idx = CASE idx WHEN 2 THEN 3 ELSE 2 END WHERE idx IN (2, 3)", "2"),
        ("UPDATE ledger_entries SET leafHash = (SELECT leafHash FROM ledger_entries WHERE idx = 1), bytes = (SELECT bytes FROM ledger_entries WHERE idx = 1) WHERE idx = 4", "4"),
    ])
    func tamperingIsDetectedAndNamed(_ sql: String, _ entry: String) async throws {
        try await Self.recorded { store in
            if sql.contains("CASE idx") {  // swap two entries in two steps (the primary key forbids a direct swap)
                try await store.executeForTesting("UPDATE ledger_entries SET idx = 100 WHERE idx = 2")
                try await store.executeForTesting("UPDATE ledger_entries SET idx = 2 WHERE idx = 3")
                try await store.executeForTesting("UPDATE ledger_entries SET idx = 3 WHERE idx = 100")
            } else {
                try await store.executeForTesting(sql)
            }
            let report = try await StoredLedgerVerification.verify(store: store, runID: "r1")
            #expect(!report.isOK)
            #expect(report.failures.contains { $0.description.contains(entry) }, "\(report)")
        }
    }

    @Test func aReplacedKeyIsDetectedAgainstThePublishedOne() async throws {
        try await Self.recorded { store in
            let published = try #require(try await StoredLedgerVerification.verifierKey(store: store, runID: "r1"))
            try await store.executeForTesting("UPDATE ledger_keys SET seed = zeroblob(32)")
            let report = try await StoredLedgerVerification.verify(store: store, runID: "r1", verifierKey: published)
            #expect(report.isOK)  // the checkpoints were signed with the published key
            let other = try #require(try await StoredLedgerVerification.verifierKey(store: store, runID: "r1"))
            #expect(other != published)
            #expect(!(try await StoredLedgerVerification.verify(store: store, runID: "r1", verifierKey: other)).isOK)
        }
    }
}
