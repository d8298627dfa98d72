import ArgumentParser
import FedNode
import FedPrivacy
import FedRound
import FedSimulation
import FedWorkloads
import Foundation

/// `feddata node`: a federation member. It runs next to its data, calls the coordinator,
/// trains on its own rows and sends back only model updates and evaluation numbers.
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node",
        abstract: "Run a federation node next to its data: register, heartbeat, train locally, send updates (never data).",
        discussion: """
            Local data: --data FILE.csv --schema heart-disease|SCHEMA.json (a held-out share is kept for evaluation, \
            features standardised with this node's own statistics), or a share of a bundled dataset: \
            --dataset mnist --partition iid --nodes 10 --node-index 3. Every option can also come from --config FILE (TOML).
            """
    )

    @Option(help: "A TOML configuration file.") var config: String?
    @Option(help: "The coordinator's host:port.") var coordinator: String?
    @OptionGroup var tls: TLSOptions
    @Option(help: "This node's CSV file.") var data: String?
    @Option(help: "How to read the CSV: a built-in schema name (heart-disease) or a JSON schema file.") var schema: String?
    @Option(help: "Share of the local rows held out for evaluation. Default 0.2.") var holdout: Double?
    @Option(help: "A bundled dataset to take a share of (demo and benchmarks): mnist, femnist, heart-disease.") var dataset: String?
    @Option(help: "Partition of the bundled dataset: iid, shards, dirichlet:<alpha>, natural. Default iid.") var partition: String?
    @Option(help: "Number of nodes the bundled dataset is split over.") var nodes: Int?
    @Option(help: "This node's share (0-based).") var nodeIndex: Int?
    @Option(help: "Seed of the hold-out split and the partition. Default 1.") var seed: UInt64?
    @Flag(help: "Exit when the coordinator's run is finished.") var exitWhenDone = false
    @Option(help: "Give up after this many failed connection attempts in a row (default: retry forever).") var maxAttempts: Int?
    @Flag(help: "Do not check that the coordinator's certificate names the host dialled.") var noVerifyHostname = false
    @Flag(help: "Print a JSON summary at exit.") var json = false
    @Flag(name: .customLong("secure-aggregation"), help: "Take part in secure aggregation (SecAgg+): this node's update leaves it masked.")
    var secureAggregation = false
    @Option(name: .customLong("local-dp-clip"), help: "Local DP: clip this node's update to this L2 norm and add Gaussian noise before it leaves.")
    var localClip: Double?
    @Option(name: .customLong("local-dp-noise-multiplier"), help: "Local DP: noise N(0, (z·C)²) per coordinate.") var localNoiseMultiplier: Double?
    @Option(name: .customLong("local-dp-epsilon"), help: "Local DP: calibrate the Gaussian mechanism to this ε < 1 instead.") var localEpsilon: Double?
    @Option(name: .customLong("local-dp-delta"), help: "Local DP: the δ of --local-dp-epsilon. Default 1e-5.") var localDelta: Double = 1e-5

    func run() async throws {
        let file = try loadConfig(config)
        guard let endpoint = try coordinator ?? file?.string("coordinator") else {
            throw WorkloadError(source: "--coordinator", "expected the coordinator's host:port")
        }
        let (host, port) = try parseEndpoint(endpoint, option: "--coordinator")
        let material = try tls.material(config: file, defaultName: nil)
        let seed = try self.seed ?? (file?.int("seed")).map(UInt64.init) ?? 1
        let local: LocalData
        if let path = try data ?? file?.string("data") {
            guard let schemaName = try schema ?? file?.string("schema") else {
                throw WorkloadError(source: "--schema", "expected a built-in schema name (\(DataSchema.builtInNames.joined(separator: ", "))) or a JSON schema file for --data \(path)")
            }
            local = try LocalData.load(csv: URL(fileURLWithPath: path), schema: try DataSchema.resolve(schemaName),
                                       evaluationFraction: try holdout ?? file?.double("holdout") ?? LocalData.defaultEvaluationFraction, seed: seed)
        } else if let name = try dataset ?? file?.string("dataset") {
            guard let n = try nodes ?? file?.int("nodes"), let i = try nodeIndex ?? file?.int("node-index") else {
                throw WorkloadError(source: "--dataset \(name)", "expected --nodes N and --node-index I to take this node's share")
            }
            local = try LocalData.bundled(dataset: name, partition: try partition ?? file?.string("partition") ?? "iid", nodes: n, nodeIndex: i, seed: seed)
        } else {
            throw WorkloadError(source: config ?? "command line", "expected this node's data: --data FILE.csv --schema …, or --dataset NAME --nodes N --node-index I")
        }
        var insecureName: String?
        if material == nil {
            guard let name = try tls.name ?? file?.string("name") else {
                throw WorkloadError(source: "--name", "an --insecure node names itself: expected --name")
            }
            insecureName = name
            note("WARNING: --insecure: no TLS; this node's updates travel in the clear. Loopback development only.")
        }
        let connection = NodeAgent.Connection(
            host: host, port: port,
            tls: material.map { NodeTLS(certificatePEM: $0.certificate, privateKeyPEM: $0.key, caPEM: $0.ca, verifyHostname: !noVerifyHostname) },
            insecureName: insecureName)
        // The node's data fingerprint: the Merkle root over its training records (only the root leaves).
        let f = SimulatedFingerprint.of(Array(0..<local.train.count), in: local.train)
        let fingerprint = (root: f.root, records: Int(f.recordCount))
        let secure: NodeAgent.SecureAggregationFactory? = secureAggregation ? { @Sendable id, train in SecureAggregationNode(nodeID: id, train: train) as any SecureAggregationParticipant } : nil
        var agent = NodeAgent(connection: connection, behaviour: .init(exitWhenDone: exitWhenDone, maxAttempts: maxAttempts),
                              train: local.train, evaluation: local.evaluation, secureAggregation: secure,
                              dataFingerprint: fingerprint, log: { line in
            note("[node] \(line)")
        })
        if let c = localClip {
            guard (localNoiseMultiplier == nil) != (localEpsilon == nil) else {
                throw ValidationError("--local-dp-clip needs exactly one of --local-dp-noise-multiplier and --local-dp-epsilon")
            }
            agent.localPrivacy = try localNoiseMultiplier.map { try LocalDifferentialPrivacy(clipNorm: c, calibration: .noiseMultiplier($0)) }
                ?? LocalDifferentialPrivacy(clipNorm: c, calibration: .gaussianMechanism(epsilon: localEpsilon!, delta: localDelta))
        } else if localNoiseMultiplier != nil || localEpsilon != nil {
            throw ValidationError("--local-dp-noise-multiplier and --local-dp-epsilon need --local-dp-clip")
        }
        note("[node] \(local.train.count) training and \(local.evaluation.count) held-out samples from \(local.source); connecting to \(endpoint)")
        let summary = try await agent.run()
        if json {
            emit(JSONLine(["event": .string("node_finished"), "training_tasks": .integer(summary.trainingTasks),
                           "evaluation_tasks": .integer(summary.evaluationTasks), "bytes_sent": .integer(summary.bytesSent),
                           "connections": .integer(summary.connections),
                           "ledger_rounds_verified": .integer(summary.ledgerRoundsVerified),
                           "ledger_failures": .array(summary.ledgerFailures.map { .string($0) })]))
        } else {
            print("node finished: \(summary.trainingTasks) training and \(summary.evaluationTasks) evaluation tasks, \(summary.bytesSent) bytes sent")
        }
    }
}
