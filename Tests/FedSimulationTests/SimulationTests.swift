import FedDatasets
import FedFusion
import FedModels
import FedRound
import FedTensor
import Testing
@testable import FedSimulation

@Suite struct SimulationTests {
    static let train = blobs(count: 480, seed: 1)
    static let test = blobs(count: 240, seed: 2)

    static func configuration(_ strategy: any FusionStrategy, model: ModelChoice = .named("logreg"), rounds: Int = 8,
                              concurrency: Int? = nil, byzantine: ByzantineConfiguration? = nil) -> SimulationConfiguration {
        SimulationConfiguration(model: model, strategy: strategy, perRound: 4, rounds: rounds, localEpochs: 1, batchSize: 10,
                                learningRate: 0.1, seed: 7, concurrency: concurrency, byzantine: byzantine)
    }

    @Test func smallFederationConverges() async throws {
        let partitions = try iid(Self.train, nodes: 8)
        let simulation = Simulation(configuration: Self.configuration(try FedAvg()))
        var seen: [RoundMetrics] = []
        var liveBetweenRounds: [Int] = []
        let result = try await simulation.run(train: Self.train, test: Self.test, partitions: partitions) { m in
            seen.append(m)
            liveBetweenRounds.append(simulation.trainers.current)
        }
        #expect(result.rounds == 8 && seen.count == 8 && result.metrics == seen)
        #expect((result.testAccuracy ?? 0) > 0.9, "accuracy \(result.testAccuracy ?? -1)")
        #expect(result.bestAccuracy! >= result.testAccuracy!)
        #expect(seen.allSatisfy { $0.participants.count == 4 && $0.failures.isEmpty && $0.trainLoss != nil })
        #expect(seen.last!.trainLoss! < seen.first!.trainLoss!)
        // Nodes hold no model between rounds; at most `concurrency` at once while training.
        #expect(liveBetweenRounds.allSatisfy { $0 == 0 } && simulation.trainers.current == 0)
        #expect(result.peakLiveTrainers >= 1 && result.peakLiveTrainers <= simulation.configuration.effectiveConcurrency)
        #expect(result.parameters.specs == LogisticRegression(inputShape: [4], classCount: 3).parameterSpecs)
    }

    /// Same seed, concurrency 1 and 4 (and so 1 or several GEMM threads per node): identical bits.
    @Test func deterministicWhateverTheConcurrency() async throws {
        let partitions = try iid(Self.train, nodes: 6)
        let mlp = MLP(inputShape: [4], hiddenSizes: [128, 128], classCount: 3)  // 128×128 GEMMs go multi-threaded
        func run(_ concurrency: Int) async throws -> SimulationResult {
            try await Simulation(configuration: Self.configuration(try FedProx(mu: 0.1), model: .custom(mlp), rounds: 3,
                                                                   concurrency: concurrency))
                .run(train: Self.train, test: Self.test, partitions: partitions)
        }
        let one = try await run(1), four = try await run(4)
        #expect(one.parameters.flattened().map(\.bitPattern) == four.parameters.flattened().map(\.bitPattern))
        #expect(one.metrics.map(\.trainLoss) == four.metrics.map(\.trainLoss))
        #expect(one.metrics.map(\.participants) == four.metrics.map(\.participants))
        #expect(one.testAccuracy == four.testAccuracy)
    }

    /// 2 of 10 nodes send sign-flipped, ×10 updates: the mean is dragged off; the median, the
    /// trimmed mean and Multi-Krum are not.
    @Test func signFlipHurtsTheMeanButNotRobustStrategies() async throws {
        let partitions = try iid(Self.train, nodes: 10)
        let attack = ByzantineConfiguration(fraction: 0.2, attack: .signFlip, scale: 10)
        func accuracy(_ strategy: any FusionStrategy, _ byzantine: ByzantineConfiguration?) async throws -> Double {
            var c = Self.configuration(strategy, rounds: 6, byzantine: byzantine)
            c.perRound = 10
            let r = try await Simulation(configuration: c).run(train: Self.train, test: Self.test, partitions: partitions)
            if byzantine != nil { #expect(r.maliciousNodes.count == 2) }
            return r.testAccuracy ?? 0
        }
        let clean = try await accuracy(try FedAvg(), nil)
        let attackedMean = try await accuracy(try FedAvg(), attack)
        #expect(clean > 0.9)
        #expect(attackedMean < clean - 0.1, "FedAvg under attack: \(attackedMean), clean \(clean)")
        let robust: [any FusionStrategy] = [CoordinateWiseMedian(), try TrimmedMean(beta: 0.2), try MultiKrum(assumedByzantine: 2)]
        for strategy in robust {
            let attacked = try await accuracy(strategy, attack)
            #expect(attacked > clean - 0.02, "\(strategy.name) under attack: \(attacked), clean \(clean)")
        }
    }

    /// Half the nodes scale their updates by 3·10³⁸. Small updates stay finite but their mean
    /// overflows: the engine discards the non-finite global and keeps the old one. Larger ones
    /// (a higher learning rate) overflow themselves and are rejected; with quorum `.all` every
    /// round fails, and the run reports the failed rounds and goes on (or, when told to,
    /// stops with the round's error).
    @Test func nonFiniteResultsAndFailedRoundsAreReported() async throws {
        let partitions = try iid(Self.train, nodes: 4)
        var c = Self.configuration(try FedAvg(), rounds: 3, byzantine: ByzantineConfiguration(fraction: 0.5, attack: .scale, scale: 3e38))
        c.quorum = .all
        c.learningRate = 0.5
        let overflowing = try await Simulation(configuration: c).run(train: Self.train, test: Self.test, partitions: partitions)
        #expect(overflowing.metrics.allSatisfy { $0.resultRejected?.contains("is inf; kept version 0") == true && $0.roundFailed == nil })
        #expect(overflowing.parameters.flattened().allSatisfy { $0 == 0 })  // logistic regression starts at zero

        c.learningRate = 5
        let failing = try await Simulation(configuration: c).run(train: Self.train, test: Self.test, partitions: partitions)
        #expect(failing.rounds == 3)
        #expect(failing.metrics.allSatisfy { $0.roundFailed?.contains("quorum not met: needed 4 usable updates") == true })
        #expect(failing.metrics.allSatisfy { !$0.rejected.isEmpty && $0.rejected.allSatisfy { $0.reason == .nonFinite } })
        #expect(failing.metrics.last!.version == 0 && failing.parameters.flattened().allSatisfy { $0 == 0 })
        c.stopOnFailedRound = true
        await #expect(throws: RoundError.self) {
            _ = try await Simulation(configuration: c).run(train: Self.train, test: Self.test, partitions: partitions)
        }
    }

