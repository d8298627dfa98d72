import FedFusion
import FedTensor
import Synchronization
import Testing
@testable import FedRound

@Suite struct FederationRunnerTests {
    /// Deltas [1,2], [3,4], [5,6] with 1, 1, 2 samples: the weighted mean is
    /// ((1+3+10)/4, (2+4+12)/4) = (3.5, 4.5), added to the global (10, 20).
    static let threeNodes: [any NodeChannel] = [
        FakeNodes.fixed("a", delta: [1, 2], samples: 1, loss: 0.5),
        FakeNodes.fixed("b", delta: [3, 4], samples: 1, loss: 1.0),
        FakeNodes.fixed("c", delta: [5, 6], samples: 2, loss: 2.0),
    ]

    @Test func threeNodeRoundByHand() async throws {
        var runner = try FederationRunner(channels: Self.threeNodes, initialParameters: [10, 20], strategy: TestMeanStrategy(),
                                          policy: testPolicy(perRound: 3))
        let m = try await runner.runRound()
        #expect(runner.global == [13.5, 24.5])
        #expect(runner.version == 1 && m.round == 1 && m.version == 1)
        #expect(m.participants == ["a", "b", "c"] && m.selected == 3)
        #expect(m.rejected.isEmpty && m.failures.isEmpty)
        #expect(m.samples == 4)
        #expect(m.trainLoss == (0.5 + 1.0 + 2 * 2.0) / 4)  // sample-weighted
        #expect(m.bytesDown == 3 * 2 * 4 && m.bytesUp == 3 * 2 * 4)
        #expect(m.resultRejected == nil)
    }

    @Test func threeNodeRoundWithRealFedAvg() async throws {
        var runner = try FederationRunner(channels: Self.threeNodes, initialParameters: [10, 20], strategy: try FedAvg(),
                                          policy: testPolicy(perRound: 3))
        _ = try await runner.runRound()
        #expect(runner.global == [13.5, 24.5])
    }

    /// A bad reply from node `c` of each kind: rejected with its reason, passed to the
    /// strategy as a failure, and the global is the mean of `a` and `b` alone.
    @Test(arguments: [
        (RejectedUpdate.Reason.wrongRound, TrainingReply.update(nodeID: "c", round: 7, delta: [5, 6], sampleCount: 2)),
        (.wrongLength, .update(nodeID: "c", round: 1, delta: [5, 6, 7], sampleCount: 2)),
        (.nonFinite, .update(nodeID: "c", round: 1, delta: [5, .nan], sampleCount: 2)),
        (.nonFinite, .update(nodeID: "c", round: 1, delta: [.infinity, 6], sampleCount: 2)),
        (.nonFinite, .update(nodeID: "c", round: 1, delta: [5, -.infinity], sampleCount: 2)),
        (.invalidSampleCount, .update(nodeID: "c", round: 1, delta: [5, 6], sampleCount: 0)),
        (.invalidSampleCount, .update(nodeID: "c", round: 1, delta: [5, 6], sampleCount: -3)),
        (.identityMismatch, .update(nodeID: "z", round: 1, delta: [5, 6], sampleCount: 2)),
    ])
    func badReplyIsRejected(reason: RejectedUpdate.Reason, reply: TrainingReply) async throws {
        let channels: [any NodeChannel] = [
            FakeNodes.fixed("a", delta: [1, 2], samples: 1), FakeNodes.fixed("b", delta: [3, 4], samples: 1),
            FakeNodes.custom("c") { _ in reply },
        ]
        var runner = try FederationRunner(channels: channels, initialParameters: [0, 0], strategy: TestMeanStrategy(),
                                          policy: testPolicy(perRound: 3, quorum: .count(2)))
        let m = try await runner.runRound()
        #expect(m.rejected.count == 1)
        #expect(m.rejected.first?.reason == reason && m.rejected.first?.nodeID == "c")
        #expect(m.failures.map(\.nodeID) == ["c"])
        #expect(m.failures.first?.reason.hasPrefix("rejected: ") == true)
        #expect(runner.strategy.failuresSeen == [m.failures])
        #expect(m.participants == ["a", "b"])
        #expect(runner.global == [2, 3])  // (1+3)/2, (2+4)/2: c never reached the accumulator
        #expect(m.jsonLine.contains("\"rejected\":1"))
    }

