import FedDatasets
import FedModels
import FedTensor

/// The measured training throughput of one model at one batch size.
public struct TrainingBenchmarkResult: Sendable, Equatable {
    /// The bench name, e.g. `train-2nn-b32`.
    public var name: String
    /// Samples per second over the fastest timed repeat.
    public var samplesPerSecond: Double
    /// Seconds per training step in that repeat.
    public var secondsPerStep: Double
    /// Steps timed in all.
    public var steps: Int
}

/// Measures training steps per second (forward, backward, SGD update) on real batches.
public enum TrainingBenchmark {
    /// Times training steps of `modelName` on batches of `batchSize` drawn from `data`.
    ///
    /// The batches are cut before timing (the cost of the data pipeline is not measured); the
    /// parameters are really updated, so the numbers include the optimizer. Warm-up first; the
    /// fastest of `repeats` timed repeats is reported (the least disturbed on a shared machine).
    /// - Throws: `ModelError` if the model does not fit the data.
    public static func measure(modelName: String, data: any SampleSource, batchSize: Int = 32,
                               minSeconds: Double = 2, repeats: Int = 5) throws -> TrainingBenchmarkResult {
        let model = try ModelZoo.make(modelName, inputShape: data.sampleShape, classCount: data.classCount)
        return measure(model, name: "train-\(modelName)-b\(batchSize)", data: data, batchSize: batchSize, minSeconds: minSeconds, repeats: repeats)
    }

    static func measure<M: Model>(_ model: M, name: String, data: any SampleSource, batchSize: Int,
                                  minSeconds: Double, repeats: Int) -> TrainingBenchmarkResult {
        var rng = SeededRandom(seed: 7)
        let order = rng.permutation(data.count)
        let batchCount = min(64, data.count / batchSize)
        let batches = (0..<batchCount).map { i in data.batch(order[(i * batchSize)..<((i + 1) * batchSize)]) }
        var trainer = ModelTrainer(model: model, parameters: model.initialParameters(rng: &rng),
                                   optimizer: SGD(learningRate: 0.01, momentum: 0.9))
        var next = 0
        func step() {
            trainer.step(batches[next])
            next = (next + 1) % batches.count
        }
        let warmUp = ContinuousClock.now
        repeat { step() } while elapsedSeconds(since: warmUp) < min(0.5, minSeconds / 4)
        var best = Double.infinity, total = 0
        for _ in 0..<repeats {
            let start = ContinuousClock.now
            var steps = 0
            var elapsed = 0.0
            repeat {
                step()
                steps += 1
                elapsed = elapsedSeconds(since: start)
            } while elapsed < minSeconds / Double(repeats)
            total += steps
            best = min(best, elapsed / Double(steps))
        }
        return TrainingBenchmarkResult(name: name, samplesPerSecond: Double(batchSize) / best, secondsPerStep: best, steps: total)
    }
}
