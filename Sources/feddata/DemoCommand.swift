import ArgumentParser
import FedDatasets
import FedFusion
import FedModels
import FedSimulation
import FedTensor
import FedWorkloads
import Foundation

/// `feddata demo`: federated learning on bundled real data, in about a minute.
///
/// 1. UCI Heart Disease, naturally split over 4 hospitals: a federation of the 4 trains one
///    logistic regression with FedAvg, compared with each hospital training alone (all evaluated
///    on the same held-out patients of all 4 hospitals).
/// 2. MNIST over 100 simulated nodes (the FedAvg paper's setup: 10 per round, E=1, B=10, the 2NN).
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Federated learning on bundled real data: 4 hospitals (Heart Disease) and 100 MNIST nodes, in about a minute."
    )

    @Option(name: .customLong("heart-rounds"), help: "Rounds of the Heart Disease federation.")
    var heartRounds: Int = 30

    @Option(name: .customLong("mnist-rounds"), help: "Rounds of the 100-node MNIST federation.")
    var mnistRounds: Int = 45

    @Option(help: "Seed of every random choice.")
    var seed: UInt64 = 1

    @Flag(help: "Print JSON Lines.")
    var json = false

    func validate() throws {
        guard heartRounds >= 1, mnistRounds >= 1 else { throw ValidationError("--heart-rounds and --mnist-rounds must be at least 1") }
    }

    func say(_ text: String) { if !json { print(text) } }

    func run() async throws {
        let start = ContinuousClock.now
        let federated = try await heartDisease()
        try await mnist()
        let total = seconds(ContinuousClock.now - start)
        if json {
            emit(JSONLine(["demo": .string("done"), "heart_federated_accuracy": .number(federated), "seconds": .number(total),
                           "peak_rss_mb": .number(peakResidentMegabytes().rounded())]))
        } else {
            print(String(format: "\ndemo finished in %.1f s (peak RSS %.0f MB)", total, peakResidentMegabytes()))
        }
    }

    /// The 4-hospital federation and each hospital alone; returns the federated accuracy.
    func heartDisease() async throws -> Double {
        let data = try DatasetCatalog.load("heart-disease")
        let hospitals = data.naturalPartition!
        say("== UCI Heart Disease: 4 hospitals, each keeps its patients; logistic regression, FedAvg ==")
        say("   " + hospitals.map { "\($0.id) \($0.count)" }.joined(separator: ", ") + " training patients; \(data.test.count) held-out patients of all 4")
        let epochs = 1, batch = 16
        let lr: Float = 0.05
        let config = SimulationConfiguration(
            model: .named("logreg"), strategy: try FedAvg(), perRound: hospitals.count, rounds: heartRounds,
            localEpochs: epochs, batchSize: batch, learningRate: lr, seed: seed, concurrency: 1)
        let result = try await Simulation(configuration: config).run(train: data.train, test: data.test, partitions: hospitals) { m in
            if json {
                var line = JSONLine(m.fields)
                line["demo"] = .string("heart-disease")
                emit(line)
            } else if m.round <= 5 || m.round % 5 == 0, let acc = m.testAccuracy {
                print(String(format: "   round %2d  test accuracy %.1f%%  train loss %.3f", m.round, 100 * acc, m.trainLoss ?? .nan))
            }
        }
        let federated = result.testAccuracy ?? 0
        let model = try ModelZoo.make("logreg", inputShape: data.sampleShape, classCount: data.classCount)
        let initial = Simulation(configuration: config).initialParameters(for: model)
        say("   each hospital alone (\(heartRounds) epochs on its own patients), on the same held-out patients:")
        for h in hospitals {
            let alone = try LocalBaseline.train(model: model, initial: initial, train: data.train, indices: h.indices, test: data.test,
                                                epochs: heartRounds * epochs, batchSize: batch, learningRate: lr, seed: seed)
            if json {
                emit(JSONLine(["demo": .string("heart-disease-alone"), "hospital": .string(h.id), "test_accuracy": .number(alone.evaluation.accuracy)]))
            } else {
                print("     " + h.id.padding(toLength: 15, withPad: " ", startingAt: 0) + String(format: "%.1f%%", 100 * alone.evaluation.accuracy))
            }
        }
        say(String(format: "   federated (all 4, no patient leaves its hospital): %.1f%%", 100 * federated))
        return federated
    }

    /// 100 MNIST nodes, 10 per round.
    func mnist() async throws {
        let data = try DatasetCatalog.load("mnist")
        let partitions = try PartitionScheme.iid.partition(data.train, nodes: 100, seed: seed)
        say("\n== MNIST: 100 nodes with 600 images each, 10 per round, E=1, B=10, the 2NN (199,210 parameters), FedAvg ==")
        let config = SimulationConfiguration(
            model: .named("2nn"), strategy: try FedAvg(), perRound: 10, rounds: mnistRounds, localEpochs: 1, batchSize: 10,
            learningRate: 0.2, seed: seed)
        let result = try await Simulation(configuration: config).run(train: data.train, test: data.test, partitions: partitions) { m in
            if json {
                var line = JSONLine(m.fields)
                line["demo"] = .string("mnist")
                emit(line)
            } else if m.round <= 3 || m.round % 5 == 0, let acc = m.testAccuracy {
                print(String(format: "   round %2d  test accuracy %.2f%%  train loss %.3f  (%.2f s)", m.round, 100 * acc, m.trainLoss ?? .nan, m.seconds))
            }
        }
        if json {
            var line = JSONLine(result.fields)
            line["demo"] = .string("mnist-summary")
            emit(line)
        } else {
            print(String(format: "   after %d rounds: %.2f%% test accuracy (best %.2f%%), %.1f s", result.rounds,
                         100 * (result.testAccuracy ?? 0), 100 * (result.bestAccuracy ?? 0), result.seconds))
        }
    }
}
