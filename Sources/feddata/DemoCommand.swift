import ArgumentParser
import FedModels
import FedTensor
import FedWorkloads
import Foundation

/// `feddata demo`: the main job on bundled real data. Until federated training lands, it trains
/// the FedAvg paper's 2NN centrally on the full MNIST and reports the test accuracy per epoch.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Train on bundled real data (MNIST, 60,000 images) and report the test accuracy, in under a minute."
    )

    @Option(help: "Passes over MNIST.")
    var epochs: Int = 5

    @Flag(help: "Print JSON Lines.")
    var json = false

    func run() throws {
        let start = ContinuousClock.now
        let data = try DatasetCatalog.load("mnist")
        let model = MLP.twoNN()
        var config = TrainingDefaults.configuration(dataset: "mnist", model: "2nn")
        config.epochs = epochs
        if !json {
            print("FedData demo: the 2NN of McMahan et al. (784-200-200-10, \(model.parameterCount) parameters)")
            print("trained on the bundled MNIST (\(data.train.count) training images, \(data.test.count) test images), \(config.optimizer.summary)")
        }
        let result = CentralTraining.run(model: model, train: data.train, test: data.test, configuration: config, epochEnded: { r in
            if json {
                emit(JSONLine(["epoch": .integer(r.epoch), "train_loss": .number(r.trainLoss), "test_accuracy": .number(r.test.accuracy),
                               "seconds": .number(r.seconds), "samples_per_s": .number(r.samplesPerSecond.rounded())]))
            } else {
                print(String(format: "epoch %d  train loss %.4f  test accuracy %.2f%%  (%.1f s, %.0f samples/s)",
                             r.epoch, r.trainLoss, 100 * r.test.accuracy, r.seconds, r.samplesPerSecond))
            }
        })
        let total = ContinuousClock.now - start
        let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) * 1e-18
        let accuracy = result.epochs.last!.test.accuracy
        if json {
            emit(JSONLine(["dataset": .string("mnist"), "model": .string("2nn"), "test_accuracy": .number(accuracy),
                           "seconds": .number(seconds), "peak_rss_mb": .number(peakResidentMegabytes().rounded())]))
        } else {
            print(String(format: "done: %.2f%% test accuracy in %.1f s (data loading included)", 100 * accuracy, seconds))
        }
    }
}
