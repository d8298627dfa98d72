import ArgumentParser
import FedCoordinator
import FedModels
import FedRound
import FedStore
import FedWorkloads
import Foundation

/// `feddata coordinator`: the federation's server. Nodes call in over gRPC with mutual TLS; the
/// round engine runs the rounds; every round is committed to the state file before it is
/// reported, so `--resume` continues a run killed at any moment.
struct CoordinatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Run a federation's coordinator: nodes connect over gRPC with mutual TLS; state is durable (SQLite, WAL).",
        discussion: """
            Every option can also come from --config FILE (TOML): the same names without dashes, e.g. rounds = 10, \
            listen = "0.0.0.0:7070", [tls] pki = "./pki", name = "coordinator". Options on the command line win.
            """
    )

    @Option(help: "A TOML configuration file.") var config: String?
    @Option(help: "Address to listen on (host:port; port 0 picks a free one). Default 127.0.0.1:7070.") var listen: String?
    @OptionGroup var tls: TLSOptions
    @Option(help: "Admit only these node names (comma-separated); default: every certificate of the federation CA.") var allow: String?
    @Option(help: "The state file (SQLite). Default feddata-state.db.") var state: String?
    @Flag(help: "Continue the state file's unfinished run (with its stored configuration).") var resume = false

    @Option(help: "Dataset whose sample shape and classes the model takes: heart-disease, mnist, femnist.") var dataset: String?
    @Option(help: "Model: logreg, 2nn, cnn, char-lstm. Default logreg.") var model: String?
    @Option(help: "Sample shape, e.g. 13 or 28x28x1 (instead of --dataset).") var inputShape: String?
    @Option(help: "Number of classes (instead of --dataset).") var classes: Int?
    @Option(help: "Fusion strategy (as `feddata simulate`). Default fedavg.") var strategy: String?
    @Option(help: "A strategy option key=value (repeatable).") var strategyOption: [String] = []
    @Option(help: "Rounds. Default 10.") var rounds: Int?
    @Option(help: "Nodes that must register before the first round (the run's roster). Default 2.") var nodes: Int?
    @Option(help: "Nodes per round. Default: all.") var perRound: Int?
    @Option(help: "Nodes that must be live before a round starts. Default: the round's quorum.") var minAvailable: Int?
    @Option(help: "Fraction of selected nodes whose updates a round needs. Default 0.5.") var quorum: Double?
    @Option(help: "Local epochs (E). Default 1.") var localEpochs: Int?
    @Option(help: "Local batch size (B). Default 10.") var batch: Int?
    @Option(help: "Local learning rate. Default 0.1.") var lr: Float?
    @Option(help: "Seed of the initial model, the selection and the nodes' randomness. Default 1.") var seed: UInt64?
    @Option(help: "Federated evaluation every N rounds (0: never). Default 1.") var evalEvery: Int?
    @Option(help: "Seconds a round waits for a node. Default 600.") var nodeTimeout: Double?
    @Option(help: "Seconds between node heartbeats. Default 1.") var heartbeatInterval: Double?
    @Option(help: "Seconds of silence after which a node counts as gone. Default 5.") var heartbeatTimeout: Double?

    @Option(help: "Save the final model here (safetensors).") var save: String?
    @Option(help: "Write the bound port to this file once listening (for scripts using port 0).") var portFile: String?
    @Flag(help: "Print JSON Lines: one per round, then a summary.") var json = false
    @Flag(name: .customLong("secure-aggregation"),
          help: "Secure aggregation (SecAgg+): the coordinator learns only the sum of each round's updates. Nodes need --secure-aggregation too.")
    var secureAggregation = false
    @OptionGroup(title: "Differential privacy") var privacy: PrivacyOptions

    func run() async throws {
        let file = try loadConfig(config)
        let source = config ?? "command line"
        let listenText = try listen ?? file?.string("listen") ?? "127.0.0.1:7070"
        let (host, port) = try parseEndpoint(listenText, option: "--listen")
        let material = try tls.material(config: file, defaultName: "coordinator")
        if material == nil {
            note("WARNING: --insecure: no TLS and no client certificates; any process that can reach \(listenText) can join. Loopback development only.")
        }
        let allowText = try allow ?? file?.strings("allow")?.joined(separator: ",")
        let allowList = allowText.map { Set($0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }) }

        var shape: [Int]? = try inputShape.map(parseShape) ?? file?.string("input-shape").map(parseShape)
        var classCount = try classes ?? file?.int("classes")
        if let name = try dataset ?? file?.string("dataset") {
            let d = try DatasetCatalog.load(name)
            shape = shape ?? d.sampleShape
            classCount = classCount ?? d.classCount
        }
        guard let shape, let classCount else {
            throw WorkloadError(source: source, "expected --dataset, or --input-shape and --classes, to know the model's input and output")
        }
        var options: [String: String] = [:]
        for o in strategyOption + (try file?.strings("strategy-option") ?? []) {
            let kv = o.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { throw WorkloadError(source: "--strategy-option \(o)", "expected key=value") }
            options[kv[0]] = kv[1]
        }
        let nodeCount = try nodes ?? file?.int("nodes") ?? 2
        var configuration = CoordinatorConfiguration(
            model: try model ?? file?.string("model") ?? "logreg", inputShape: shape, classCount: classCount,
            strategy: try strategy ?? file?.string("strategy") ?? "fedavg", strategyOptions: options,
            rounds: try rounds ?? file?.int("rounds") ?? 10, nodes: nodeCount, perRound: try perRound ?? file?.int("per-round") ?? nodeCount,
            quorum: try quorum ?? file?.double("quorum") ?? 0.5, localEpochs: try localEpochs ?? file?.int("local-epochs") ?? 1,
            batchSize: try batch ?? file?.int("batch") ?? 10, learningRate: try lr ?? (file?.double("lr")).map(Float.init) ?? 0.1,
            seed: try seed ?? (file?.int("seed")).map(UInt64.init) ?? 1, evaluateEvery: try evalEvery ?? file?.int("eval-every") ?? 1,
            nodeTimeoutSeconds: try nodeTimeout ?? file?.double("node-timeout") ?? 600,
            minAvailable: try minAvailable ?? file?.int("min-available"))
        configuration.privacy = privacy.settings
        if privacy.localClip != nil {
            throw ValidationError("--local-dp-* options belong to `feddata node` (local DP happens on the node)")
        }
        if try secureAggregation || file?.bool("secure-aggregation") == true { configuration.secureAggregation = true }
        try configuration.validate()

        let statePath = try state ?? file?.string("state") ?? "feddata-state.db"
        let store = try SQLiteCoordinatorStore(path: statePath)
        let server = Coordinator.Server(
            host: host, port: port,
            tls: material.map { TLSMaterial(certificatePEM: $0.certificate, privateKeyPEM: $0.key, caPEM: $0.ca) },
            allowList: allowList,
            heartbeatInterval: .milliseconds(Int64(1000 * (try heartbeatInterval ?? file?.double("heartbeat-interval") ?? 1))),
            heartbeatTimeout: .milliseconds(Int64(1000 * (try heartbeatTimeout ?? file?.double("heartbeat-timeout") ?? 5))))
        let json = self.json
        let coordinator = Coordinator(configuration: configuration, server: server, store: store, resume: resume) { line in
            note("[coordinator] \(line)")
        }
        let portFile = self.portFile
        let start = ContinuousClock.now
        let result = try await coordinator.run(onListening: { port in
            if let portFile { try? Data("\(port)\n".utf8).write(to: URL(fileURLWithPath: portFile), options: .atomic) }
        }, onRound: { m in
            if json {
                var line = JSONLine(m.fields)
                line["event"] = .string("round")
                emit(line)
            } else {
                let acc = m.testAccuracy.map { String(format: "test accuracy %.2f%%", 100 * $0) } ?? ""
                print(String(format: "round %3d  %d/%d nodes  train loss %.4f  %@%@  %.3f s", m.round, m.participants.count, m.selected,
                             m.trainLoss ?? .nan, acc, m.epsilon.map { String(format: "  ε %.3f", $0) } ?? "", m.seconds))
            }
        })
        if let save {
            try SafeTensors.save(result.parameters, to: URL(fileURLWithPath: save), metadata: ["run": result.runID])
        }
        let seconds = Double((ContinuousClock.now - start).components.seconds) + Double((ContinuousClock.now - start).components.attoseconds) * 1e-18
        let last = result.metrics.last
        if json {
            emit(JSONLine(["event": .string("finished"), "run": .string(result.runID), "rounds": .integer(configuration.rounds),
                           "resumed_after_round": .integer(result.resumedAfterRound),
                           "test_accuracy": last?.testAccuracy.map(JSONLine.Value.number) ?? .null, "seconds": .number(seconds)]))
        } else {
            if let stopped = result.stoppedEarly { note("stopped early: \(stopped)") }
            print("run \(result.runID) finished\(save.map { "; model saved to \($0)" } ?? "")")
        }
    }
}

/// `13` or `28x28x1`.
func parseShape(_ text: String) throws -> [Int] {
    let dims = text.split(separator: "x").map { Int($0) }
    guard !dims.isEmpty, dims.allSatisfy({ ($0 ?? 0) >= 1 }) else {
        throw WorkloadError(source: "--input-shape \(text)", "expected positive dimensions separated by x, e.g. 13 or 28x28x1")
    }
    return dims.map { $0! }
}
