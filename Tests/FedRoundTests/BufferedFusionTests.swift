import FedFusion
import Testing
@testable import FedRound

@Suite struct BufferedFusionTests {
    /// K = 2, 3 nodes training at a time: every 2 accepted updates the version goes up by one,
    /// and each fusion reports its updates' staleness.
    @Test func versionsAdvanceEveryKUpdates() async throws {
        let recorder = TaskRecorder()
        let channels: [any NodeChannel] = (0..<8).map { i in
            FakeNodes.custom("n\(i)") { task in
                recorder.record(task)
                return .update(nodeID: "n\(i)", round: task.round, delta: [1, -1], sampleCount: 1, metrics: ["train_loss": 2])
            }
        }
        var strategy = TestMeanStrategy()
        strategy.bufferSize = 2
        var runner = try FederationRunner(channels: channels, initialParameters: [0, 0], strategy: strategy,
                                          policy: testPolicy(perRound: 8, concurrency: 3))
        var metrics: [RoundMetrics] = []
        try await runner.runBuffered(fusions: 20) { m in
            metrics.append(m)
            return true
        }
        #expect(metrics.count == 20)
        #expect(metrics.map(\.round) == Array(1...20) && metrics.map(\.version) == Array(1...20))
        #expect(metrics.allSatisfy { $0.participants.count == 2 && $0.samples == 2 && $0.trainLoss == 2 })
        #expect(runner.version == 20 && runner.global == [20, -20])  // each fusion adds the mean delta (1, -1)
        #expect(runner.strategy.roundsApplied == Array(1...20))
        let staleness = metrics.compactMap(\.staleness)
        #expect(staleness.count == 20 && staleness.allSatisfy { $0.max >= 0 && $0.max <= 20 })
        // 3 nodes are always out, at most one of them on the newest version: others are stale.
        #expect(staleness.map(\.max).reduce(0, +) > 0)
        // Every task carried the version current when it was sent.
        #expect(recorder.tasks.allSatisfy { $0.round == $0.version && $0.version <= 20 })
    }

    @Test func stopsWhenTheCallbackSaysSo() async throws {
        let channels: [any NodeChannel] = (0..<4).map { FakeNodes.fixed("n\($0)", delta: [1], samples: 1) }
        var strategy = TestMeanStrategy()
        strategy.bufferSize = 1
        var runner = try FederationRunner(channels: channels, initialParameters: [0], strategy: strategy,
                                          policy: testPolicy(perRound: 4, concurrency: 2))
        var count = 0
        try await runner.runBuffered(fusions: 100) { _ in
            count += 1
            return count < 3
        }
        #expect(count == 3 && runner.version == 3)
    }

    @Test func badUpdatesAreRejectedAndFailingNodesCannotStallForever() async throws {
        let channels: [any NodeChannel] = (0..<4).map { i in
            FakeNodes.custom("n\(i)") { t in .update(nodeID: "n\(i)", round: t.round, delta: [.nan], sampleCount: 1) }
        }
        var strategy = TestMeanStrategy()
        strategy.bufferSize = 2
        var runner = try FederationRunner(channels: channels, initialParameters: [0], strategy: strategy,
                                          policy: testPolicy(perRound: 4, concurrency: 2))
        let error = try await #require(throws: RoundError.self) { try await runner.runBuffered(fusions: 3) { _ in true } }
        #expect(error.code == .quorumNotMet)
        #expect(runner.global == [0] && runner.version == 0)
    }

    @Test func realFedBuffRuns() async throws {
        let channels: [any NodeChannel] = (0..<5).map { FakeNodes.fixed("n\($0)", delta: [1, 2], samples: 3) }
        var runner = try FederationRunner(channels: channels, initialParameters: [0, 0], strategy: try FedBuff(bufferSize: 2),
                                          policy: testPolicy(perRound: 5, concurrency: 2))
        var last: RoundMetrics?
        try await runner.runBuffered(fusions: 4) { m in
            last = m
            return true
        }
        #expect(runner.version == 4 && last?.round == 4)
        #expect(runner.global.allSatisfy { $0.isFinite && $0 > 0 })
    }

    @Test func synchronousStrategyIsRefused() async throws {
        var runner = try FederationRunner(channels: [FakeNodes.fixed("a", delta: [1], samples: 1)], initialParameters: [0],
                                          strategy: TestMeanStrategy(), policy: testPolicy(perRound: 1))
        await #expect(throws: RoundError.self) { try await runner.runBuffered(fusions: 1) { _ in true } }
    }
}