    @Test func bufferedFusionRunsInTheSimulation() async throws {
        let partitions = try iid(Self.train, nodes: 8)
        var c = Self.configuration(try FedBuff(bufferSize: 3), rounds: 5, concurrency: 2)
        c.evaluateEvery = 5
        let result = try await Simulation(configuration: c).run(train: Self.train, test: Self.test, partitions: partitions)
        #expect(result.rounds == 5 && result.metrics.map(\.version) == [1, 2, 3, 4, 5])
        #expect(result.metrics.allSatisfy { $0.participants.count == 3 && $0.staleness != nil })
        #expect(result.metrics.filter { $0.testAccuracy != nil }.map(\.round) == [5])
    }

    @Test func stopsAtTheTargetAccuracy() async throws {
        var c = Self.configuration(try FedAvg(), rounds: 30)
        c.targetAccuracy = 0.8
        let result = try await Simulation(configuration: c).run(train: Self.train, test: Self.test, partitions: try iid(Self.train, nodes: 8))
        let reached = try #require(result.roundsToTarget)
        #expect(result.rounds == reached && reached < 30)
        #expect(result.testAccuracy! >= 0.8)
        #expect(result.fields.map(\.key) == ["rounds", "rounds_to_target", "test_accuracy", "best_accuracy", "test_loss", "seconds"])
    }

    /// Dynamic fusion on overlapping classes: some nodes find the global model worse than their
    /// own on their validation samples and decline; the rest are fused.
    @Test func dynamicFusionRunsWithDecliningNodes() async throws {
        let train = blobs(count: 480, separation: 1.2, seed: 11), test = blobs(count: 240, separation: 1.2, seed: 12)
        var c = Self.configuration(try DynamicFusion(timeWindow: .seconds(60), participationTolerance: 0), rounds: 6)
        c.quorum = .count(1)
        c.perRound = 8
        let result = try await Simulation(configuration: c).run(train: train, test: test, partitions: try iid(train, nodes: 8))
        #expect(result.rounds == 6)
        #expect(result.metrics[0].failures.isEmpty)  // no node has a local model yet
        let failures = result.metrics.flatMap(\.failures)
        #expect(!failures.isEmpty && failures.allSatisfy { $0.reason.hasPrefix("declined: ") })
        #expect(result.metrics.allSatisfy { !$0.participants.isEmpty })
    }

    @Test func badInputIsRefused() async throws {
        let sim = Simulation(configuration: Self.configuration(try FedAvg()))
        await #expect(throws: SimulationError.self) {
            _ = try await sim.run(train: Self.train, test: Self.test, partitions: [ClientPartition(id: "a", indices: [0, 9999])])
        }
        await #expect(throws: SimulationError.self) {
            _ = try await sim.run(train: Self.train, test: Self.test, partitions: [ClientPartition(id: "a", indices: [0]), ClientPartition(id: "a", indices: [1])])
        }
        await #expect(throws: SimulationError.self) {
            _ = try await sim.run(train: Self.train, test: Self.test, partitions: [ClientPartition(id: "a", indices: [])])
        }
        var c = Self.configuration(try FedAvg())
        c.perRound = 0
        await #expect(throws: SimulationError.self) {
            _ = try await Simulation(configuration: c).run(train: Self.train, test: Self.test, partitions: try iid(Self.train, nodes: 2))
        }
        await #expect(throws: ModelError.self) {
            _ = try await Simulation(configuration: Self.configuration(try FedAvg(), model: .named("transformer")))
                .run(train: Self.train, test: Self.test, partitions: try iid(Self.train, nodes: 2))
        }
    }
}
