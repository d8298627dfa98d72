import FedDatasets
import FedModels
import FedTensor

/// How to train a model centrally (all data in one place): the baseline every federated run
/// is compared with.
public struct TrainingConfiguration: Sendable, Equatable {
    /// Passes over the training data.
    public var epochs: Int
    /// Samples per step.
    public var batchSize: Int
    /// The optimizer and its hyperparameters.
    public var optimizer: OptimizerChoice
    /// The seed of every random choice (initialisation, shuffling).
    public var seed: UInt64
    /// Samples per evaluation batch.
    public var evaluationBatchSize: Int
    /// How the learning rate changes over the run's steps.
    public var schedule: LearningRateSchedule

    /// Creates a configuration.
    public init(epochs: Int, batchSize: Int, optimizer: OptimizerChoice, seed: UInt64 = 1, evaluationBatchSize: Int = 256,
                schedule: LearningRateSchedule = .constant) {
        self.epochs = epochs
        self.batchSize = batchSize
        self.optimizer = optimizer
        self.seed = seed
        self.evaluationBatchSize = evaluationBatchSize
        self.schedule = schedule
    }
}

/// What one epoch of central training produced.
public struct EpochReport: Sendable, Equatable {
    /// The epoch, from 1.
    public var epoch: Int
    /// The mean training loss over the epoch's steps.
    public var trainLoss: Double
    /// The evaluation on the test set after the epoch.
    public var test: Evaluation
    /// Wall time of the epoch's training steps (evaluation excluded).
    public var seconds: Double
    /// Training throughput.
    public var samplesPerSecond: Double
}

/// The result of a central training run.
public struct TrainingResult: Sendable {
    /// One report per epoch.
    public var epochs: [EpochReport]
    /// The trained parameters.
    public var parameters: ModelParameters
    /// Total wall time, evaluation included.
    public var seconds: Double
}

/// Central (non-federated) training: minibatch optimisation over shuffled epochs.
public enum CentralTraining {
    /// Trains `model` on `train` and evaluates on `test` after each epoch.
    ///
    /// - Parameters:
    ///   - progress: called after every step with (step, steps per epoch, batch loss).
    ///   - epochEnded: called after every epoch's evaluation.
    public static func run<M: Model>(
        model: M, train: some SampleSource, test: some SampleSource, configuration c: TrainingConfiguration,
        progress: (_ step: Int, _ stepsPerEpoch: Int, _ loss: Float) -> Void = { _, _, _ in },
        epochEnded: (EpochReport) -> Void = { _ in }
    ) -> TrainingResult {
        let start = ContinuousClock.now
        let rng = SeededRandom(seed: c.seed)
        var initRNG = rng.derived(stream: 0)
        var trainer = ModelTrainer(model: model, parameters: model.initialParameters(rng: &initRNG), optimizer: c.optimizer.make())
        let stepsPerEpoch = (train.count + c.batchSize - 1) / c.batchSize
        var reports: [EpochReport] = []
        let baseRate = trainer.optimizer.learningRate
        let totalSteps = stepsPerEpoch * max(1, c.epochs)
        for epoch in 1...max(1, c.epochs) {
            var shuffle = rng.derived(stream: UInt64(epoch))
            let order = shuffle.permutation(train.count)
            let epochStart = ContinuousClock.now
            var lossSum = 0.0
            for s in 0..<stepsPerEpoch {
                trainer.optimizer.learningRate = c.schedule.rate(base: baseRate, step: (epoch - 1) * stepsPerEpoch + s, totalSteps: totalSteps)
                let lo = s * c.batchSize, hi = min(train.count, lo + c.batchSize)
                let loss = trainer.step(train.batch(order[lo..<hi]))
                lossSum += Double(loss)
                progress(s + 1, stepsPerEpoch, loss)
            }
            let trainSeconds = elapsedSeconds(since: epochStart)
            let evaluation = evaluate(model: model, parameters: trainer.parameters, on: test, batchSize: c.evaluationBatchSize)
            let report = EpochReport(epoch: epoch, trainLoss: lossSum / Double(max(1, stepsPerEpoch)), test: evaluation,
                                     seconds: trainSeconds, samplesPerSecond: Double(train.count) / max(trainSeconds, 1e-9))
            reports.append(report)
            epochEnded(report)
        }
        return TrainingResult(epochs: reports, parameters: trainer.parameters, seconds: elapsedSeconds(since: start))
    }

    /// Evaluates parameters on every sample of `data`, in order, in batches.
    public static func evaluate<M: Model>(model: M, parameters: ModelParameters, on data: some SampleSource, batchSize: Int = 256) -> Evaluation {
        let indices = Array(0..<data.count)
        let batches = stride(from: 0, to: data.count, by: batchSize).lazy.map { lo in
            data.batch(indices[lo..<min(data.count, lo + batchSize)])
        }
        return model.evaluate(parameters, on: batches)
    }
}

func elapsedSeconds(since start: ContinuousClock.Instant) -> Double {
    let d = ContinuousClock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}
