import FedFusion
import Testing

@Suite struct FedBuffTests {
    @Test(arguments: [
        (StalenessFunction.inverseSquareRoot, 0, 1.0),
        (.inverseSquareRoot, 3, 0.5),  // 1/√4
        (.inverseSquareRoot, 15, 0.25),  // 1/√16
        (.inverseSquareRoot, -2, 1.0),  // from a newer version: counted as τ = 0
        (.polynomial(exponent: 1), 3, 0.25),  // 1/4
        (.polynomial(exponent: 2), 1, 0.25),  // 1/2²
        (.polynomial(exponent: 0.5), 8, 1.0 / 3),  // 1/√9
        (.constant, 100, 1.0),
    ])
    func stalenessWeights(function: StalenessFunction, staleness: Int, weight: Double) {
        #expect(abs(function.weight(staleness: staleness) - weight) <= 1e-12)
    }

    @Test func fusedDeltaIsTheStalenessWeightedSumOverK() throws {
        var strategy = try FedBuff(bufferSize: 3, serverLearningRate: 0.5)
        #expect(strategy.mode == .buffered(bufferSize: 3))
        // version 5; τ = 5 − base: a 0 (s = 1), b 3 (s = 1/√4 = 0.5), c 15 (s = 1/√16 = 0.25);
        // sample counts are not used.
        let updates = [update("a", [2, 2], n: 1, base: 5), update("b", [2, -2], n: 7, base: 2), update("c", [12, 8], n: 2, base: -10)]
        // Σ s·Δ = (2, 2) + (1, −1) + (3, 2) = (6, 3); divided by K = 3, not by Σ s = 1.75: (2, 1)
        let fused = try #require(fuse(strategy, updates, version: 5))
        #expect(fused == [2, 1])
        // w ← w + η_g·Δ = (0, 0) + 0.5·(2, 1)
        var global: [Float] = [0, 0]
        strategy.apply(fused: fused, to: &global, round: 6, failures: [])
        #expect(global == [1, 0.5])
    }

    @Test func versionsOutOfIntRangeDoNotTrap() throws {
        // version − Int.min overflows: taken as the stalest update, 1/√(1 + Int.max) ≈ 3·10⁻¹⁰
        let fused = try #require(fuse(try FedBuff(bufferSize: 1), [update("a", [1e9, 0], base: .min)], version: 5))
        #expect(fused[0] > 0 && fused[0] < 1)
        // Int.min − Int.max overflows the other way: a "future" update, τ = 0, weight 1
        #expect(fuse(try FedBuff(bufferSize: 1), [update("a", [3, 0], base: .max)], version: .min) == [3, 0])
    }

    @Test func aPartlyFilledBufferStillDividesByK() throws {
        // one fresh update in a buffer of 4: (4, −8)/4 = (1, −2)
        #expect(fuse(try FedBuff(bufferSize: 4, staleness: .constant), [update("a", [4, -8], base: 2)], version: 2) == [1, -2])
        #expect(fuse(try FedBuff(), []) == nil)
        #expect(try FedBuff().bufferSize == 10)
        #expect(try FedBuff().staleness == .inverseSquareRoot)
    }
}
