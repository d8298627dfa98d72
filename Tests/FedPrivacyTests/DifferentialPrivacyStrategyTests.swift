import FedFusion
@testable import FedPrivacy
import FedTensor
import Testing

/// One round of updates for a small federation, a pure function of the round: node k's delta
/// has norm growing with k, so that with C near the median some are clipped and some not.
func syntheticUpdates(round: Int, nodes: Int = 4, d: Int = 6) -> [NodeUpdate] {
    var random = SeededRandom(seed: 100).derived(stream: UInt64(round))
    return (0..<nodes).map { k in
        let scale = Float(k + 1) * 0.1
        let delta = (0..<d).map { _ in scale * random.nextNormal() }
        return NodeUpdate(nodeID: "node-\(k)", delta: delta, sampleCount: 10 * (k + 1), baseVersion: round)
    }
}

/// Runs `rounds` rounds (from `first`) of `strategy` on the synthetic updates, nodes reporting
/// their unclipped bit as honest nodes do (clipping themselves first).
func run<S: FusionStrategy>(_ strategy: inout S, global: inout [Float], rounds: ClosedRange<Int>) {
    for round in rounds {
        let c = strategy.nodeInstructions(round: round)["dp_clip_norm"]!
        var accumulator = strategy.makeAccumulator(parameterCount: global.count, version: round - 1)
        for var update in syntheticUpdates(round: round, d: global.count) {
            let clipper = try! UpdateClipper(clipNorm: c)
            let outcome = clipper.clip(&update.delta)
            update.metrics["dp_unclipped"] = outcome.wasClipped ? 0 : 1
            accumulator.add(update)
        }
        strategy.apply(fused: accumulator.fusedDelta()!, to: &global, round: round, failures: [])
    }
}

@Suite struct DifferentialPrivacyStrategyTests {
    func fedAvg() -> FedAvg { try! FedAvg() }

    @Test func instructionsCarryTheClipNormAndTheBases() throws {
        let dp = try DifferentialPrivacyStrategy(wrapping: FedProx(mu: 0.5), noiseMultiplier: 1, clipping: .fixed(clipNorm: 0.7),
                                                 expectedClientsPerRound: 4, population: 100, seed: 1)
        #expect(dp.nodeInstructions(round: 3) == ["proximal_mu": 0.5, "dp_clip_norm": 0.7, "secure_aggregation_unit_weight": 1])
        #expect(dp.name == "dp-fedprox")
        #expect(dp.samplingRate == 0.04)
    }

    /// C = 1, m = 4: [3, 4] is clipped to [0.6, 0.8], [0.3, 0.4] is kept, [0, 0] adds nothing;
    /// sample counts are ignored: Σ/4 = [0.9, 1.2]/4 = [0.225, 0.3].
    @Test func accumulatorClipsWeighsOneAndDividesByExpectedClients() throws {
        let dp = try DifferentialPrivacyStrategy(wrapping: fedAvg(), noiseMultiplier: 0, clipping: .fixed(clipNorm: 1),
                                                 expectedClientsPerRound: 4, population: 40, seed: 1)
        var acc = dp.makeAccumulator(parameterCount: 2, version: 0)
        acc.add(NodeUpdate(nodeID: "a", delta: [3, 4], sampleCount: 100, baseVersion: 0))
        acc.add(NodeUpdate(nodeID: "b", delta: [0.3, 0.4], sampleCount: 1, baseVersion: 0))
        acc.add(NodeUpdate(nodeID: "c", delta: [0, 0], sampleCount: 7, baseVersion: 0))
        let fused = try #require(acc.fusedDelta())
        #expect(fused.count == 2)
        #expect(abs(fused[0] - 0.225) < 1e-7 && abs(fused[1] - 0.3) < 1e-7)
        #expect(acc.count == 3 && acc.serverClippedCount == 1)
        // The same in Double, by hand.
        let expected = [(3.0 * 0.2 + 0.3 + 0) / 4, (4.0 * 0.2 + 0.4 + 0) / 4]
        #expect(abs(Double(fused[0]) - expected[0]) < 1e-7 && abs(Double(fused[1]) - expected[1]) < 1e-7)
        #expect(dp.makeAccumulator(parameterCount: 2, version: 0).fusedDelta() == nil)
    }

