import FedFusion
import FedRound
import Foundation
import Testing

/// A participant that drops out (throws) at one stage, and otherwise defers to a real node.
struct DroppingParticipant: SecureAggregationParticipant {
    let inner: SecureAggregationNode
    let dropAt: SecureAggregationStage
    func respond(to request: SecureAggregationRequest) async throws -> SecureAggregationResponse {
        if request.stage == dropAt { throw FakeNodeError() }
        return try await inner.respond(to: request)
    }
}

/// Secure rounds through the engine: the fused result equals the plain weighted mean within the
/// quantization bound, dropouts up to the threshold are survived, more fail the round cleanly.
@Suite struct SecureRoundTests {
    static let dimension = 40

    /// Node i's delta: deterministic values in (−1, 1); its weight: 10·(i + 1) samples.
    static func delta(_ i: Int) -> [Float] { (0..<dimension).map { j in Float(sin(Double(i * 31 + j * 7))) } }
    static func samples(_ i: Int) -> Int { 10 * (i + 1) }

    static func channels(_ n: Int, dropAt: [Int: SecureAggregationStage] = [:]) -> [any NodeChannel] {
        (0..<n).map { i in
            let id = "node\(i)"
            let train: @Sendable (TrainingTask, UInt64) async throws -> TrainingReply = { task, _ in
                .update(nodeID: id, round: task.round, delta: delta(i), sampleCount: samples(i), metrics: ["train_loss": Double(i)])
            }
            let node = SecureAggregationNode(nodeID: id, train: train)
            let participant: any SecureAggregationParticipant = dropAt[i].map { DroppingParticipant(inner: node, dropAt: $0) } ?? node
            return InProcessChannel(nodeID: id, train: { try await train($0, 0) }, secureAggregation: participant)
        }
    }

    static func plainMean(_ nodes: [Int]) -> [Float] {
        let total = Float(nodes.map(samples).reduce(0, +))
        return (0..<dimension).map { j in nodes.reduce(Float(0)) { $0 + Float(samples($1)) * delta($1)[j] } / total }
    }

    @Test func theSecureMeanEqualsThePlainMeanWithinTheQuantizationBound() async throws {
        let n = 10
        let policy = SecureAggregationPolicy(clippingRange: 2)
        var runner = try FederationRunner(channels: Self.channels(n), initialParameters: Array(repeating: 0, count: Self.dimension),
                                          strategy: try FedAvg(), policy: testPolicy(perRound: n))
        let m = try await runner.runSecureRound(policy)
        #expect(m.roundFailed == nil && m.failures.isEmpty)
        #expect(m.participants.count == n)
        #expect(m.samples == (0..<n).map(Self.samples).reduce(0, +))
        #expect(m.commitments.count == n && m.commitments.values.allSatisfy { $0.count == 64 })
        // FedAvg moves the zero model by the weighted mean; quantization error ≤ 2c/L per coordinate.
        let bound = 2 * 2 / Float(1 << 22)  // L ≥ 2^22 for 10 nodes, 1000 max weight, 32 bits
        let expected = Self.plainMean(Array(0..<n))
        for j in 0..<Self.dimension { #expect(abs(runner.global[j] - expected[j]) <= max(bound, 1e-5)) }
        // The masked vectors the server saw are not the updates: ~uniform words, bytes ≈ 4 per coordinate.
        #expect(m.bytesUp > n * 4 * Self.dimension)
    }

    @Test(arguments: [SecureAggregationStage.advertiseKeys, .shareKeys, .maskedInput, .unmasking])
    func oneDropoutAtAnyStageIsSurvived(_ stage: SecureAggregationStage) async throws {
        let n = 6
        var runner = try FederationRunner(channels: Self.channels(n, dropAt: [2: stage]), initialParameters: Array(repeating: 0, count: Self.dimension),
                                          strategy: try FedAvg(), policy: testPolicy(perRound: n))
        let m = try await runner.runSecureRound(SecureAggregationPolicy())
        #expect(m.roundFailed == nil)
        // A node that sent its masked input is in the sum even if it fails to unmask.
        let inSum = stage == .unmasking ? Array(0..<n) : (0..<n).filter { $0 != 2 }
        #expect(m.participants == inSum.map { "node\($0)" })
        let expected = Self.plainMean(inSum)
        for j in 0..<Self.dimension { #expect(abs(runner.global[j] - expected[j]) <= 1e-4) }
    }

    @Test func tooManyDropoutsFailTheRoundAndLeaveTheModel() async throws {
        let n = 6  // complete graph, threshold ⌊0.67·6⌋ = 4: three dropouts leave 3 < 4
        var runner = try FederationRunner(channels: Self.channels(n, dropAt: [0: .maskedInput, 1: .maskedInput, 2: .shareKeys]),
                                          initialParameters: Array(repeating: 0, count: Self.dimension), strategy: FedAvg(),
                                          policy: testPolicy(perRound: n))
        let error = await #expect(throws: RoundError.self) { _ = try await runner.runSecureRound(SecureAggregationPolicy()) }
        #expect(error?.code == .quorumNotMet)
        #expect(error?.description.contains("threshold not met") == true)
        #expect(error?.description.contains("no partial result") == true)
        #expect(runner.global == Array(repeating: 0, count: Self.dimension))
        #expect(runner.version == 0)
    }

    @Test func robustStrategiesAreRefusedBeforeAnythingIsSent() async throws {
        var runner = try FederationRunner(channels: Self.channels(4), initialParameters: Array(repeating: 0, count: Self.dimension),
                                          strategy: CoordinateWiseMedian(), policy: testPolicy(perRound: 4))
        await #expect(throws: RoundError.self) { _ = try await runner.runSecureRound(SecureAggregationPolicy()) }
        #expect(runner.round == 0)
    }
}