    @Test func throwingChannelIsAFailurePassedToTheStrategy() async throws {
        let channels: [any NodeChannel] = [
            FakeNodes.fixed("a", delta: [1, 2], samples: 1), FakeNodes.throwing("b"), FakeNodes.fixed("c", delta: [3, 4], samples: 1),
        ]
        var runner = try FederationRunner(channels: channels, initialParameters: [0, 0], strategy: TestMeanStrategy(),
                                          policy: testPolicy(perRound: 3, quorum: .fraction(0.6)))
        let m = try await runner.runRound()  // quorum met with one failing node: the round completes
        #expect(m.failures == [NodeFailure(nodeID: "b", reason: "the fake node's disk is on fire")])
        #expect(m.rejected.isEmpty)
        #expect(runner.strategy.failuresSeen == [m.failures])
        #expect(runner.global == [2, 3])
    }

    @Test func quorumNotMetLeavesTheGlobalUnchanged() async throws {
        let channels: [any NodeChannel] = [
            FakeNodes.fixed("a", delta: [1, 2], samples: 1), FakeNodes.throwing("b"),
            FakeNodes.custom("c") { t in .update(nodeID: "c", round: t.round, delta: [.nan, 1], sampleCount: 1) },
        ]
        var runner = try FederationRunner(channels: channels, initialParameters: [7, 8], strategy: TestMeanStrategy(),
                                          policy: testPolicy(perRound: 3, quorum: .count(2)))
        let error = try await #require(throws: RoundError.self) { _ = try await runner.runRound() }
        #expect(error.code == .quorumNotMet)
        #expect(error.source == "round 1")
        #expect(error.message.contains("needed 2 usable updates from the 3 selected nodes, got 1"))
        #expect(error.message.contains("b (the fake node's disk is on fire)"))
        #expect(error.message.contains("c (rejected: delta element 0 is nan"))
        #expect(runner.global == [7, 8] && runner.version == 0)
        #expect(runner.strategy.failuresSeen.isEmpty)

        // Told to go on, the engine reports the failed round instead and keeps the global.
        var policy = testPolicy(perRound: 3, quorum: .count(2))
        policy.onFailedRound = .skip
        var skipping = try FederationRunner(channels: channels, initialParameters: [7, 8], strategy: TestMeanStrategy(), policy: policy)
        let m = try await skipping.runRound()
        #expect(m.roundFailed?.contains("needed 2 usable updates") == true)
        #expect(m.failures.map(\.nodeID) == ["b", "c"] && m.rejected.map(\.reason) == [.nonFinite])
        #expect(skipping.global == [7, 8] && skipping.version == 0 && m.version == 0)
        #expect(m.jsonLine.contains("\"round_failed\":\"round 1: quorum not met: needed 2"))
        _ = try await skipping.runRound()
        #expect(skipping.round == 2)
    }

    /// The slow node sleeps an hour unless cancelled: the round ending at all shows it was not
    /// awaited (the time limit turns a hang into a failure; it is no speed target).
    @Test(.timeLimit(.minutes(1))) func nodeTimeoutIsAFailure() async throws {
        let channels: [any NodeChannel] = [FakeNodes.fixed("a", delta: [1], samples: 1), FakeNodes.slow("b", delta: [100])]
        var runner = try FederationRunner(channels: channels, initialParameters: [0], strategy: TestMeanStrategy(),
                                          policy: testPolicy(perRound: 2, quorum: .count(1), timeout: .milliseconds(50)))
        let m = try await runner.runRound()
        #expect(m.failures.map(\.nodeID) == ["b"] && m.failures[0].reason.hasPrefix("timed out"))
        #expect(runner.global == [1])
    }

