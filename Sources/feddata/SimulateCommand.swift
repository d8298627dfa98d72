import ArgumentParser
import FedDatasets
import FedModels
import FedStore
import FedFusion
import FedRound
import FedSimulation
import FedTensor
import FedWorkloads
import Foundation

/// `feddata simulate`: a whole federation of simulated nodes in one process.
struct SimulateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulate",
        abstract: "Simulate a federation: many nodes, each with its own share of a dataset, fused round by round.",
        discussion: """
        Defaults reproduce the FedAvg paper's MNIST setup (McMahan et al. 2017): 100 nodes, 10 per round, \
        E=1, B=10, the 2NN, plain SGD with lr 0.2 (tuned), 45 rounds IID or 200 rounds non-IID.
        """
    )

    @Option(help: "Dataset: \(DatasetCatalog.names.joined(separator: ", ")).")
    var dataset: String = "mnist"

    @Option(help: "Model: logreg, 2nn, cnn, char-lstm.")
    var model: String = "2nn"

    @Option(help: "Number of nodes (ignored with --partition natural: one node per natural client).")
    var nodes: Int = 100

    @Option(name: .customLong("per-round"), help: "Nodes selected per round.")
    var perRound: Int = 10

    @Option(help: "Rounds (default: 45 for iid, 200 otherwise).")
    var rounds: Int?

    @Option(help: "Partition: iid, dirichlet:<alpha>, shards[:<per node>], natural (hospital, writer, role).")
    var partition: String = "iid"

    @Option(help: "Fusion strategy: \(StrategyCatalog.names.joined(separator: ", ")).")
    var strategy: String = "fedavg"

    @Option(name: .customLong("strategy-option"), help: "A strategy option as key=value (repeatable), e.g. mu=0.01, beta=0.2, f=20.")
    var strategyOptions: [String] = []

    @Option(name: .customLong("local-epochs"), help: "Local epochs per round (E).")
    var localEpochs: Int = 1

    @Option(help: "Local batch size (B).")
    var batch: Int = 10

    @Option(help: "Local SGD learning rate (default: 0.2, or 0.15 for the CNN; both tuned on MNIST).")
    var lr: Float?

    /// The learning rate: the option, or the tuned default for the model.
    var learningRate: Float { lr ?? (model == "cnn" ? 0.15 : 0.2) }

    @Option(help: "Local SGD momentum.")
    var momentum: Float = 0

    @Option(help: "Seed of every random choice.")
    var seed: UInt64 = 1

    @Option(name: .customLong("target-accuracy"), help: "Stop at the first round whose global test accuracy reaches this.")
    var targetAccuracy: Double?

    @Option(help: "Fraction of nodes that are malicious (0…1).")
    var byzantine: Double = 0

    @Option(help: "Attack of malicious nodes: sign-flip, gaussian, scale.")
    var attack: String = "sign-flip"

    @Option(name: .customLong("attack-scale"), help: "Scale of the attack (sign-flip sends −scale·update).")
    var attackScale: Float = 1

    @Option(help: "Minimum fraction of the selected nodes whose updates a round needs.")
    var quorum: Double = 0.5

    @Option(help: "Nodes training at once (default: the cores).")
    var concurrency: Int?

    @Option(name: .customLong("eval-every"), help: "Evaluate the global model every N rounds.")
    var evalEvery: Int = 1

    @Option(name: .customLong("test-limit"), help: "Evaluate on at most this many test samples.")
    var testLimit: Int?

    @Option(name: .customLong("metrics-file"), help: "Write one JSON line per round to this file.")
    var metricsFile: String?

    @Flag(help: "Print JSON Lines: one per round, then a summary.")
    var json = false

    @OptionGroup(title: "Differential privacy")
    var privacy: PrivacyOptions

    @Flag(name: .customLong("secure-aggregation"), help: "Secure aggregation (SecAgg+): the server sees only each round's masked sum.")
    var secureAggregation = false

    @Option(name: .customLong("secagg-clip"), help: "Secure aggregation: each update coordinate is clamped to [-c, c] before quantization.")
    var secaggClip: Float = 2

    @Option(help: "Record the run in this state file as the coordinator does: rounds, checkpoints and the signed ledger.")
    var state: String?

    @Flag(help: "After the run, compute per-node contribution values (GTG-Shapley, leave-one-out; exact Shapley up to 8 nodes). Small federations only.")
    var contributions = false

    func validate() throws {
        guard DatasetCatalog.names.contains(dataset) else {
            throw ValidationError("unknown dataset '\(dataset)'; expected one of: \(DatasetCatalog.names.joined(separator: ", "))")
        }
        guard nodes >= 1 else { throw ValidationError("--nodes must be at least 1, got \(nodes)") }
        guard perRound >= 1 else { throw ValidationError("--per-round must be at least 1, got \(perRound)") }
        if let r = rounds, r < 1 { throw ValidationError("--rounds must be at least 1, got \(r)") }
        guard localEpochs >= 1 else { throw ValidationError("--local-epochs must be at least 1, got \(localEpochs)") }
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1, got \(batch)") }
        if let lr { guard lr > 0, lr.isFinite else { throw ValidationError("--lr must be a positive number, got \(lr)") } }
        guard (0...1).contains(byzantine) else { throw ValidationError("--byzantine must be a fraction in 0…1, got \(byzantine)") }
        guard quorum > 0, quorum <= 1 else { throw ValidationError("--quorum must be in (0, 1], got \(quorum)") }
        if let t = targetAccuracy, !(0...1).contains(t) { throw ValidationError("--target-accuracy must be in 0…1, got \(t)") }
        for o in strategyOptions where !o.contains("=") {
            throw ValidationError("--strategy-option '\(o)': expected key=value")
        }
    }

    func run() async throws {
        let start = ContinuousClock.now
        let options = Dictionary(strategyOptions.map { o -> (String, String) in
            let kv = o.split(separator: "=", maxSplits: 1).map(String.init)
            return (kv[0], kv.count > 1 ? kv[1] : "")
        }, uniquingKeysWith: { $1 })
        let plain = try StrategyCatalog.make(name: strategy, options: options)
        let data = try DatasetCatalog.load(dataset)
        let partitions: [ClientPartition]
        if partition == "natural" {
            guard let natural = data.naturalPartition else {
                throw WorkloadError(source: "--partition natural", "\(dataset) has no natural clients; use iid, dirichlet:<alpha> or shards")
            }
            partitions = natural
        } else {
            partitions = try PartitionScheme(parsing: partition).partition(data.train, nodes: nodes, seed: seed)
        }
        var test = data.test
        if let cap = testLimit ?? data.defaultTestLimit, cap < test.count {
            var rng = SeededRandom(seed: seed).derived(stream: 98)
            test = SampleSubset(test, limit: cap, rng: &rng)
        }
        let roundCount = rounds ?? (partition == "iid" ? 45 : 200)
        let fusion = try privacy.wrap(plain, expectedClients: min(perRound, partitions.count), population: partitions.count,
                                      seed: SeededRandom(seed: seed).derived(stream: 0xD1FF_5EED).seed)
        var config = SimulationConfiguration(
            model: .named(model), strategy: fusion, perRound: min(perRound, partitions.count), rounds: roundCount,
            localEpochs: localEpochs, batchSize: batch, learningRate: learningRate, nodeOptimizer: NodeOptimizer(momentum: momentum),
            seed: seed, quorum: .fraction(quorum), concurrency: concurrency, targetAccuracy: targetAccuracy,
            byzantine: byzantine > 0 ? ByzantineConfiguration(fraction: byzantine, attack: try ByzantineAttack(name: attack), scale: attackScale) : nil,
            evaluateEvery: evalEvery)
        config.localPrivacy = try privacy.localPrivacy()
        if secureAggregation {
            config.secureAggregation = SecureAggregationPolicy(federationID: "simulate-\(dataset)-\(seed)", clippingRange: secaggClip)
        }
        try config.validate()
        if !json {
            note("simulate \(model) on \(dataset): \(partitions.count) nodes (\(partition)), \(config.perRound) per round, \(roundCount) rounds, "
                 + "\(strategy), E=\(localEpochs) B=\(batch) lr \(learningRate), seed \(seed)"
                 + (byzantine > 0 ? ", \(Int((byzantine * 100).rounded()))% malicious (\(attack) ×\(attackScale))" : "")
                 + (privacy.summary.isEmpty ? "" : "; \(privacy.summary)")
                 + (secureAggregation ? "; secure aggregation (SecAgg+, c=\(secaggClip))" : "")
                 + (state.map { "; recording in \($0)" } ?? ""))
        }
        let recorder = contributions ? ContributionRecorder() : nil
        config.contributions = recorder
        config.recordsCommitments = state != nil
        let resolved = try config.model.resolve(for: data.train)
        var journal: SimulationJournal?
        if let path = state {
            journal = try await SimulationJournal.start(path: path, arguments: journalArguments(roundCount: roundCount), model: resolved,
                                                        initial: Simulation(configuration: config).initialParameters(for: resolved),
                                                        rounds: roundCount, seed: seed, partitions: partitions, data: data.train)
        }
        let specs = resolved.parameterSpecs
        let strategyName = fusion.name
        var afterRound: Simulation.AfterRound?
        if let runJournal = journal?.journal {
            afterRound = { @Sendable (m: RoundMetrics, global: [Float], serverState: [String: [Float]]) async throws in
                let parameters = try ModelParameters(flat: global, specs: specs, source: "global model of round \(m.round)")
                try await runJournal.commitRound(m, parameters: parameters, strategyState: serverState, strategy: strategyName)
            }
        }
        let metrics = try metricsFile.map { try MetricsFileWriter(path: $0) }
        var bar = ProgressBar(total: roundCount, label: "rounds", enabled: !json && isatty(STDERR_FILENO) != 0)
        let simulation = Simulation(configuration: config)
        let result = try await simulation.run(train: data.train, test: test, partitions: partitions, onRound: { m in
            let line = JSONLine(m.fields)
            metrics?.write(line)
            if json {
                emit(line)
            } else {
                bar.update(step: m.round, loss: Float(m.trainLoss ?? .nan), force: true)
                if let acc = m.testAccuracy {
                    if bar.enabled { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
                    note(String(format: "round %3d  test accuracy %.2f%%  train loss %.4f  participants %d%@%@  %.2f s",
                                m.round, 100 * acc, m.trainLoss ?? .nan, m.participants.count,
                                m.rejected.isEmpty && m.failures.isEmpty ? "" : "  rejected \(m.rejected.count) failed \(m.failures.count)",
                                m.epsilon.map { String(format: "  ε %.3f", $0) } ?? "", m.seconds))
                }
            }
        }, afterRound: afterRound)
        bar.finish()
        if let journal {
            try await journal.store.setRunStatus(id: journal.runID, status: .finished, at: Date())
            note("recorded run \(journal.runID) in \(state!) (ledger: \(await journal.journal.size) entries; verifier key \(await journal.journal.verifierKey))")
        }
        if let recorder {
            let (methods, rounds) = try recorder.values(nodes: partitions.map(\.id), model: resolved, test: test, indices: Array(0..<test.count))
            var table: [String: JSONLine.Value] = [:]
            for method in methods {
                var byNode = JSONLine()
                for (node, value) in zip(partitions.map(\.id), method.values) { byNode[node] = .number(value) }
                table[method.method] = .object(byNode)
                if !json {
                    note("\(method.method) over \(rounds) rounds (\(method.utilityEvaluations) utility evaluations): "
                         + zip(partitions.map(\.id), method.values).map { String(format: "%@ %.4f", $0, $1) }.joined(separator: ", "))
                }
            }
            var line = JSONLine(["event": .string("contributions"), "utility": .string("test_accuracy"), "rounds": .integer(rounds)])
            for (k, v) in table { line[k] = v }
            if json { emit(line) }
            if let state { try AtomicFile.write(Data((line.description + "\n").utf8), to: state + ".contributions.json") }
        }
        try metrics?.finish()
        var summary = JSONLine(result.fields)
        summary["peak_rss_mb"] = .number(peakResidentMegabytes().rounded())
        summary["nodes"] = .integer(partitions.count)
        summary["strategy"] = .string(strategy)
        summary["partition"] = .string(partition)
        if json {
            emit(summary)
        } else {
            let total = ContinuousClock.now - start
            let target = targetAccuracy.map { t in
                result.roundsToTarget.map { "reached \(t) at round \($0)" } ?? "did not reach \(t)"
            } ?? ""
            print(String(format: "%d rounds in %.1f s: test accuracy %.2f%% (best %.2f%%) %@%@; peak RSS %.0f MB",
                         result.rounds, seconds(total), 100 * (result.testAccuracy ?? .nan), 100 * (result.bestAccuracy ?? .nan),
                         target, result.epsilon.map { String(format: "; ε = %.3f at δ = %g", $0, privacy.delta) } ?? "",
                         peakResidentMegabytes()))
            if let stopped = result.stoppedEarly { note("stopped early: \(stopped)") }
        }
    }
}

