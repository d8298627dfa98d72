import FedDatasets
import FedFusion
import FedTensor

/// The simulation-throughput benchmark of `feddata bench fusion`: `sim-100x2nn` is the FedAvg
/// paper's MNIST setup (100 nodes of 600 samples, 10 per round, E = 1, B = 10, the 2NN),
/// timed in rounds per second without evaluation.
public enum SimulationBenchmark {
    /// What one benchmark run measured.
    public struct Result: Sendable, Equatable {
        /// The benchmark's name, e.g. `sim-100x2nn`.
        public var name: String
        /// Rounds timed (after one untimed warm-up round).
        public var rounds: Int
        /// Their total wall time.
        public var seconds: Double
        /// `rounds / seconds`.
        public var roundsPerSecond: Double
        /// Nodes in the federation.
        public var nodes: Int
        /// Nodes per round.
        public var perRound: Int
        /// Samples per node.
        public var samplesPerNode: Int
        /// Nodes training at once.
        public var concurrency: Int
    }

    /// Runs FedAvg on `nodes` IID nodes of `samplesPerNode` samples each (a seeded random
    /// choice of `nodes × samplesPerNode` samples of `train`) and times `rounds` rounds after a
    /// warm-up round.
    ///
    /// - Parameters:
    ///   - train: the training data (MNIST's 60,000 images for `sim-100x2nn`).
    ///   - model: a model-zoo name (default `2nn`).
    ///   - nodes, samplesPerNode, perRound, localEpochs, batchSize, learningRate: the setup.
    ///   - rounds: rounds to time (at least 1).
    ///   - concurrency: nodes training at once (nil: the cores).
    /// - Throws: `SimulationError` when `train` has too few samples or an option is invalid;
    ///   the simulation's errors.
    public static func run(train: any SampleSource, model: String = "2nn", nodes: Int = 100, samplesPerNode: Int = 600,
                           perRound: Int = 10, localEpochs: Int = 1, batchSize: Int = 10, learningRate: Float = 0.1,
                           rounds: Int = 5, concurrency: Int? = nil, seed: UInt64 = 1) async throws -> Result {
        guard nodes >= 1, samplesPerNode >= 1, rounds >= 1, nodes * samplesPerNode <= train.count else {
            throw SimulationError(.invalidConfiguration, source: "simulation benchmark",
                                  "expected ≥ 1 node, sample and round and at most \(train.count) samples in all; got \(nodes) × \(samplesPerNode), \(rounds) rounds")
        }
        var rng = SeededRandom(seed: seed).derived(stream: 0xBE4C)
        let order = rng.permutation(train.count)
        let partitions = (0..<nodes).map { i in
            ClientPartition(id: "node-\(i)", indices: Array(order[(i * samplesPerNode)..<((i + 1) * samplesPerNode)]).sorted())
        }
        let configuration = SimulationConfiguration(
            model: .named(model), strategy: try FedAvg(), perRound: perRound, rounds: rounds + 1, localEpochs: localEpochs,
            batchSize: batchSize, learningRate: learningRate, seed: seed, concurrency: concurrency, evaluateEvery: nil)
        let simulation = Simulation(configuration: configuration)
        let result = try await simulation.run(train: train, test: train, partitions: partitions)
        let timed = result.metrics.dropFirst().reduce(0) { $0 + $1.seconds }
        return Result(name: "sim-\(nodes)x\(model)", rounds: rounds, seconds: timed, roundsPerSecond: Double(rounds) / max(timed, 1e-9),
                      nodes: nodes, perRound: perRound, samplesPerNode: samplesPerNode, concurrency: configuration.effectiveConcurrency)
    }
}