    /// Dynamic fusion's time window: once it has passed and the quorum has delivered, the round
    /// is fused without the straggler, which becomes a failure.
    @Test(.timeLimit(.minutes(1))) func timeWindowClosesTheRound() async throws {
        let channels: [any NodeChannel] = [
            FakeNodes.fixed("a", delta: [1], samples: 1), FakeNodes.slow("b", delta: [100]), FakeNodes.fixed("c", delta: [3], samples: 1),
        ]
        var strategy = TestMeanStrategy()
        strategy.window = .milliseconds(100)
        var runner = try FederationRunner(channels: channels, initialParameters: [0], strategy: strategy,
                                          policy: testPolicy(perRound: 3, quorum: .count(2)))
        let m = try await runner.runRound()
        #expect(m.participants == ["a", "c"])
        #expect(m.failures == [NodeFailure(nodeID: "b", reason: "did not finish within the round's time window")])
        #expect(runner.global == [2])
    }

    @Test func nonFiniteGlobalIsDiscarded() async throws {
        var strategy = TestMeanStrategy()
        strategy.poison = true
        var runner = try FederationRunner(channels: Self.threeNodes, initialParameters: [10, 20], strategy: strategy,
                                          policy: testPolicy(perRound: 3))
        let m = try await runner.runRound()
        #expect(runner.global == [10, 20] && runner.version == 0 && m.version == 0)
        #expect(m.resultRejected?.contains("is inf") == true)
        #expect(runner.strategy.failuresSeen.isEmpty)  // the strategy's state was rolled back too
    }

    @Test func instructionsAndSelectionReachTheNodes() async throws {
        let seen = TaskRecorder()
        let channels: [any NodeChannel] = (0..<6).map { i in
            FakeNodes.custom("n\(i)") { task in
                seen.record(task)
                return .update(nodeID: "n\(i)", round: task.round, delta: [1], sampleCount: 1)
            }
        }
        var strategy = TestMeanStrategy()
        strategy.instructions = ["proximal_mu": 0.01]
        var runner = try FederationRunner(channels: channels, initialParameters: [0], strategy: strategy,
                                          policy: testPolicy(perRound: 2, seed: 9))
        let m = try await runner.runRound()
        #expect(m.participants == runner.selection(forRound: 1))
        #expect(m.selected == 2)
        let tasks = seen.tasks
        #expect(tasks.count == 2)
        #expect(tasks.allSatisfy { $0.configuration.instructions == ["proximal_mu": 0.01] && $0.round == 1 && $0.version == 0 })
    }

    @Test func invalidConfigurationsThrow() throws {
        #expect(throws: RoundError.self) {
            _ = try FederationRunner(channels: [], initialParameters: [0], strategy: TestMeanStrategy(), policy: testPolicy(perRound: 1))
        }
        #expect(throws: RoundError.self) {
            _ = try FederationRunner(channels: [FakeNodes.throwing("a"), FakeNodes.throwing("a")], initialParameters: [0],
                                     strategy: TestMeanStrategy(), policy: testPolicy(perRound: 1))
        }
        #expect(throws: RoundError.self) {
            _ = try FederationRunner(channels: [FakeNodes.throwing("a")], initialParameters: [.nan],
                                     strategy: TestMeanStrategy(), policy: testPolicy(perRound: 1))
        }
        #expect(throws: RoundError.self) {
            _ = try FederationRunner(channels: [FakeNodes.throwing("a")], initialParameters: [0],
                                     strategy: TestMeanStrategy(), policy: testPolicy(perRound: 1, quorum: .fraction(1.5)))
        }
    }
}

/// Collects the tasks nodes receive (from concurrent child tasks, hence the lock).
final class TaskRecorder: Sendable {
    private let state = Mutex<[TrainingTask]>([])
    func record(_ task: TrainingTask) { state.withLock { $0.append(task) } }
    var tasks: [TrainingTask] { state.withLock { $0 } }
}

