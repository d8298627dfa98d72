@testable import FedSecureAggregation
import Testing

@Suite struct SecureAggregationBenchmarkTests {
    @Test func namesParse() async {
        let a = SecureAggregationBenchmark.parse(name: "secagg-100x100000")
        #expect(a?.nodeCount == 100 && a?.parameterCount == 100_000)
        let b = SecureAggregationBenchmark.parse(name: "secagg-100x1000000")
        #expect(b?.nodeCount == 100 && b?.parameterCount == 1_000_000)
        #expect(SecureAggregationBenchmark.parse(name: "secagg-1x5") == nil)
        #expect(SecureAggregationBenchmark.parse(name: "gemm-100") == nil)
        await #expect(throws: SecureAggregationError.self) { try await SecureAggregationBenchmark.run(named: "secagg-axb") }
    }

    // A small case in debug: the SecAgg+ mean (clients run concurrently) matches the plain weighted
    // mean within 2c/L, and the bytes overhead is far below Bonawitz et al.'s 1.73× once m
    // dominates the per-neighbour costs. The time split is consistent: every node did some work,
    // the mean is at most the max, and the critical path includes the server's part.
    @Test func smallBenchmarkIsCorrectAndCheapOnTheWire() async throws {
        let report = try await SecureAggregationBenchmark.run(nodeCount: 10, parameterCount: 10_000, dropoutRate: 0.1)
        #expect(report.maxAbsoluteError <= report.errorBound + 1e-5)
        #expect(report.plainBytes == 4 * 10_000 * 9) // 9 survivors upload m float32s
        #expect(report.dropouts == 1)
        #expect(report.bytesRatio < 1.2)
        #expect(report.bytesRatio > 1.0)
        #expect(report.clientSecondsMean > 0 && report.clientSecondsMean <= report.clientSecondsMax)
        #expect(report.clientSecondsTotal >= report.clientSecondsMax)
        #expect(report.serverSeconds > 0 && report.criticalPathSeconds >= report.serverSeconds + report.clientSecondsMax / 4)
        #expect(report.timeRatio == report.secureSeconds / report.plainSeconds)
        print(report)
    }

    // The concurrent benchmark driver and the sequential SecureAggregationSession agree on the
    // byte counts of the same round (same configuration, same dropouts), so the bytes ratio means
    // what the session means.
    @Test func concurrentDriverCountsBytesLikeTheSession() async throws {
        let ids: [UInt64] = Array(1...8)
        let config = try SecureAggregationConfiguration(federationID: "bench-test", roundID: 3, participants: ids, degree: 4, threshold: 3,
                                                        bitWidth: 32, vectorLength: 101, graphSeed: [UInt8](repeating: 7, count: 32))
        let quantizer = try UpdateQuantizer(nodeCount: 8)
        var updates = [UInt64: SecureAggregationBenchmark.Update]()
        var plain = [UInt64: (delta: [Float], weight: Int)]()
        for id in ids {
            let delta = (0..<100).map { Float(Int(id) * 3 + $0 % 7) / 20 - 1 }
            updates[id] = .init(delta: delta, weight: Int(id), roundingSeed: id)
            plain[id] = (delta, Int(id))
        }
        let outcome = try await SecureAggregationBenchmark.runRound(configuration: config, quantizer: quantizer, updates: updates, dropped: [8])
        var rng = SplitMix64(seed: 1)
        let session = try SecureAggregationSession.runWeightedMean(configuration: config, quantizer: quantizer, updates: plain,
                                                                   dropouts: [8: .beforeMaskedInput], using: &rng)
        #expect(outcome.clientBytes == session.result.clientBytes)
        #expect(outcome.serverBytes == session.result.serverBytes)
        #expect(outcome.clientSeconds.count == 8)
        #expect(outcome.slowestClientPerStage.count == 4)
        for i in 0..<100 { #expect(abs(outcome.mean[i] - session.mean[i]) <= 2 * Float(quantizer.errorBound)) }
    }
}
