import FedDatasets
import FedFusion
import FedModels
import FedRound
import FedTensor
import Testing
@testable import FedSimulation

@Suite struct SimulatedNodeTests {
    static let data = blobs(count: 60, seed: 4)
    static let model = LogisticRegression(inputShape: [4], classCount: 3)
    static let zeros = [Float](repeating: 0, count: 15)

    static func task(_ instructions: [String: Double] = [:], round: Int = 1, parameters: [Float] = zeros) -> TrainingTask {
        TrainingTask(round: round, version: 0, parameters: parameters,
                     configuration: LocalTrainingConfiguration(localEpochs: 2, batchSize: 8, learningRate: 0.1, instructions: instructions))
    }

    static func delta(_ reply: TrainingReply) -> [Float] {
        if case .update(let d, _) = reply.outcome { return d }
        return []
    }

    @Test func trainsReproduciblyAndReportsLoss() throws {
        let node = SimulatedNode(id: "n", indices: Array(0..<30), seed: 5)
        let a = try node.train(Self.task(), model: Self.model, data: Self.data)
        let b = try node.train(Self.task(), model: Self.model, data: Self.data)
        #expect(a == b)
        #expect(a.nodeID == "n" && a.round == 1)
        guard case .update(let delta, let samples) = a.outcome else {
            Issue.record("expected an update")
            return
        }
        #expect(samples == 30 && delta.count == 15 && delta.contains { $0 != 0 })
        #expect(a.metrics["train_loss"].map { $0 > 0 && $0 < 2 } == true)
        // Another round shuffles differently.
        #expect(try node.train(Self.task(round: 2), model: Self.model, data: Self.data).metrics != a.metrics)
    }

    @Test func badTasksThrowInsteadOfTrapping() {
        let node = SimulatedNode(id: "n", indices: [0, 1], seed: 5)
        #expect(throws: ModelError.self) { try node.train(Self.task(parameters: [0, 0]), model: Self.model, data: Self.data) }
        var bad = Self.task()
        bad.configuration.learningRate = -1
        #expect(throws: RoundError.self) { try node.train(bad, model: Self.model, data: Self.data) }
    }

    @Test(arguments: [ByzantineAttack.signFlip, .scale])
    func attacksTransformTheHonestDelta(attack: ByzantineAttack) throws {
        let honest = SimulatedNode(id: "n", indices: Array(0..<30), seed: 5)
        let evil = SimulatedNode(id: "n", indices: Array(0..<30), seed: 5, attack: ByzantineConfiguration(fraction: 0.5, attack: attack, scale: 10))
        let h = Self.delta(try honest.train(Self.task(), model: Self.model, data: Self.data))
        let e = Self.delta(try evil.train(Self.task(), model: Self.model, data: Self.data))
        #expect(e == h.map { (attack == .signFlip ? -10 : 10) * $0 })
    }

    @Test func gaussianAttackSendsNoise() throws {
        let evil = SimulatedNode(id: "n", indices: Array(0..<30), seed: 5, attack: ByzantineConfiguration(fraction: 0.5, attack: .gaussian, scale: 3))
        let e = Self.delta(try evil.train(Self.task(), model: Self.model, data: Self.data))
        #expect(e.count == 15)
        let rms = (e.map { Double($0 * $0) }.reduce(0, +) / 15).squareRoot()
        #expect(rms > 1 && rms < 6)
    }

    /// FedProx: a strong proximal term keeps the local model near the global one.
    @Test func proximalTermShrinksTheDelta() throws {
        let node = SimulatedNode(id: "n", indices: Array(0..<30), seed: 5)
        func norm(_ d: [Float]) -> Float { d.map { $0 * $0 }.reduce(0, +).squareRoot() }
        let plain = norm(Self.delta(try node.train(Self.task(), model: Self.model, data: Self.data)))
        let prox = norm(Self.delta(try node.train(Self.task(["proximal_mu": 5]), model: Self.model, data: Self.data)))
        #expect(prox < 0.8 * plain, "prox \(prox), plain \(plain)")
    }

