import FedModels
import Foundation
import Testing

@testable import FedStore

/// Round trips of every record, on both stores.
@Suite struct RecordTests {
    @Test(arguments: Backend.allCases)
    func runRoundTrips(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            #expect(try await store.latestRun() == nil)
            let first = Sample.run("r1", seed: UInt64.max)  // stored as Int64 -1
            let second = Sample.run("r2", seed: 1 << 63, createdAt: Sample.time(10))  // Int64.min
            let tie = Sample.run("r3", seed: 0, createdAt: Sample.time(10))  // same time as r2, created later
            for run in [first, second, tie] { try await store.createRun(run) }
            #expect(try await store.run(id: "r1") == first)
            #expect(try await store.run(id: "r2") == second)
            #expect(try await store.run(id: "nope") == nil)
            #expect(try await store.latestRun() == tie)
            #expect(try await store.runs().map(\.id) == ["r1", "r2", "r3"])
            #expect(try await store.counts() == StoreCounts(runs: 3, nodes: 0, rounds: 0, checkpoints: 0))
        }
    }

    @Test(arguments: Backend.allCases)
    func duplicateRunIsRefused(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.createRun(Sample.run())
            let error = await storeError { try await store.createRun(Sample.run(seed: 7)) }
            #expect(error?.code == .duplicate)
            #expect(error?.source == "run r1")
            #expect(try await store.run(id: "r1")?.seed == 42)
        }
    }

    static let badRuns: [(String, RunRecord)] = {
        let emptyID = Sample.run("")
        var noParameters = Sample.run(), noRounds = Sample.run(), finished = Sample.run(), started = Sample.run()
        noParameters.parameterCount = 0
        noRounds.totalRounds = 0
        finished.status = .finished
        started.lastCompletedRound = 2
        return [("empty id", emptyID), ("no parameters", noParameters), ("no rounds", noRounds),
                ("finished", finished), ("already started", started)]
    }()

    @Test(arguments: Backend.allCases, badRuns.map(\.0))
    func malformedRunIsRefused(_ backend: Backend, _ name: String) async throws {
        let run = Self.badRuns.first { $0.0 == name }!.1
        try await withStore(backend) { store in
            let error = await storeError { try await store.createRun(run) }
            #expect(error?.code == .invalidInput)
            let counts = try await store.counts()
            #expect(counts.runs == 0)
        }
    }

    @Test(arguments: Backend.allCases)
    func statusChanges(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.createRun(Sample.run())
            let failed = try await store.setRunStatus(id: "r1", status: .failed, at: Sample.time(5))
            #expect(failed.status == .failed && failed.finishedAt == Sample.time(5))
            #expect(try await store.run(id: "r1") == failed)
            let resumed = try await store.setRunStatus(id: "r1", status: .running, at: Sample.time(6))
            #expect(resumed.status == .running && resumed.finishedAt == nil)
            let finished = try await store.setRunStatus(id: "r1", status: .finished, at: Sample.time(7))
            #expect(try await store.run(id: "r1") == finished)
            #expect(finished.finishedAt == Sample.time(7))
            let final = await storeError { try await store.setRunStatus(id: "r1", status: .running, at: Sample.time(8)) }
            #expect(final?.code == .invalidStatusChange)
            #expect(try await store.run(id: "r1") == finished)
            let missing = await storeError { try await store.setRunStatus(id: "r9", status: .failed, at: Sample.time(8)) }
            #expect(missing?.code == .notFound)
        }
    }

    @Test(arguments: Backend.allCases)
    func nodesAreUpserted(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            let b = try await store.recordNode(name: "node-b", fingerprint: "bb01", at: Sample.time(1))
            #expect(b == NodeRecord(name: "node-b", certificateFingerprint: "bb01", firstSeen: Sample.time(1), lastSeen: Sample.time(1), registrations: 1))
            try await store.recordNode(name: "node-a", fingerprint: "aa01", at: Sample.time(2))
            let again = try await store.recordNode(name: "node-b", fingerprint: "bb02", at: Sample.time(3))
            #expect(again == NodeRecord(name: "node-b", certificateFingerprint: "bb02", firstSeen: Sample.time(1), lastSeen: Sample.time(3), registrations: 2))
            let nodes = try await store.nodes()
            #expect(nodes.map(\.name) == ["node-a", "node-b"])
            #expect(nodes[1] == again)
            let empty = await storeError { try await store.recordNode(name: "", fingerprint: "x", at: Sample.t0) }
            #expect(empty?.code == .invalidInput)
        }
    }

    @Test(arguments: Backend.allCases)
    func roundsRoundTrip(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.createRun(Sample.run())
            let one = try await store.commitSample(1)
            let two = try await store.commitSample(2, strategy: false)
            #expect(one == RoundRecord(
                runID: "r1", round: 1, version: 1,
                checkpointSHA256: EncodedBlob(bytes: SafeTensors.encode(Sample.parameters(1))).sha256,
                strategyStateSHA256: StoreRules.encodeStrategyState(Sample.strategyState(1))?.sha256,
                metricsJSON: #"{"loss":1.0,"round":1}"#, participants: ["node-a", "node-b/α"], completedAt: Sample.time(1)))
            #expect(two.strategyStateSHA256 == nil)
            #expect(try await store.rounds(runID: "r1") == [one, two])
            #expect(try await store.run(id: "r1")?.lastCompletedRound == 2)
            let missing = await storeError { _ = try await store.rounds(runID: "r9") }
            #expect(missing?.code == .notFound)
        }
    }

    @Test(arguments: Backend.allCases)
    func checkpointsAreSafetensorsAddressedBySHA256(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.createRun(Sample.run())
            let round = try await store.commitSample(1)
            let checkpoint = try #require(try await store.checkpoint(sha256: round.checkpointSHA256))
            #expect(checkpoint.bytes == SafeTensors.encode(Sample.parameters(1)))
            #expect(checkpoint.sha256 == round.checkpointSHA256 && checkpoint.sha256.count == 64)
            #expect(checkpoint.createdAt == Sample.time(1))
            #expect(try SafeTensors.decode(checkpoint.bytes, source: "export").parameters == Sample.parameters(1))
            #expect(try await store.checkpoint(sha256: round.checkpointSHA256.uppercased()) == checkpoint)
            #expect(try await store.checkpoint(sha256: String(repeating: "0", count: 64)) == nil)
            let bad = await storeError { _ = try await store.checkpoint(sha256: "xyz") }
            #expect(bad?.code == .invalidInput)
        }
    }

    @Test(arguments: Backend.allCases)
    func latestCheckpointFollowsTheRun(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.createRun(Sample.run())
            #expect(try await store.latestCheckpoint(runID: "r1") == nil)
            try await store.commitInitial(runID: "r1", parameters: Sample.parameters(0), strategyState: [:], at: Sample.t0)
            let initial = try #require(try await store.latestCheckpoint(runID: "r1"))
            #expect(initial.round == 0 && initial.version == 0)
            #expect(initial.parameters == Sample.parameters(0) && initial.strategyState.isEmpty)
            try await store.commitSample(1)
            try await store.commitSample(2)
            let latest = try #require(try await store.latestCheckpoint(runID: "r1"))
            #expect(latest.round == 2 && latest.version == 2)
            #expect(latest.parameters == Sample.parameters(2))
            #expect(latest.parameters.names == ["fc.weight", "fc.bias"])
            #expect(latest.strategyState == Sample.strategyState(2))
            let missing = await storeError { _ = try await store.latestCheckpoint(runID: "r9") }
            #expect(missing?.code == .notFound)
        }
    }

    @Test(arguments: Backend.allCases)
    func initialCheckpointIsIdempotentAndComesFirst(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.createRun(Sample.run())
            try await store.commitInitial(runID: "r1", parameters: Sample.parameters(0), strategyState: [:], at: Sample.t0)
            try await store.commitInitial(runID: "r1", parameters: Sample.parameters(0), strategyState: [:], at: Sample.time(1))
            let before = try await store.counts()
            #expect(before.checkpoints == 1)
            let conflict = await storeError {
                try await store.commitInitial(runID: "r1", parameters: Sample.parameters(9), strategyState: [:], at: Sample.t0)
            }
            #expect(conflict?.code == .conflict)
            let tooBig = await storeError {
                try await store.commitInitial(
                    runID: "r1", parameters: try ModelParameters(flat: [1, 2], specs: [ParameterSpec(name: "w", shape: [2])]),
                    strategyState: [:], at: Sample.t0)
            }
            #expect(tooBig?.code == .parameterMismatch)
            try await store.commitSample(1)
            let late = await storeError {
                try await store.commitInitial(runID: "r1", parameters: Sample.parameters(0), strategyState: [:], at: Sample.t0)
            }
            #expect(late?.code == .outOfOrder)
            #expect(try await store.counts().checkpoints == before.checkpoints + 2)  // round 1's model and strategy state
        }
    }
}
