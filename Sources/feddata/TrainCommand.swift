import ArgumentParser
import FedDatasets
import FedModels
import FedTensor
import FedWorkloads
import Foundation

/// `feddata train`: central training on one bundled dataset (the baseline for federations).
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a model centrally on a bundled dataset and report its test accuracy."
    )

    @Option(help: "Dataset: \(DatasetCatalog.names.joined(separator: ", ")).")
    var dataset: String = "mnist"

    @Option(help: "Model: \(ModelZoo.names.joined(separator: ", ")).")
    var model: String = "2nn"

    @Option(help: "Passes over the training data (default depends on dataset and model).")
    var epochs: Int?

    @Option(help: "Samples per step.")
    var batch: Int?

    @Option(help: "Optimizer: sgd or adam.")
    var optimizer: String?

    @Option(help: "Learning rate.")
    var lr: Float?

    @Option(help: "SGD momentum.")
    var momentum: Float?

    @Option(name: .customLong("weight-decay"), help: "L2 weight decay.")
    var weightDecay: Float?

    @Option(help: "Learning-rate schedule: constant or cosine (default depends on dataset and model).")
    var schedule: String?

    @Option(help: "Train on at most this many samples (a seeded random subset).")
    var limit: Int?

    @Option(name: .customLong("test-limit"), help: "Evaluate on at most this many test samples (a seeded random subset).")
    var testLimit: Int?

    @Option(help: "Seed of every random choice.")
    var seed: UInt64 = 1

    @Option(help: "Save the trained parameters to this safetensors file.")
    var save: String?

    @Flag(help: "Print JSON Lines (one object per epoch, then a summary).")
    var json = false

    func validate() throws {
        guard DatasetCatalog.names.contains(dataset) else {
            throw ValidationError("unknown dataset '\(dataset)'; expected one of: \(DatasetCatalog.names.joined(separator: ", "))")
        }
        guard ModelZoo.names.contains(model) else {
            throw ValidationError("unknown model '\(model)'; expected one of: \(ModelZoo.names.joined(separator: ", "))")
        }
        if let e = epochs, e < 1 { throw ValidationError("--epochs must be at least 1, got \(e)") }
        if let b = batch, b < 1 { throw ValidationError("--batch must be at least 1, got \(b)") }
        if let l = lr, !(l > 0 && l.isFinite) { throw ValidationError("--lr must be a positive number, got \(l)") }
        if let o = optimizer, !["sgd", "adam"].contains(o) { throw ValidationError("unknown optimizer '\(o)'; expected sgd or adam") }
        if let s = schedule, !["constant", "cosine"].contains(s) { throw ValidationError("unknown schedule '\(s)'; expected constant or cosine") }
        if let l = limit, l < 1 { throw ValidationError("--limit must be at least 1, got \(l)") }
        if let l = testLimit, l < 1 { throw ValidationError("--test-limit must be at least 1, got \(l)") }
    }

    func run() throws {
        let data = try DatasetCatalog.load(dataset)
        let net = try ModelZoo.make(model, inputShape: data.sampleShape, classCount: data.classCount)
        var config = TrainingDefaults.configuration(dataset: dataset, model: model)
        config.seed = seed
        if let e = epochs { config.epochs = e }
        if let b = batch { config.batchSize = b }
        if let s = schedule { config.schedule = s == "cosine" ? .cosine : .constant }
        config.optimizer = OptimizerOptions(name: optimizer, lr: lr, momentum: momentum, weightDecay: weightDecay).apply(to: config.optimizer)
        var train = data.train
        if let cap = limit ?? data.defaultTrainingLimit, cap < train.count {
            var rng = SeededRandom(seed: seed).derived(stream: 99)
            train = SampleSubset(train, limit: cap, rng: &rng)
        }
        var test = data.test
        if let cap = testLimit ?? data.defaultTestLimit, cap < test.count {
            var rng = SeededRandom(seed: seed).derived(stream: 98)
            test = SampleSubset(test, limit: cap, rng: &rng)
        }
        if !json {
            note("train \(model) (\(net.parameterCount) parameters) on \(dataset): \(train.count) training samples, \(test.count) test samples")
            note("\(config.epochs) epochs, batch \(config.batchSize), \(config.optimizer.summary), \(config.schedule) schedule, seed \(seed)")
        }
        let result = try runTraining(net, train: train, test: test, config: config)
        let last = result.epochs.last!
        if let path = save {
            try SafeTensors.save(result.parameters, to: URL(fileURLWithPath: path),
                                 metadata: ["model": model, "dataset": dataset, "format": "feddata",
                                            "test_accuracy": String(last.test.accuracy)])
        }
        let samplesPerSecond = result.epochs.map(\.samplesPerSecond).reduce(0, +) / Double(result.epochs.count)
        if json {
            emit(JSONLine(["dataset": .string(dataset), "model": .string(model), "parameters": .integer(net.parameterCount),
                           "epochs": .integer(config.epochs), "train_samples": .integer(train.count),
                           "test_loss": .number(last.test.loss), "test_accuracy": .number(last.test.accuracy),
                           "samples_per_s": .number(samplesPerSecond), "seconds": .number(result.seconds),
                           "peak_rss_mb": .number(peakResidentMegabytes())]))
        } else {
            print(String(format: "test accuracy %.2f%% (loss %.4f) after %d epochs, %.1f s, %.0f samples/s",
                         100 * last.test.accuracy, last.test.loss, config.epochs, result.seconds, samplesPerSecond))
            if let path = save { print("saved \(path)") }
        }
    }

    func runTraining<M: Model>(_ net: M, train: any SampleSource, test: any SampleSource, config: TrainingConfiguration) throws -> TrainingResult {
        var bar = ProgressBar(total: 0, label: "epoch 1", enabled: !json && isatty(STDERR_FILENO) != 0)
        var epoch = 1
        return CentralTraining.run(
            model: net, train: train, test: test, configuration: config,
            progress: { step, steps, loss in
                if step == 1 { bar = ProgressBar(total: steps, label: "epoch \(epoch)", enabled: bar.enabled) }
                bar.update(step: step, loss: loss, force: step == steps)
            },
            epochEnded: { r in
                bar.finish()
                epoch = r.epoch + 1
                if json {
                    emit(JSONLine(["epoch": .integer(r.epoch), "train_loss": .number(r.trainLoss), "test_loss": .number(r.test.loss),
                                   "test_accuracy": .number(r.test.accuracy), "seconds": .number(r.seconds),
                                   "samples_per_s": .number(r.samplesPerSecond)]))
                } else {
                    note(String(format: "epoch %d: train loss %.4f, test loss %.4f, test accuracy %.2f%%, %.1f s (%.0f samples/s)",
                                r.epoch, r.trainLoss, r.test.loss, 100 * r.test.accuracy, r.seconds, r.samplesPerSecond))
                }
            })
    }
}

/// Optimizer overrides from the command line applied on top of a default.
struct OptimizerOptions {
    var name: String?
    var lr: Float?
    var momentum: Float?
    var weightDecay: Float?

    func apply(to base: OptimizerChoice) -> OptimizerChoice {
        var (kind, baseLR, baseMomentum, baseWD): (String, Float, Float, Float)
        switch base {
        case let .sgd(l, m, w): (kind, baseLR, baseMomentum, baseWD) = ("sgd", l, m, w)
        case let .adam(l, w): (kind, baseLR, baseMomentum, baseWD) = ("adam", l, 0, w)
        }
        if let n = name, n != kind {
            kind = n
            baseLR = n == "adam" ? 1e-3 : 0.05
        }
        let l = lr ?? baseLR, w = weightDecay ?? baseWD
        return kind == "adam" ? .adam(learningRate: l, weightDecay: w) : .sgd(learningRate: l, momentum: momentum ?? baseMomentum, weightDecay: w)
    }
}
