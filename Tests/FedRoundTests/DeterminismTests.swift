import FedFusion
import FedTensor
import Testing
@testable import FedRound

@Suite struct DeterminismTests {
    /// 16 nodes with deltas of very different magnitudes (so a float sum depends on its order),
    /// answering after random delays: every arrival order and concurrency gives the same bits.
    @Test func resultDoesNotDependOnArrivalOrder() async throws {
        var rng = SeededRandom(seed: 42)
        let deltas: [[Float]] = (0..<16).map { i in
            (0..<5).map { _ in (rng.nextFloat() - 0.5) * (i % 3 == 0 ? 1e7 : 1e-3) }
        }
        func run(delaySeed: UInt64, concurrency: Int) async throws -> [Float] {
            var delays = SeededRandom(seed: delaySeed)
            let channels: [any NodeChannel] = deltas.enumerated().map { i, d in
                FakeNodes.fixed("n\(i)", delta: d, samples: 1 + i % 4, delay: .microseconds(delays.nextInt(below: 3000)))
            }
            var runner = try FederationRunner(channels: channels, initialParameters: [Float](repeating: 1, count: 5),
                                              strategy: TestMeanStrategy(), policy: testPolicy(perRound: 12, concurrency: concurrency))
            for _ in 0..<2 { _ = try await runner.runRound() }
            return runner.global
        }
        let reference = try await run(delaySeed: 0, concurrency: 1)
        for (seed, width) in [(1, 16), (2, 4), (3, 3), (4, 16)] as [(UInt64, Int)] {
            let other = try await run(delaySeed: seed, concurrency: width)
            #expect(other.map(\.bitPattern) == reference.map(\.bitPattern), "delays \(seed), concurrency \(width)")
        }
        // The check has teeth: folding the same updates in reverse order changes the bits.
        var forward = FloatMeanAccumulator(parameterCount: 5), backward = FloatMeanAccumulator(parameterCount: 5)
        for (i, d) in deltas.enumerated() { forward.add(NodeUpdate(nodeID: "\(i)", delta: d, sampleCount: 1 + i % 4, baseVersion: 0)) }
        for (i, d) in deltas.enumerated().reversed() { backward.add(NodeUpdate(nodeID: "\(i)", delta: d, sampleCount: 1 + i % 4, baseVersion: 0)) }
        #expect(forward.fusedDelta()! != backward.fusedDelta()!)
    }
}
