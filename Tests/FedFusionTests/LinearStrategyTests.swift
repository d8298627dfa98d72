import FedFusion
import FedTensor
import Testing

@Suite struct LinearStrategyTests {
    @Test func fedAvgIsTheSampleWeightedMean() throws {
        // ((1·1 + 1·3 + 2·5)/4, (1·2 + 1·(−2) + 2·0)/4) = (14/4, 0/4) = (3.5, 0)
        #expect(fuse(try FedAvg(), threeNodes) == [3.5, 0])
        // server step w ← w + η·Δ with η = 0.5: (10 + 1.75, 10 + 0) = (11.75, 10)
        var strategy = try FedAvg(serverLearningRate: 0.5)
        var global: [Float] = [10, 10]
        runRound(&strategy, threeNodes, global: &global)
        #expect(global == [11.75, 10])
        #expect(strategy.name == "fedavg")
        #expect(strategy.mode == .synchronous)
        #expect(strategy.roundTimeWindow == nil)
        #expect(strategy.nodeInstructions(round: 1).isEmpty)
    }

    @Test func fedProxFusesAsFedAvgAndSendsMu() throws {
        var strategy = try FedProx(mu: 0.25)
        #expect(strategy.nodeInstructions(round: 3) == ["proximal_mu": 0.25])
        #expect(try FedProx().mu == 0.01)
        // the server is FedAvg's: (3.5, 0), w = (0, 1) + (3.5, 0)
        var global: [Float] = [0, 1]
        runRound(&strategy, threeNodes, global: &global)
        #expect(global == [3.5, 1])
    }

    @Test func fedAvgMCarriesMomentumAcrossRounds() throws {
        var strategy = try FedAvgM(serverLearningRate: 2, momentum: 0.5)
        var global: [Float] = [0, 0]
        // round 1: Δ = (3.5, 0); v = 0.5·0 + Δ = (3.5, 0); w = 0 + 2·v = (7, 0)
        runRound(&strategy, threeNodes, global: &global, round: 1)
        #expect(strategy.velocity == [3.5, 0])
        #expect(global == [7, 0])
        // round 2: one node, Δ = (1, −2); v = 0.5·(3.5, 0) + (1, −2) = (2.75, −2);
        // w = (7, 0) + 2·(2.75, −2) = (12.5, −4)
        runRound(&strategy, [update("a", [1, -2])], global: &global, round: 2)
        #expect(strategy.velocity == [2.75, -2])
        #expect(global == [12.5, -4])
        #expect(try FedAvgM().momentum == 0.9)
    }

    @Test(arguments: [(0.75, 0.5, 0.0, true), (0.5, 0.75, 0.0, false), (0.5, 0.75, 0.25, true), (0.5, 0.75, 0.125, false), (0.75, 0.75, 0.0, true)])
    func dynamicFusionParticipationRule(global: Double, local: Double, tolerance: Double, participates: Bool) {
        // take part iff global ≥ local − tolerance: 0.75 ≥ 0.5 yes; 0.5 ≥ 0.75 no; 0.5 ≥ 0.75 − 0.25 = 0.5 yes;
        // 0.5 ≥ 0.75 − 0.125 = 0.625 no; 0.75 ≥ 0.75 yes.
        #expect(DynamicFusion.shouldParticipate(globalValidationAccuracy: global, localValidationAccuracy: local, tolerance: tolerance) == participates)
    }

    @Test func dynamicFusionWithoutALocalModelOrWithNaNTakesPart() {
        #expect(DynamicFusion.shouldParticipate(globalValidationAccuracy: 0.1, localValidationAccuracy: nil))
        #expect(DynamicFusion.shouldParticipate(globalValidationAccuracy: .nan, localValidationAccuracy: 0.9))
    }

    @Test func dynamicFusionFusesWithinItsWindowAsAWeightedMean() throws {
        var strategy = try DynamicFusion(timeWindow: .seconds(5), participationTolerance: 0.02)
        #expect(strategy.roundTimeWindow == .seconds(5))
        #expect(strategy.nodeInstructions(round: 1) == ["participation_tolerance": 0.02])
        #expect(try DynamicFusion().roundTimeWindow == .seconds(60))
        // the updates that arrived in time: the 3-node federation, (3.5, 0)
        var global: [Float] = [1, 1]
        runRound(&strategy, threeNodes, global: &global)
        #expect(global == [4.5, 1])
    }

    /// The accumulator folds four updates per pass (`addScaled4`) and the rest one at a time;
    /// k = 1…9 covers 0–2 four-update passes with 0–3 left over, and a zero weight on update 5.
    @Test(arguments: zip([1, 3, 17, 1000, 1001, 1, 8, 33, 2048], [7, 1, 4, 9, 5, 3, 8, 2, 6]))
    func fastAccumulatorMatchesTheNaiveTwin(parameterCount d: Int, updateCount k: Int) {
        var rng = SeededRandom(seed: UInt64(d * 10 + k))
        var terms: [(delta: [Float], weight: Double)] = []
        for i in 0..<k {
            let delta: [Float] = (0..<d).map { _ in rng.nextFloat() * 200 - 100 }
            let weight: Double = i == 5 ? 0 : Double(1 + (i * 37) % 11)
            terms.append((delta, weight))
        }
        var accumulator = WeightedMeanAccumulator(parameterCount: d)
        for t in terms { accumulator.add(t.delta, weight: t.weight) }
        let naive = WeightedMeanAccumulator.naiveWeightedMean(terms)
        #expect(accumulator.totalWeight == terms.reduce(0) { $0 + $1.weight })
        // Float running sum vs Double reference: a few ulps of the largest partial sum (≈ 100·66)
        let fast = accumulator.fusedDelta()
        #expect(fast != nil && naive != nil)
        if let fast, let naive {
            #expect(zip(fast, naive).allSatisfy { abs($0 - $1) <= 1e-3 })
        }
    }

    @Test func emptyOrWeightlessRoundsDoNotFuse() throws {
        #expect(fuse(try FedAvg(), []) == nil)
        var accumulator = WeightedMeanAccumulator(parameterCount: 2)
        accumulator.add(update("a", [1, 1], n: 0))
        #expect(accumulator.count == 1)
        #expect(accumulator.fusedDelta() == nil)
        #expect(throws: FusionError(.cannotFuse, source: "weighted mean", "all 1 updates reported 0 samples; expected a positive total weight")) {
            try accumulator.fuse()
        }
    }
}