/// Writes per-round JSON lines to `PATH.partial` as they come and renames the file to `PATH`
/// when the run ends, so a finished metrics file is never half-written.
final class MetricsFileWriter: Sendable {
    let path: String
    let handle: FileHandle

    init(path: String) throws {
        self.path = path
        let partial = path + ".partial"
        guard FileManager.default.createFile(atPath: partial, contents: nil),
              let h = FileHandle(forWritingAtPath: partial) else {
            throw WorkloadError(source: "--metrics-file \(path)", "cannot create \(partial)")
        }
        handle = h
    }

    func write(_ line: JSONLine) {
        handle.write(Data((line.description + "\n").utf8))
    }

    func finish() throws {
        try handle.close()
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: path + ".partial", toPath: path)
    }
}

extension SimulateCommand {
    /// The run's configuration as the state file records it (and its ledger's first entry).
    func journalArguments(roundCount: Int) -> [String: Any] {
        var a: [String: Any] = [
            "source": "feddata simulate", "dataset": dataset, "model": model, "nodes": nodes, "perRound": perRound, "rounds": roundCount,
            "partition": partition, "strategy": strategy, "strategyOptions": strategyOptions, "localEpochs": localEpochs, "batchSize": batch,
            "learningRate": Double(learningRate), "seed": seed, "secureAggregation": secureAggregation,
        ]
        if let settings = privacy.settings {
            a["privacy"] = ["noiseMultiplier": settings.noiseMultiplier, "clipNorm": settings.clipNorm, "adaptive": settings.adaptive,
                            "delta": settings.delta, "epsilonBudget": settings.epsilonBudget as Any]
        }
        if byzantine > 0 { a["byzantine"] = ["fraction": byzantine, "attack": attack, "scale": attackScale] }
        return a
    }
}
