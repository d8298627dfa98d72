@testable import FedSecureAggregation
import Testing

@Suite struct SecureAggregationBenchmarkTests {
    @Test func namesParse() {
        let a = SecureAggregationBenchmark.parse(name: "secagg-100x100000")
        #expect(a?.nodeCount == 100 && a?.parameterCount == 100_000)
        let b = SecureAggregationBenchmark.parse(name: "secagg-100x1000000")
        #expect(b?.nodeCount == 100 && b?.parameterCount == 1_000_000)
        #expect(SecureAggregationBenchmark.parse(name: "secagg-1x5") == nil)
        #expect(SecureAggregationBenchmark.parse(name: "gemm-100") == nil)
        #expect(throws: SecureAggregationError.self) { try SecureAggregationBenchmark.run(named: "secagg-axb") }
    }

    // A small case in debug: the SecAgg+ mean matches the plain weighted mean within 2c/L, and the
    // bytes overhead is far below Bonawitz et al.'s 1.73× once m dominates the per-neighbour costs.
    @Test func smallBenchmarkIsCorrectAndCheapOnTheWire() throws {
        let report = try SecureAggregationBenchmark.run(nodeCount: 10, parameterCount: 10_000, dropoutRate: 0.1)
        #expect(report.maxAbsoluteError <= report.errorBound + 1e-5)
        #expect(report.plainBytes == 4 * 10_000 * 9) // 9 survivors upload m float32s
        #expect(report.dropouts == 1)
        #expect(report.bytesRatio < 1.2)
        #expect(report.bytesRatio > 1.0)
        print(report)
    }
}