    /// Adaptive: the unclipped bits come from the metric when present and valid, else from the
    /// update's own norm; they travel after the delta as [Σ b, n].
    @Test func adaptiveAccumulatorCountsUnclippedUpdates() throws {
        let adaptive = try AdaptiveClipNorm(initialClipNorm: 1, expectedClients: 4)
        let dp = try DifferentialPrivacyStrategy(wrapping: fedAvg(), noiseMultiplier: 0, clipping: .adaptive(adaptive),
                                                 expectedClientsPerRound: 4, population: 40, seed: 1)
        var acc = dp.makeAccumulator(parameterCount: 2, version: 0)
        acc.add(NodeUpdate(nodeID: "a", delta: [0.6, 0.8], sampleCount: 1, baseVersion: 0, metrics: ["dp_unclipped": 0]))  // clipped on the node
        acc.add(NodeUpdate(nodeID: "b", delta: [0.3, 0.4], sampleCount: 1, baseVersion: 0, metrics: ["dp_unclipped": 1]))
        acc.add(NodeUpdate(nodeID: "c", delta: [0.3, 0.4], sampleCount: 1, baseVersion: 0))  // no metric: norm 0.5 ≤ C
        acc.add(NodeUpdate(nodeID: "d", delta: [0.6, 0.8], sampleCount: 1, baseVersion: 0, metrics: ["dp_unclipped": 7]))  // invalid: norm = C counts as clipped
        let fused = try #require(acc.fusedDelta())
        #expect(fused.count == 4)
        #expect(fused[2] == 2 && fused[3] == 4)
        #expect(acc.indicatorsFromNorm == 2 && acc.serverClippedCount == 0)
        #expect(abs(fused[0] - 0.45) < 1e-7 && abs(fused[1] - 0.6) < 1e-7)
    }

    /// z = 0: the server step is exactly the base's with the clipped fixed-denominator mean.
    @Test func withoutNoiseItIsFedAvgOfTheClippedMean() throws {
        var dp = try DifferentialPrivacyStrategy(wrapping: fedAvg(), noiseMultiplier: 0, clipping: .fixed(clipNorm: 1),
                                                 expectedClientsPerRound: 4, population: 40, seed: 1)
        var global: [Float] = [1, 1]
        dp.apply(fused: [0.225, 0.3], to: &global, round: 1, failures: [])
        #expect(global == [1.225, 1.3])
    }

    /// The noise's standard deviation is z_Δ·C/m; here z = 2, C = 3, m = 2 gives 3.
    @Test func noiseHasStandardDeviationZCOverM() throws {
        var dp = try DifferentialPrivacyStrategy(wrapping: fedAvg(), noiseMultiplier: 2, clipping: .fixed(clipNorm: 3),
                                                 expectedClientsPerRound: 2, population: 20, seed: 8)
        #expect(dp.noiseStandardDeviation == 3)
        var global = [Float](repeating: 0, count: 100_000)
        dp.apply(fused: [Float](repeating: 0, count: 100_000), to: &global, round: 1, failures: [])
        let (mean, variance) = meanAndVariance(global)
        #expect(abs(mean) < 0.06)
        #expect(abs(variance - 9) < 0.25)
    }

