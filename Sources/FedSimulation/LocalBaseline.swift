import FedDatasets
import FedModels
import FedTensor

/// One node training alone, with no federation: the baseline a federated model is compared
/// with (e.g. each Heart Disease hospital on its own data).
public enum LocalBaseline {
    /// What training alone produced.
    public struct Result: Sendable {
        /// The trained parameters.
        public var parameters: ModelParameters
        /// Their evaluation on the test data.
        public var evaluation: Evaluation
        /// The mean training loss over all steps.
        public var trainLoss: Double
    }

    /// Trains a model from the simulation's initial parameters on the samples `indices` of
    /// `train` for `epochs` epochs of minibatch SGD, and evaluates it on `test`.
    ///
    /// - Parameters:
    ///   - model: the architecture (as a simulation would resolve it).
    ///   - initial: the starting parameters (use `Simulation.initialParameters(for:)` to start
    ///     where the federation starts).
    ///   - train: the training data; `indices` select the node's samples.
    ///   - test: the evaluation data (all of it, or `testIndices`).
    ///   - epochs, batchSize, learningRate, optimizer: the local SGD.
    ///   - seed: the seed of the shuffles.
    /// - Throws: `ModelError` when `initial` does not fit `model`; `SimulationError` for bad options.
    public static func train(model: any Model, initial: ModelParameters, train: any SampleSource, indices: [Int],
                             test: any SampleSource, testIndices: [Int]? = nil, epochs: Int, batchSize: Int, learningRate: Float,
                             optimizer: NodeOptimizer = NodeOptimizer(), seed: UInt64 = 1) throws -> Result {
        guard epochs >= 1, batchSize >= 1, learningRate > 0, !indices.isEmpty else {
            throw SimulationError(.invalidConfiguration, source: "local baseline",
                                  "expected epochs ≥ 1, batch ≥ 1, a positive learning rate and some samples; got \(epochs), \(batchSize), \(learningRate), \(indices.count) samples")
        }
        return try run(model: model, initial: initial, train: train, indices: indices, test: test,
                       testIndices: testIndices ?? Array(0..<test.count), epochs: epochs, batchSize: batchSize,
                       learningRate: learningRate, optimizer: optimizer, seed: seed)
    }

    private static func run<M: Model>(model: M, initial: ModelParameters, train: any SampleSource, indices: [Int], test: any SampleSource,
                                      testIndices: [Int], epochs: Int, batchSize: Int, learningRate: Float, optimizer: NodeOptimizer,
                                      seed: UInt64) throws -> Result {
        try initial.validate(against: model.parameterSpecs, source: "local baseline initial parameters")
        var rng = SeededRandom(seed: seed).derived(stream: 0xBA5E)
        let outcome = try LocalTraining.run(
            model: model, start: initial, data: train, indices: indices, epochs: epochs, batchSize: batchSize,
            optimizer: SGD(learningRate: learningRate, momentum: optimizer.momentum, weightDecay: optimizer.weightDecay),
            proximalMu: 0, rng: &rng)
        let parameters = outcome.parameters
        return Result(parameters: parameters, evaluation: LocalTraining.evaluate(model: model, parameters: parameters, data: test, indices: testIndices),
                      trainLoss: outcome.meanLoss)
    }
}