    /// The proximal gradient is μ(w − w₀), checked against a hand computation.
    @Test func proximalGradientByHand() {
        var g = [Tensor(shape: [2], scalars: [1, 1])]
        let w = ModelParameters(names: ["w"], tensors: [Tensor(shape: [2], scalars: [3, -1])])
        let w0 = ModelParameters(names: ["w"], tensors: [Tensor(shape: [2], scalars: [1, 1])])
        LocalTraining.addProximalGradient(&g, mu: 0.5, parameters: w, anchor: w0)
        #expect(g[0].scalars == [2, 0])  // 1 + 0.5·2, 1 + 0.5·(−2)
    }

    /// Dynamic fusion: the first time a node takes part; once it remembers a good local model, a
    /// worse global model makes it decline.
    @Test func dynamicFusionNodeDeclinesWhenTheGlobalModelIsWorse() throws {
        let node = SimulatedNode(id: "n", indices: Array(0..<60), seed: 5)
        let memory = LocalAccuracyMemory()
        let first = try node.train(Self.task(["participation_tolerance": 0]), model: Self.model, data: Self.data, memory: memory)
        guard case .update(_, let samples) = first.outcome else {
            Issue.record("a node without a local model takes part")
            return
        }
        #expect(samples == 54)  // 10% held out for validation
        let local = try #require(memory.accuracy(of: "n"))
        #expect(local > 0.5 && first.metrics["validation_accuracy"] == local)
        // The zero model scores 1/3 at best: worse than the local model.
        let second = try node.train(Self.task(["participation_tolerance": 0], round: 2), model: Self.model, data: Self.data, memory: memory)
        guard case .declined = second.outcome else {
            Issue.record("expected the node to decline, got \(second.outcome)")
            return
        }
        // A generous tolerance lets it take part again.
        let third = try node.train(Self.task(["participation_tolerance": 1], round: 3), model: Self.model, data: Self.data, memory: memory)
        guard case .update = third.outcome else {
            Issue.record("expected an update with tolerance 1")
            return
        }
        let (train, validation) = node.holdOut()
        #expect(Set(train).isDisjoint(with: validation) && train.count + validation.count == 60)
    }

    @Test func maliciousNodesAreSeededAndCounted() throws {
        let b = ByzantineConfiguration(fraction: 0.2, attack: .signFlip, scale: 10)
        let chosen = b.maliciousNodes(nodeCount: 100, seed: 1)
        #expect(chosen.count == 20 && chosen == b.maliciousNodes(nodeCount: 100, seed: 1) && chosen != b.maliciousNodes(nodeCount: 100, seed: 2))
        #expect(ByzantineConfiguration(fraction: 0, attack: .scale).maliciousNodes(nodeCount: 100, seed: 1).isEmpty)
        #expect(throws: SimulationError.self) { try ByzantineAttack(name: "nope") }
        #expect(try ByzantineAttack(name: "sign-flip") == .signFlip)
    }

    @Test(arguments: [("iid", PartitionScheme.iid), ("dirichlet:0.5", .dirichlet(alpha: 0.5)), ("shards", .shards(perNode: 2)),
                      ("shards:3", .shards(perNode: 3))])
    func partitionSchemesParse(text: String, scheme: PartitionScheme) throws {
        #expect(try PartitionScheme(parsing: text) == scheme)
        let parts = try scheme.partition(Self.data, nodes: 5, seed: 1)
        #expect(parts.count == 5 && parts.flatMap(\.indices).sorted() == Array(0..<60))
    }

    @Test(arguments: ["", "dirichlet", "dirichlet:-1", "shards:0", "natural", "iid:2"])
    func badPartitionSchemesThrow(text: String) {
        #expect(throws: SimulationError.self) { try PartitionScheme(parsing: text) }
    }

    @Test func localBaselineTrainsAlone() throws {
        let test = blobs(count: 90, seed: 9)
        let initial = Simulation(configuration: SimulationConfiguration(model: .named("logreg"), strategy: try FedAvg())).initialParameters(for: Self.model)
        let r = try LocalBaseline.train(model: Self.model, initial: initial, train: Self.data, indices: Array(0..<60), test: test,
                                        epochs: 5, batchSize: 8, learningRate: 0.1)
        #expect(r.evaluation.accuracy > 0.9 && r.evaluation.count == 90)
        #expect(throws: SimulationError.self) {
            try LocalBaseline.train(model: Self.model, initial: initial, train: Self.data, indices: [], test: test, epochs: 1, batchSize: 8, learningRate: 0.1)
        }
    }
}
