import FedFusion
import Testing
@testable import FedRound

/// A run stopped after round k and resumed from (global, version, server state) continues
/// exactly as if it had never stopped: what `feddata coordinator --resume` relies on.
@Suite struct ResumeTests {
    /// Nodes whose deltas depend on the round, so each round moves the model differently.
    static let nodes: [any NodeChannel] = ["a", "b", "c"].enumerated().map { i, id in
        FakeNodes.custom(id) { task in
            let r = Float(task.round)
            return .update(nodeID: id, round: task.round, delta: [r * Float(i + 1), -r, 0.5 * Float(i)], sampleCount: i + 1,
                           metrics: ["train_seconds": Double(i) + 0.25])
        }
    }

    func runAll(_ strategy: AnyFusionStrategy, rounds: Int) async throws -> [Float] {
        var runner = try FederationRunner(channels: Self.nodes, initialParameters: [1, 2, 3], strategy: strategy, policy: testPolicy(perRound: 2))
        for _ in 0..<rounds { _ = try await runner.runRound() }
        return runner.global
    }

    @Test(arguments: ["fedavg", "fedavgm", "fedadam", "fedyogi", "fedadagrad", "median"])
    func resumedRunEqualsUninterrupted(name: String) async throws {
        let strategy = try StrategyCatalog.make(name: name, options: [:])
        let expected = try await runAll(strategy, rounds: 5)

        var first = try FederationRunner(channels: Self.nodes, initialParameters: [1, 2, 3], strategy: strategy, policy: testPolicy(perRound: 2))
        for _ in 0..<2 { _ = try await first.runRound() }
        let saved = (round: first.round, version: first.version, global: first.global, state: first.strategy.serverState)
        if name != "fedavg" && name != "median" { #expect(!saved.state.isEmpty) }

        var second = try FederationRunner(channels: Self.nodes, initialParameters: [1, 2, 3], strategy: strategy, policy: testPolicy(perRound: 2))
        try second.resume(round: saved.round, version: saved.version, global: saved.global, serverState: saved.state)
        var last: RoundMetrics?
        for _ in 0..<3 { last = try await second.runRound() }
        #expect(second.global == expected)
        #expect(last?.round == 5)
    }

    @Test func slowestNodeSecondsIsTheLargestReported() async throws {
        var runner = try FederationRunner(channels: Self.nodes, initialParameters: [1, 2, 3], strategy: try FedAvg(), policy: testPolicy(perRound: 3))
        let m = try await runner.runRound()
        #expect(m.slowestNodeSeconds == 2.25)
        #expect(m.jsonLine.contains("\"slowest_node_seconds\":2.25"))
    }

    @Test func badCheckpointsAreRefused() throws {
        var runner = try FederationRunner(channels: Self.nodes, initialParameters: [1, 2, 3], strategy: AnyFusionStrategy(try FedAvgM()),
                                          policy: testPolicy(perRound: 2))
        #expect(throws: RoundError.self) { try runner.resume(round: 2, version: 2, global: [1, 2], serverState: [:]) }
        #expect(throws: RoundError.self) { try runner.resume(round: 2, version: 2, global: [1, .nan, 3], serverState: [:]) }
        #expect(throws: RoundError.self) { try runner.resume(round: 2, version: 2, global: [1, 2, 3], serverState: ["velocity": [1]]) }
        #expect(throws: RoundError.self) { try runner.resume(round: 2, version: 2, global: [1, 2, 3], serverState: ["moment": [1, 2, 3]]) }
        #expect(runner.round == 0 && runner.global == [1, 2, 3])
        var fedavg = try FederationRunner(channels: Self.nodes, initialParameters: [1, 2, 3], strategy: try FedAvg(), policy: testPolicy(perRound: 2))
        #expect(throws: RoundError.self) { try fedavg.resume(round: 1, version: 1, global: [1, 2, 3], serverState: ["velocity": [0, 0, 0]]) }
    }
}