    /// The noise of round r is a pure function of (seed, r).
    @Test func noiseIsReproducibleFromSeedAndRound() throws {
        func noised(seed: UInt64, round: Int) throws -> [Float] {
            var dp = try DifferentialPrivacyStrategy(wrapping: fedAvg(), noiseMultiplier: 1, clipping: .fixed(clipNorm: 1),
                                                     expectedClientsPerRound: 1, population: 10, seed: seed)
            var g = [Float](repeating: 0, count: 8)
            dp.apply(fused: [Float](repeating: 0, count: 8), to: &g, round: round, failures: [])
            return g
        }
        #expect(try noised(seed: 1, round: 3) == noised(seed: 1, round: 3))
        #expect(try noised(seed: 1, round: 3) != noised(seed: 1, round: 4))
        #expect(try noised(seed: 1, round: 3) != noised(seed: 2, round: 3))
    }

    @Test func adaptiveAllClippedIncreasesC() throws {
        let adaptive = try AdaptiveClipNorm(initialClipNorm: 0.01, expectedClients: 4)
        var dp = try DifferentialPrivacyStrategy(wrapping: fedAvg(), noiseMultiplier: 0.1, clipping: .adaptive(adaptive),
                                                 expectedClientsPerRound: 4, population: 40, seed: 3)
        var global = [Float](repeating: 0, count: 6)
        let before = dp.clipNorm
        run(&dp, global: &global, rounds: 1...1)  // every synthetic norm is far above 0.01
        #expect(dp.clipNorm > before)
    }

    @Test func adaptiveNoneClippedDecreasesC() throws {
        let adaptive = try AdaptiveClipNorm(initialClipNorm: 100, expectedClients: 4)
        var dp = try DifferentialPrivacyStrategy(wrapping: fedAvg(), noiseMultiplier: 0.1, clipping: .adaptive(adaptive),
                                                 expectedClientsPerRound: 4, population: 40, seed: 3)
        var global = [Float](repeating: 0, count: 6)
        run(&dp, global: &global, rounds: 1...1)
        #expect(dp.clipNorm < 100)
    }

