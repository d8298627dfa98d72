@testable import FedSecureAggregation
import Testing

@Suite struct UpdateQuantizerTests {
    // n · maxWeight · L < 2^b: 100 · 1000 · 32768 = 3.3e9 < 2^32 = 4.29e9, while 65536 would overflow.
    @Test func levelsArePowersOfTwoThatCannotWrap() throws {
        #expect(try UpdateQuantizer(nodeCount: 100).levels == 32768)
        #expect(try UpdateQuantizer(nodeCount: 1, bitWidth: 16, maxWeight: 1).levels == 32768)
        #expect(try UpdateQuantizer(nodeCount: 3, bitWidth: 8, maxWeight: 10).levels == 8) // 255 / 30 = 8.5
        #expect(throws: SecureAggregationError.self) { try UpdateQuantizer(nodeCount: 300, bitWidth: 8, maxWeight: 1) }
        #expect(throws: SecureAggregationError.self) { try UpdateQuantizer(nodeCount: 0) }
        #expect(throws: SecureAggregationError.self) { try UpdateQuantizer(nodeCount: 2, clippingRange: 0) }
    }

    // Hand-checked encoding: c = 1, L = 8 (n = 3, b = 8, maxWeight 10): x = −1 → 0, x = 1 → w·L,
    // x = 0 → w·L/2; weights above maxWeight are capped; the weight is the last word.
    @Test func encodesEndpointsExactly() throws {
        let q = try UpdateQuantizer(nodeCount: 3, bitWidth: 8, clippingRange: 1, maxWeight: 10)
        var rng = SplitMix64(seed: 1)
        #expect(try q.encode([-1, 1, 0, -5, 5], weight: 2, using: &rng) == [0, 16, 8, 0, 16, 2])
        #expect(try q.encode([1], weight: 50, using: &rng) == [80, 10])
        #expect(throws: SecureAggregationError.self) { try q.encode([1], weight: 0, using: &rng) }
        #expect(throws: SecureAggregationError.self) { try q.encode([.nan], weight: 1, using: &rng) }
        #expect(throws: SecureAggregationError.self) { try q.encode([.infinity], weight: 1, using: &rng) }
    }

    // Decoded sum of n encodings: |decoded − weighted mean of clamped values| ≤ 2c/L per coordinate.
    @Test func decodedMeanIsWithinTheBound() throws {
        let q = try UpdateQuantizer(nodeCount: 5, bitWidth: 16, clippingRange: 1, maxWeight: 4) // L = 2048
        #expect(q.levels == 2048)
        var rng = SplitMix64(seed: 3)
        // Values spread over [−1.3, 1.3], so some are clamped.
        let xs: [[Float]] = (0..<5).map { (k: Int) -> [Float] in
            (0..<50).map { (i: Int) -> Float in Float((i * 7 + k * 13) % 27 - 13) / 10 }
        }
        let ws = [1, 2, 3, 4, 9] // 9 is capped to 4
        var sum = [UInt32](repeating: 0, count: 51)
        for k in 0..<5 {
            let e = try q.encode(xs[k], weight: ws[k], using: &rng)
            for i in sum.indices { sum[i] = (sum[i] &+ e[i]) & 0xFFFF }
        }
        let (mean, w) = try q.decode(sum: sum)
        #expect(w == 14)
        for i in 0..<50 {
            var exact = 0.0
            for k in 0..<5 { exact += Double(min(ws[k], 4)) * Double(min(max(xs[k][i], -1), 1)) }
            exact /= 14
            let error = abs(Double(mean[i]) - exact)
            #expect(error <= q.errorBound + 1e-6)
        }
    }

    // Stochastic rounding is unbiased: over many encodings of the same value the mean error → 0
    // (far below the one-level rounding step; the standard error is ≈ 0.5/√trials levels).
    @Test func stochasticRoundingIsUnbiased() throws {
        let q = try UpdateQuantizer(nodeCount: 1, bitWidth: 8, clippingRange: 1, maxWeight: 1) // L = 128
        var rng = SplitMix64(seed: 11)
        let x: Float = 0.3337 // (x + 1)/2 · 128 = 85.3568: between levels
        let exact = (Double(x) + 1) / 2 * 128
        let trials = 20_000
        var total = 0.0
        for _ in 0..<trials { total += Double(try q.encode([x], weight: 1, using: &rng)[0]) }
        let meanError = total / Double(trials) - exact
        #expect(abs(meanError) < 0.02) // ≈ 6 standard errors
        // Deterministic rounding would be off by 0.3568 levels every time.
    }

    @Test func decodeRejectsSumsThatAreNotSumsOfEncodings() throws {
        let q = try UpdateQuantizer(nodeCount: 2, bitWidth: 16, clippingRange: 1, maxWeight: 4)
        #expect(throws: SecureAggregationError.self) { try q.decode(sum: []) }
        #expect(throws: SecureAggregationError.self) { try q.decode(sum: [5, 0]) }       // weight 0
        #expect(throws: SecureAggregationError.self) { try q.decode(sum: [5, 9]) }       // weight > n·maxWeight
        #expect(throws: SecureAggregationError.self) { try q.decode(sum: [60000, 1]) }   // above W·L
    }
}
