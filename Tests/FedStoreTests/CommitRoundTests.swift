import FedModels
import Foundation
import Testing

@testable import FedStore

/// `commitRound`: dedupe, every refusal (each leaves the store unchanged), damaged blobs and
/// faults inside the transaction, on both stores.
@Suite struct CommitRoundTests {
    /// Everything observable about run r1 and the store, to compare before and after a refusal.
    struct Snapshot: Equatable {
        var counts: StoreCounts
        var runs: [RunRecord]
        var rounds: [RoundRecord]
        var latest: ResumePoint?

        init(_ store: any CoordinatorStore) async throws {
            counts = try await store.counts()
            runs = try await store.runs()
            rounds = try await store.rounds(runID: "r1")
            latest = try await store.latestCheckpoint(runID: "r1")
        }
    }

    @Test(arguments: Backend.allCases)
    func equalParametersAreStoredOnce(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.createRun(Sample.run())
            let one = try await store.commitSample(1, parameters: Sample.parameters(7), strategy: false)
            let two = try await store.commitSample(2, parameters: Sample.parameters(7), strategy: false)
            #expect(one.checkpointSHA256 == two.checkpointSHA256)
            #expect(try await store.counts() == StoreCounts(runs: 1, nodes: 0, rounds: 2, checkpoints: 1))
            // A second run with the same initial model shares the blob too.
            try await store.createRun(Sample.run("r2"))
            try await store.commitInitial(runID: "r2", parameters: Sample.parameters(7), strategyState: [:], at: Sample.t0)
            #expect(try await store.counts().checkpoints == 1)
            // Equal strategy states are deduplicated the same way: model 1 blob + state 1 blob.
            try await store.commitRound(
                runID: "r2", round: 1, version: 1, parameters: Sample.parameters(7), strategyState: Sample.strategyState(3),
                metricsJSON: "{}", participants: [], at: Sample.t0)
            try await store.commitRound(
                runID: "r2", round: 2, version: 2, parameters: Sample.parameters(7), strategyState: Sample.strategyState(3),
                metricsJSON: "{}", participants: [], at: Sample.t0)
            #expect(try await store.counts().checkpoints == 2)
        }
    }

    /// A refused commit: its name, what it changes from a valid round-3 commit of run r1, and
    /// the code expected. Before each, run r1 (5 rounds) has completed rounds 1 and 2.
    struct Refusal: CustomTestStringConvertible, Sendable {
        var name: String
        var runID = "r1"
        var round = 3
        var version = 3
        var parameters = Sample.parameters(3)
        var strategyState = Sample.strategyState(3)
        var metricsJSON = Sample.metrics(3)
        var prepare: @Sendable (any CoordinatorStore) async throws -> Void = { _ in }
        var code: StoreError.Code
        var messageContains: String
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = {
        var nan = Sample.parameters(3)
        nan.tensors[1].scalars[1] = .nan  // fc.bias element 1 = parameter index 6 + 1
        var infinite = Sample.strategyState(3)
        infinite["momentum"]![4] = -.infinity
        return [
            Refusal(name: "skips a round", round: 4, code: .outOfOrder, messageContains: "expected round 3"),
            Refusal(name: "repeats a round", round: 2, code: .outOfOrder, messageContains: "expected round 3"),
            Refusal(name: "round 0", round: 0, code: .outOfOrder, messageContains: "expected round 3"),
            Refusal(name: "unknown run", runID: "r9", code: .notFound, messageContains: "no run with id 'r9'"),
            Refusal(
                name: "finished run", prepare: { try await $0.setRunStatus(id: "r1", status: .finished, at: Sample.t0) },
                code: .runNotRunning, messageContains: "the run is finished; expected running"),
            Refusal(
                name: "failed run", prepare: { try await $0.setRunStatus(id: "r1", status: .failed, at: Sample.t0) },
                code: .runNotRunning, messageContains: "the run is failed; expected running"),
            Refusal(
                name: "too few parameters",
                parameters: try! ModelParameters(flat: [1, 2, 3], specs: [ParameterSpec(name: "w", shape: [3])]),
                code: .parameterMismatch, messageContains: "expected 9 parameters"),
            Refusal(name: "NaN parameter", parameters: nan, code: .nonFinite, messageContains: "'fc.bias' element 1 (parameter index 7)"),
            Refusal(name: "infinite strategy state", strategyState: infinite, code: .nonFinite, messageContains: "'momentum' element 4"),
            Refusal(name: "metrics not an object", metricsJSON: "[1, 2]", code: .invalidInput, messageContains: "not one JSON object"),
            Refusal(name: "metrics not JSON", metricsJSON: "loss=1", code: .invalidInput, messageContains: "not one JSON object"),
            Refusal(name: "negative version", version: -1, code: .invalidInput, messageContains: "version is -1"),
            Refusal(name: "reserved key", strategyState: ["__metadata__": [1]], code: .invalidInput, messageContains: "__metadata__"),
        ]
    }()

    @Test(arguments: Backend.allCases, refusals)
    func refusedCommitChangesNothing(_ backend: Backend, _ refusal: Refusal) async throws {
        try await withStore(backend) { store in
            try await store.createRun(Sample.run())
            try await store.commitSample(1)
            try await store.commitSample(2)
            try await refusal.prepare(store)
            let before = try await Snapshot(store)
            let error = await storeError {
                try await store.commitRound(
                    runID: refusal.runID, round: refusal.round, version: refusal.version, parameters: refusal.parameters,
                    strategyState: refusal.strategyState, metricsJSON: refusal.metricsJSON, participants: ["node-a"],
                    at: Sample.time(3))
            }
            #expect(error?.code == refusal.code, "\(error.map { "\($0)" } ?? "no error")")
            #expect(error?.source == "run \(refusal.runID) round \(refusal.round)")
            #expect(error?.message.contains(refusal.messageContains) == true, "\(error?.message ?? "")")
            #expect(try await Snapshot(store) == before)
        }
    }

    @Test(arguments: Backend.allCases)
    func roundPastTheLastIsRefused(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.createRun(Sample.run(totalRounds: 1))
            try await store.commitSample(1)
            let error = await storeError { try await store.commitSample(2) }
            #expect(error?.code == .outOfOrder)
            #expect(error?.message.contains("only 1 rounds") == true)
            #expect(try await store.counts().rounds == 1)
        }
    }

    @Test(arguments: Backend.allCases)
    func damagedCheckpointIsDetectedOnRead(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.createRun(Sample.run())
            let round = try await store.commitSample(1)
            let original = try #require(try await store.checkpoint(sha256: round.checkpointSHA256)).bytes
            var damaged = original
            damaged[damaged.count - 1] ^= 0x01  // one bit of the last scalar
            try await store.tamper(sha256: round.checkpointSHA256, bytes: damaged)

            let onResume = await storeError { _ = try await store.latestCheckpoint(runID: "r1") }
            #expect(onResume?.code == .corruptCheckpoint)
            #expect(onResume?.source == "run r1 round 1")
            #expect(onResume?.message.contains("hash to") == true)
            let onExport = await storeError { _ = try await store.checkpoint(sha256: round.checkpointSHA256) }
            #expect(onExport?.code == .corruptCheckpoint)

            // Committing the same content again repairs the blob.
            try await store.commitSample(2, parameters: Sample.parameters(1))
            #expect(try await store.checkpoint(sha256: round.checkpointSHA256)?.bytes == original)
            #expect(try await store.latestCheckpoint(runID: "r1")?.parameters == Sample.parameters(1))
        }
    }

    @Test(arguments: Backend.allCases)
    func damagedStrategyStateIsDetectedOnRead(_ backend: Backend) async throws {
        try await withStore(backend) { store in
            try await store.createRun(Sample.run())
            let round = try await store.commitSample(1)
            let sha = try #require(round.strategyStateSHA256)
            try await store.tamper(sha256: sha, bytes: Array("not safetensors".utf8))
            let error = await storeError { _ = try await store.latestCheckpoint(runID: "r1") }
            #expect(error?.code == .corruptCheckpoint)
        }
    }

    static let stages: [CommitStage] = [.afterCheckpointBlob, .afterStrategyBlob, .afterRoundRow, .afterRunUpdate]

    /// A crash inside the transaction (the fault hook throws after some of the writes) leaves
    /// nothing of round 4 behind; the store then takes round 4 normally.
    @Test(arguments: Backend.allCases, stages)
    func faultInsideTheTransactionLeavesNothing(_ backend: Backend, _ stage: CommitStage) async throws {
        try await withStore(backend) { store in
            try await store.createRun(Sample.run())
            for round in 1...3 { try await store.commitSample(round) }
            let before = try await Snapshot(store)
            let crash = StoreError(.database, source: "test", "injected crash")
            let error = await storeError {
                _ = try await store.commitRound(
                    runID: "r1", round: 4, version: 4, parameters: Sample.parameters(4), strategyState: Sample.strategyState(4),
                    metricsJSON: Sample.metrics(4), participants: ["node-a"], at: Sample.time(4),
                    fault: { if $0 == stage { throw crash } })
            }
            #expect(error?.message == "injected crash")
            let after = try await Snapshot(store)
            #expect(after == before)
            #expect(after.latest?.round == 3 && after.latest?.parameters == Sample.parameters(3))
            #expect(try await store.checkpoint(sha256: EncodedBlob(bytes: SafeTensors.encode(Sample.parameters(4))).sha256) == nil)

            try await store.commitSample(4)
            #expect(try await store.latestCheckpoint(runID: "r1")?.parameters == Sample.parameters(4))
        }
    }
}