    /// Adaptive clipping splits z: with m = 10 (σ_b = 0.5) and z = 0.6 the update gets 0.75.
    @Test func adaptiveUsesTheSplitNoiseMultiplier() throws {
        let adaptive = try AdaptiveClipNorm(initialClipNorm: 2, expectedClients: 10)
        let dp = try DifferentialPrivacyStrategy(wrapping: fedAvg(), noiseMultiplier: 0.6, clipping: .adaptive(adaptive),
                                                 expectedClientsPerRound: 10, population: 100, seed: 1)
        #expect(abs(dp.updateNoiseMultiplier - 0.75) < 1e-12)
        #expect(abs(dp.noiseStandardDeviation - 0.75 * 2 / 10) < 1e-12)
        #expect {
            try DifferentialPrivacyStrategy(wrapping: fedAvg(), noiseMultiplier: 1.0, clipping: .adaptive(adaptive),
                                            expectedClientsPerRound: 10, population: 100, seed: 1)
        } throws: { error in
            (error as? PrivacyError)?.message.contains("z < 2σ_b") ?? false
        }
    }

    /// 2 rounds, checkpoint, a fresh strategy restored, 3 more rounds == 5 rounds straight
    /// (FedAdam's moments and the adaptive C both travel in the server state).
    @Test func resumeIsExact() throws {
        func make() throws -> DifferentialPrivacyStrategy<FedAdam> {
            let adaptive = try AdaptiveClipNorm(initialClipNorm: 0.3, countNoiseStddev: 1, expectedClients: 4)
            return try DifferentialPrivacyStrategy(wrapping: FedAdam(), noiseMultiplier: 0.8, clipping: .adaptive(adaptive),
                                                   expectedClientsPerRound: 4, population: 50, seed: 77)
        }
        var straight = try make()
        var globalStraight = [Float](repeating: 0.5, count: 6)
        run(&straight, global: &globalStraight, rounds: 1...5)

        var first = try make()
        var global = [Float](repeating: 0.5, count: 6)
        run(&first, global: &global, rounds: 1...2)
        let checkpoint = first.serverState
        #expect(Set(checkpoint.keys) == ["first_moment", "second_moment", "dp_clip_norm"])
        var resumed = try make()
        try resumed.restoreServerState(checkpoint, parameterCount: 6)
        #expect(resumed.clipNorm == first.clipNorm)
        run(&resumed, global: &global, rounds: 3...5)

        #expect(global == globalStraight)
        #expect(resumed.clipNorm == straight.clipNorm)
        #expect(resumed.serverState == straight.serverState)
        #expect(straight.clipNorm != 0.3)  // C did move
    }

    @Test func restoreRejectsBadState() throws {
        var fixed = try DifferentialPrivacyStrategy(wrapping: fedAvg(), noiseMultiplier: 1, clipping: .fixed(clipNorm: 1),
                                                    expectedClientsPerRound: 2, population: 10, seed: 1)
        try fixed.restoreServerState(["dp_clip_norm": [1]], parameterCount: 3)
        try fixed.restoreServerState([:], parameterCount: 3)
        #expect(throws: FusionError.self) { try fixed.restoreServerState(["dp_clip_norm": [2]], parameterCount: 3) }
        #expect(throws: FusionError.self) { try fixed.restoreServerState(["dp_clip_norm": [1, 1]], parameterCount: 3) }
        #expect(throws: FusionError.self) { try fixed.restoreServerState(["velocity": [1, 1, 1]], parameterCount: 3) }

        let adaptive = try AdaptiveClipNorm(initialClipNorm: 1, countNoiseStddev: 1, expectedClients: 2)
        var dp = try DifferentialPrivacyStrategy(wrapping: FedAvgM(), noiseMultiplier: 1, clipping: .adaptive(adaptive),
                                                 expectedClientsPerRound: 2, population: 10, seed: 1)
        #expect(throws: FusionError.self) { try dp.restoreServerState(["dp_clip_norm": [Float.nan]], parameterCount: 3) }
        #expect(throws: FusionError.self) { try dp.restoreServerState(["dp_clip_norm": [-1]], parameterCount: 3) }
        #expect(throws: FusionError.self) { try dp.restoreServerState(["velocity": [1, 2, 3]], parameterCount: 3) }
        // A base refusal changes nothing.
        #expect(throws: FusionError.self) { try dp.restoreServerState(["dp_clip_norm": [5], "velocity": [1]], parameterCount: 3) }
        #expect(dp.clipNorm == 1)
        try dp.restoreServerState(["dp_clip_norm": [5], "velocity": [1, 2, 3]], parameterCount: 3)
        #expect(dp.clipNorm == 5 && dp.base.velocity == [1, 2, 3])
    }

    /// The secure-aggregation path gives the same fused delta as the plaintext accumulator when
    /// the nodes clipped themselves.
    @Test func secureSumPathMatchesTheAccumulator() throws {
        for adaptiveClipping in [false, true] {
            let clipping: ClippingPolicy = adaptiveClipping
                ? .adaptive(try AdaptiveClipNorm(initialClipNorm: 0.2, countNoiseStddev: 1, expectedClients: 4))
                : .fixed(clipNorm: 0.2)
            let dp = try DifferentialPrivacyStrategy(wrapping: fedAvg(), noiseMultiplier: 1, clipping: clipping,
                                                     expectedClientsPerRound: 4, population: 40, seed: 1)
            var acc = dp.makeAccumulator(parameterCount: 6, version: 0)
            var sum = [Float](repeating: 0, count: adaptiveClipping ? 7 : 6)
            for var u in syntheticUpdates(round: 1, nodes: 3) {
                let outcome = try UpdateClipper(clipNorm: 0.2).clip(&u.delta)
                u.metrics["dp_unclipped"] = outcome.wasClipped ? 0 : 1
                acc.add(u)
                for i in 0..<6 { sum[i] += u.delta[i] }
                if adaptiveClipping { sum[6] += outcome.wasClipped ? 0 : 1 }
            }
            let secure = try dp.fusedDelta(fromSecureSum: sum, totalWeight: 3, count: 3)
            let plain = try #require(acc.fusedDelta())
            // Equal up to Float rounding: a node-clipped update's norm can be a hair above C,
            // and the accumulator's second clip then scales it by 1 − 2⁻²⁴ or so.
            #expect(secure.count == plain.count, "adaptive \(adaptiveClipping)")
            for (s, p) in zip(secure, plain) { #expect(abs(s - p) <= 1e-6 * max(abs(p), 1e-3), "adaptive \(adaptiveClipping)") }
            if adaptiveClipping { #expect(secure.suffix(2) == plain.suffix(2)) }
        }
    }

    @Test func secureSumRejectsBadInput() throws {
        let adaptive = try AdaptiveClipNorm(initialClipNorm: 1, countNoiseStddev: 1, expectedClients: 4)
        let dp = try DifferentialPrivacyStrategy(wrapping: fedAvg(), noiseMultiplier: 1, clipping: .adaptive(adaptive),
                                                 expectedClientsPerRound: 4, population: 40, seed: 1)
        #expect(throws: PrivacyError.self) { try dp.fusedDelta(fromSecureSum: [1, 1], totalWeight: 0, count: 0) }
        #expect(throws: PrivacyError.self) { try dp.fusedDelta(fromSecureSum: [1, 1], totalWeight: 20, count: 2) }
        #expect(throws: PrivacyError.self) { try dp.fusedDelta(fromSecureSum: [.nan, 1], totalWeight: 2, count: 2) }
        #expect(throws: PrivacyError.self) { try dp.fusedDelta(fromSecureSum: [1, 3], totalWeight: 2, count: 2) }  // 3 unclipped of 2
        #expect(throws: PrivacyError.self) { try dp.fusedDelta(fromSecureSum: [1, 0.5], totalWeight: 2, count: 2) }
        #expect(throws: PrivacyError.self) { try dp.fusedDelta(fromSecureSum: [], totalWeight: 2, count: 2) }
        #expect(try dp.fusedDelta(fromSecureSum: [2, 1], totalWeight: 2, count: 2) == [0.5, 1, 2])
    }

    /// q = m / population = 100 / 10 000 = 0.01 and z = 1.1: 10 000 rounds spend ε = 5.632.
    @Test func privacySpentAndBudget() throws {
        let budget = try PrivacyBudget(epsilon: 5.64, delta: 1e-5)
        let dp = try DifferentialPrivacyStrategy(wrapping: fedAvg(), noiseMultiplier: 1.1, clipping: .fixed(clipNorm: 1),
                                                 expectedClientsPerRound: 100, population: 10_000, seed: 1, budget: budget)
        let spent = try dp.privacySpent(rounds: 10_000, delta: 1e-5)
        #expect(abs(spent.epsilon - 5.632) < 0.001 && spent.bestOrder == 4.7)
        #expect(try dp.privacySpent(rounds: 0, delta: 1e-5).epsilon == 0)
        #expect(try !dp.wouldExceedBudget(afterRound: 10_000))
        #expect(try dp.wouldExceedBudget(afterRound: 10_200))
        #expect(throws: PrivacyError.self) { try dp.privacySpent(rounds: -1, delta: 1e-5) }
        let noBudget = try DifferentialPrivacyStrategy(wrapping: fedAvg(), noiseMultiplier: 1.1, clipping: .fixed(clipNorm: 1),
                                                       expectedClientsPerRound: 100, population: 10_000, seed: 1)
        #expect(throws: PrivacyError.self) { try noBudget.wouldExceedBudget(afterRound: 1) }
    }

    @Test func refusesRobustAndBufferedStrategies() throws {
        func refuses(_ base: some FusionStrategy) -> Bool {
            do {
                _ = try DifferentialPrivacyStrategy(wrapping: base, noiseMultiplier: 1, clipping: .fixed(clipNorm: 1),
                                                    expectedClientsPerRound: 2, population: 10, seed: 1)
                return false
            } catch {
                return error.code == .unsupportedStrategy && error.source.contains(base.name)
            }
        }
        #expect(refuses(CoordinateWiseMedian()))
        #expect(refuses(try TrimmedMean()))
        #expect(refuses(try Krum()))
        #expect(refuses(try MultiKrum()))
        #expect(refuses(try StrategyCatalog.make(name: "multi-krum")))
        #expect(refuses(try FedBuff()))
        let dp = try DifferentialPrivacyStrategy(wrapping: fedAvg(), noiseMultiplier: 1, clipping: .fixed(clipNorm: 1),
                                                 expectedClientsPerRound: 2, population: 10, seed: 1)
        #expect(refuses(dp))
        for name in ["fedavg", "fedprox", "fedavgm", "fedadagrad", "fedadam", "fedyogi", "dynamic"] {
            #expect(!refuses(try StrategyCatalog.make(name: name)), "\(name)")
        }
    }

    @Test func invalidSettingsAreNamed() throws {
        func source(_ build: () throws -> Void) -> String? {
            do { try build(); return nil } catch let e as PrivacyError { return e.source } catch { return "\(error)" }
        }
        #expect(source { _ = try DifferentialPrivacyStrategy(wrapping: fedAvg(), noiseMultiplier: -1, clipping: .fixed(clipNorm: 1), expectedClientsPerRound: 2, population: 10, seed: 1) }?.hasSuffix("noiseMultiplier") == true)
        #expect(source { _ = try DifferentialPrivacyStrategy(wrapping: fedAvg(), noiseMultiplier: 1, clipping: .fixed(clipNorm: 0), expectedClientsPerRound: 2, population: 10, seed: 1) }?.hasSuffix("clipNorm") == true)
        #expect(source { _ = try DifferentialPrivacyStrategy(wrapping: fedAvg(), noiseMultiplier: 1, clipping: .fixed(clipNorm: 1), expectedClientsPerRound: 0, population: 10, seed: 1) }?.hasSuffix("expectedClientsPerRound") == true)
        #expect(source { _ = try DifferentialPrivacyStrategy(wrapping: fedAvg(), noiseMultiplier: 1, clipping: .fixed(clipNorm: 1), expectedClientsPerRound: 20, population: 10, seed: 1) }?.hasSuffix("population") == true)
        let adaptive = try AdaptiveClipNorm(expectedClients: 5)
        #expect(source { _ = try DifferentialPrivacyStrategy(wrapping: fedAvg(), noiseMultiplier: 0.1, clipping: .adaptive(adaptive), expectedClientsPerRound: 4, population: 10, seed: 1) }?.hasSuffix("expectedClients") == true)
    }

    /// Behind `AnyFusionStrategy` (how the round engine and the catalog hold strategies).
    @Test func worksTypeErased() throws {
        var erased = AnyFusionStrategy(try DifferentialPrivacyStrategy(wrapping: StrategyCatalog.make(name: "fedavg"), noiseMultiplier: 0,
                                                                     clipping: .fixed(clipNorm: 1), expectedClientsPerRound: 2,
                                                                     population: 10, seed: 1))
        #expect(erased.name == "dp-fedavg")
        var acc = erased.makeAccumulator(parameterCount: 2, version: 0)
        acc.add(NodeUpdate(nodeID: "a", delta: [3, 4], sampleCount: 5, baseVersion: 0))
        var global: [Float] = [0, 0]
        erased.apply(fused: try #require(acc.fusedDelta()), to: &global, round: 1, failures: [])
        #expect(abs(global[0] - 0.3) < 1e-7 && abs(global[1] - 0.4) < 1e-7)
        #expect(erased.serverState == ["dp_clip_norm": [1]])
    }
}
