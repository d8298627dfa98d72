import FedModels
import Foundation
import Testing

@testable import FedStore

/// A run survives its coordinator: re-opening the file (after a clean close, or from a copy of
/// the files taken while the store was open, which is what `kill -9` leaves) resumes from the
/// last committed round with exactly the state an uninterrupted run had.
@Suite struct CrashSafetyTests {
    /// One deterministic toy round, standing in for training and fusion with server momentum:
    /// g = 0.125·p + round, m ← 0.5·m + g, p ← p − 0.25·m (elementwise, in Float).
    static func step(_ parameters: ModelParameters, _ state: [String: [Float]], round: Int) -> (ModelParameters, [String: [Float]]) {
        var p = parameters.flattened()
        var m = state["momentum"] ?? [Float](repeating: 0, count: p.count)
        for i in p.indices {
            let g = 0.125 * p[i] + Float(round)
            m[i] = 0.5 * m[i] + g
            p[i] -= 0.25 * m[i]
        }
        return (try! ModelParameters(flat: p, specs: parameters.specs), ["momentum": m])
    }

    /// The model after `rounds` rounds of an uninterrupted run from `Sample.parameters(0.1)`.
    static func uninterrupted(rounds: Int) -> ModelParameters {
        var (p, s) = (Sample.parameters(0.1), [String: [Float]]())
        for round in 1...rounds { (p, s) = step(p, s, round: round) }
        return p
    }

    /// Runs `from...to` rounds from the store's resume point, committing each.
    static func continueRun(_ store: any CoordinatorStore, through last: Int) async throws {
        let resume = try #require(try await store.latestCheckpoint(runID: "r1"))
        var (p, s) = (resume.parameters, resume.strategyState)
        guard resume.round < last else { return }
        for round in (resume.round + 1)...last {
            (p, s) = step(p, s, round: round)
            try await store.commitRound(
                runID: "r1", round: round, version: round, parameters: p, strategyState: s, metricsJSON: "{}",
                participants: ["node-a"], at: Sample.time(Double(round)))
        }
    }

    /// Copies the database and its WAL as they are on disk now (the `-shm` index is rebuilt on open).
    static func copyFiles(of path: String, to copy: String) throws {
        for suffix in ["", "-wal"] where FileManager.default.fileExists(atPath: path + suffix) {
            try FileManager.default.copyItem(atPath: path + suffix, toPath: copy + suffix)
        }
    }

    @Test func reopeningAfterCloseResumesAtTheLastRound() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("state.sqlite").path
            let store = try SQLiteCoordinatorStore(path: path)
            try await store.createRun(Sample.run())
            for round in 1...3 { try await store.commitSample(round) }
            let rounds = try await store.rounds(runID: "r1")
            try store.close()

            let reopened = try SQLiteCoordinatorStore(path: path)
            defer { try? reopened.close() }
            let resume = try #require(try await reopened.latestCheckpoint(runID: "r1"))
            #expect(resume.round == 3 && resume.version == 3)
            #expect(resume.parameters == Sample.parameters(3))
            #expect(resume.strategyState == Sample.strategyState(3))
            #expect(try await reopened.rounds(runID: "r1") == rounds)
            #expect(try await reopened.latestRun()?.lastCompletedRound == 3)
            let closed = await storeError { _ = try await store.latestRun() }
            #expect(closed?.code == .database && closed?.source == path)
        }
    }

    /// The coordinator dies after committing `crashAfter` rounds (0: only the initial model); a new
    /// one opens the files as they were and finishes the 5 rounds with the uninterrupted model.
    @Test(arguments: 0...4)
    func resumeFromCrashCopyMatchesAnUninterruptedRun(crashAfter: Int) async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("state.sqlite").path
            let crashed = directory.appendingPathComponent("crashed.sqlite").path
            let store = try SQLiteCoordinatorStore(path: path)
            defer { try? store.close() }
            try await store.createRun(Sample.run())
            try await store.commitInitial(runID: "r1", parameters: Sample.parameters(0.1), strategyState: [:], at: Sample.t0)
            try await Self.continueRun(store, through: crashAfter)
            try Self.copyFiles(of: path, to: crashed)  // the store is still open: nothing was closed or flushed

            let resumed = try SQLiteCoordinatorStore(path: crashed)
            defer { try? resumed.close() }
            #expect(try await resumed.latestCheckpoint(runID: "r1")?.round == crashAfter)
            try await Self.continueRun(resumed, through: 5)
            let final = try #require(try await resumed.latestCheckpoint(runID: "r1"))
            #expect(final.round == 5)
            #expect(final.parameters == Self.uninterrupted(rounds: 5))
            #expect(final.checkpointSHA256 == EncodedBlob(bytes: SafeTensors.encode(Self.uninterrupted(rounds: 5))).sha256)
            #expect(try await resumed.rounds(runID: "r1").map(\.round) == Array(1...5))
        }
    }

    /// The same resume on the in-memory store (one object standing in for the restarted process).
    @Test func inMemoryResumeMatchesAnUninterruptedRun() async throws {
        let store = InMemoryCoordinatorStore()
        try await store.createRun(Sample.run())
        try await store.commitInitial(runID: "r1", parameters: Sample.parameters(0.1), strategyState: [:], at: Sample.t0)
        try await Self.continueRun(store, through: 2)
        try await Self.continueRun(store, through: 5)
        #expect(try await store.latestCheckpoint(runID: "r1")?.parameters == Self.uninterrupted(rounds: 5))
    }
}
