import FedCrypto
import FedLedger
import FedFusion
import FedModels
import FedPrivacy
import FedProtocol
import FedRound
import FedStore
import FedTensor
import Foundation
import Synchronization
import GRPCCore
import GRPCNIOTransportHTTP2

/// The networked coordinator: a gRPC server nodes call into, and the same round engine
/// (`FederationRunner`) the simulator uses, over `NetworkNodeChannel`s. Every completed round
/// is committed to the store (model checkpoint, strategy state, metrics) before it is reported,
/// so a coordinator killed at any moment resumes from the last completed round and finishes
/// with exactly the model an uninterrupted run would have produced: selection and node seeds
/// derive from the round number and the run's seed, never from wall time.
public struct Coordinator: Sendable {
    /// Where and how the coordinator listens.
    public struct Server: Sendable {
        /// The address to bind (e.g. 127.0.0.1, 0.0.0.0) and the port (0: any free port).
        public var host: String
        public var port: Int
        /// Mutual TLS material (PEM), or nil for insecure loopback development.
        public var tls: TLSMaterial?
        /// Node names admitted (nil: every certificate of the federation CA).
        public var allowList: Set<String>?
        /// Heartbeat interval and the silence after which a node counts as gone.
        public var heartbeatInterval: Duration
        public var heartbeatTimeout: Duration
        /// The largest parameter chunk, in bytes (default 1 MiB).
        public var maxChunkBytes = WireProtocol.maxChunkBytes

        /// Creates server settings.
        public init(host: String = "127.0.0.1", port: Int, tls: TLSMaterial?, allowList: Set<String>? = nil,
                    heartbeatInterval: Duration = .seconds(1), heartbeatTimeout: Duration = .seconds(5)) {
            self.host = host
            self.port = port
            self.tls = tls
            self.allowList = allowList
            self.heartbeatInterval = heartbeatInterval
            self.heartbeatTimeout = heartbeatTimeout
        }
    }

    /// What a finished run produced.
    public struct Result: Sendable {
        public var runID: String
        /// The final global model.
        public var parameters: ModelParameters
        /// The rounds run by this process (a resumed run reports only the rounds after the resume).
        public var metrics: [RoundMetrics]
        /// The round the run resumed after (0 for a fresh run).
        public var resumedAfterRound: Int
        /// Why the run stopped before its last round (its privacy budget), if it did.
        public var stoppedEarly: String? = nil
    }

    public let configuration: CoordinatorConfiguration
    public let server: Server
    let store: any CoordinatorStore
    let resume: Bool
    let log: @Sendable (String) -> Void

    /// Creates a coordinator.
    /// - Parameters:
    ///   - configuration: the run's configuration (ignored when resuming: the stored one is used).
    ///   - server: where to listen.
    ///   - store: the durable state.
    ///   - resume: continue the store's unfinished run (a fresh run if there is none).
    ///   - log: receives event lines (nodes joining, refusals, rounds committed).
    public init(configuration: CoordinatorConfiguration, server: Server, store: any CoordinatorStore, resume: Bool,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.configuration = configuration
        self.server = server
        self.store = store
        self.resume = resume
        self.log = log
    }

    /// Runs the federation to its last round.
    /// - Parameters:
    ///   - onListening: receives the bound port once the server listens.
    ///   - onRound: receives each round's metrics after the round is committed.
    /// - Throws: `CoordinatorError` for a bad configuration or an unresumable store; store and
    ///   transport errors; `CancellationError`.
    public func run(onListening: @escaping @Sendable (Int) -> Void = { _ in },
                    onRound: @escaping @Sendable (RoundMetrics) -> Void = { _ in }) async throws -> Result {
        let plan = try await plan()
        var config = plan.configuration
        try config.validate()
        let registry = NodeRegistry(taskPrefix: plan.runID)
        let model = try config.makeModel()
        let spec = Feddata_V1_ModelSpec(name: config.model, inputShape: config.inputShape, classCount: config.classCount,
                                        parameterCount: model.parameterCount)
        let store = self.store
        let ledger = try CoordinatorLedger(key: plan.ledgerKey, log: log)
        let service = FederationService(
            registry: registry,
            settings: .init(runID: plan.runID, model: spec, heartbeatInterval: server.heartbeatInterval,
                            heartbeatTimeout: server.heartbeatTimeout, maxChunkBytes: server.maxChunkBytes, allowList: server.allowList,
                            authentication: server.tls == nil ? .insecure : .mutualTLS, secureAggregation: config.secureAggregation == true,
                            ledger: ledger),
            log: log,
            onRegister: { [log] name, fingerprint in
                do { try await store.recordNode(name: name, fingerprint: fingerprint, at: Date()) } catch { log("could not record node \(name): \(error)") }
            },
            onDataFingerprint: { node, root, records in await ledger.recordFingerprint(node: node, root: root, records: records) })
        let transport = HTTP2ServerTransport.Posix(
            address: .ipv4(host: server.host, port: server.port), transportSecurity: server.transportSecurity,
            config: .defaults {
                $0.rpc.maxRequestPayloadSize = 4 * WireProtocol.maxChunkBytes
                $0.http2.targetWindowSize = 8 << 20
                $0.http2.maxFrameSize = 1 << 20
            })
        let grpcServer = GRPCServer(transport: transport, services: [service])
        let (heartbeatInterval, heartbeatTimeout, log) = (server.heartbeatInterval, server.heartbeatTimeout, self.log)

        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await grpcServer.serve() }
            group.addTask {
                while !Task.isCancelled {
                    try await Task.sleep(for: heartbeatInterval)
                    for gone in await registry.reap(timeout: heartbeatTimeout) { log("node \(gone) went silent; its tasks failed") }
                }
            }
            defer { group.cancelAll() }
            guard let port = try await transport.listeningAddress.ipv4?.port else {
                throw CoordinatorError(.invalidConfiguration, source: "--listen \(server.host)", "the server did not bind an IPv4 address")
            }
            log("listening on \(server.host):\(port) (\(server.tls == nil ? "INSECURE, no TLS" : "mutual TLS"))")
            onListening(port)

            if config.roster == nil {
                log("waiting for \(config.nodes) node\(config.nodes == 1 ? "" : "s") to register")
                await registry.waitForNodes(config.nodes)
                config.roster = Array(await registry.aliveNodes.prefix(config.nodes))
            }
            let roster = config.roster!
            let initial = Self.initialParameters(model: model, seed: config.seed)
            if plan.resumePoint == nil {
                try await store.createRun(RunRecord(
                    id: plan.runID, configuration: try config.json(), modelName: config.model, parameterCount: model.parameterCount,
                    totalRounds: config.rounds, seed: config.seed, createdAt: Date(), status: .running, lastCompletedRound: 0, finishedAt: nil))
                try await store.commitInitial(runID: plan.runID, parameters: initial, strategyState: [:], at: Date())
                log("run \(plan.runID) started with nodes \(roster.joined(separator: ", "))")
            }
            let journal = try await RunJournal(store: store, runID: plan.runID, key: plan.ledgerKey)
            if plan.resumePoint == nil {
                try await journal.record([.runConfiguration(LedgerRunConfiguration(runID: plan.runID, configurationJSON: try config.json(),
                                                                                   strategy: try config.makeStrategy().name))])
            }
            await ledger.attach(journal)
            log("ledger verifier key: \(ledger.verifierKey)")
            let result = try await rounds(runID: plan.runID, config: config, roster: roster, model: model, initial: initial,
                                          resumePoint: plan.resumePoint, registry: registry, journal: journal, onRound: onRound)
            try await store.setRunStatus(id: plan.runID, status: .finished, at: Date())
            await registry.finish()
            // Let nodes' next polls learn that the run is over before the server stops.
            try? await Task.sleep(for: min(max(heartbeatInterval * 3, .seconds(1)), .seconds(5)))
            grpcServer.beginGracefulShutdown()
            return result
        }
    }

    /// The run to work on: a new one, or the store's unfinished one with its checkpoint.
    func plan() async throws -> (runID: String, configuration: CoordinatorConfiguration, resumePoint: ResumePoint?, ledgerKey: LedgerKeyRecord) {
        if resume, let run = try await store.latestRun(), run.status == .running {
            let stored = try CoordinatorConfiguration.from(json: run.configuration, source: "run \(run.id) in the state store")
            guard let point = try await store.latestCheckpoint(runID: run.id) else {
                throw CoordinatorError(.cannotResume, source: "run \(run.id) in the state store", "has no checkpoint, not even its initial model")
            }
            log("resuming run \(run.id) after round \(point.round) of \(stored.rounds)")
            return (run.id, stored, point, try await store.ledgerKey(runID: run.id) ?? RunJournal.newKey(runID: run.id))
        }
        if resume { log("no unfinished run in the state store; starting a new one") }
        let id = "run-" + String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36) + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        return (id, configuration, nil, RunJournal.newKey(runID: id))
    }

    /// The initial global model: the model's initialisation from the run's seed (as `Simulation`).
    public static func initialParameters(model: any Model, seed: UInt64) -> ModelParameters {
        var rng = SeededRandom(seed: seed).derived(stream: 0)
        return model.initialParameters(rng: &rng)
    }

    /// Node `index`'s seed in a run with `seed` (as `Simulation.nodes(for:)`).
    public static func nodeSeed(runSeed: UInt64, index: Int) -> UInt64 {
        SeededRandom(seed: runSeed).derived(stream: 0x1_0000_0000 &+ UInt64(index)).seed
    }

    func rounds(runID: String, config: CoordinatorConfiguration, roster: [String], model: any Model, initial: ModelParameters,
                resumePoint: ResumePoint?, registry: NodeRegistry, journal: RunJournal,
                onRound: @escaping @Sendable (RoundMetrics) -> Void) async throws -> Result {
        let channels: [any NodeChannel] = roster.enumerated().map { i, name in
            NetworkNodeChannel(nodeID: name, nodeSeed: Self.nodeSeed(runSeed: config.seed, index: i), registry: registry)
        }
        let policy = RoundPolicy(perRound: min(config.perRound, roster.count), training: config.training, quorum: .fraction(config.quorum),
                                 concurrency: roster.count, nodeTimeout: .milliseconds(Int64(config.nodeTimeoutSeconds * 1000)),
                                 seed: config.seed, onFailedRound: .skip).recording(commitments: true)
        let specs = model.parameterSpecs
        let sink = EvaluationSink()
        let evaluator = Self.federatedEvaluator(channels: channels, every: config.evaluateEvery, lastRound: config.rounds, sink: sink, log: log)
        var runner = try FederationRunner(channels: channels, initialParameters: initial.flattened(), strategy: try config.makeStrategy(),
                                          policy: policy, evaluator: evaluator)
        if let point = resumePoint {
            try runner.resume(round: point.round, version: point.version, global: point.parameters.flattened(), serverState: point.strategyState)
        }
        let needed = config.minAvailable ?? Quorum.fraction(config.quorum).required(selected: policy.perRound)
        var metrics: [RoundMetrics] = []
        let accounting = privacyAccounting(of: runner.strategy)
        var stoppedEarly: String?
        while runner.round < config.rounds {
            if let refusal = accounting?.budgetRefusal(rounds: runner.round + 1) {
                log(refusal)
                stoppedEarly = refusal
                break
            }
            if await registry.aliveNodes.count < needed {
                log("waiting for \(needed) live node\(needed == 1 ? "" : "s") before round \(runner.round + 1)")
                await registry.waitForNodes(needed)
            }
            var m: RoundMetrics
            if config.secureAggregation == true {
                m = try await runner.runSecureRound(SecureAggregationPolicy(federationID: runID))
            } else {
                m = try await runner.runRound()
            }
            if let accounting { m.epsilon = accounting.epsilonSpent(rounds: m.round) }
            let parameters = try ModelParameters(flat: runner.global, specs: specs, source: "global model of round \(m.round)")
            let modelSHA256 = SHA256Digest.hex(SHA256Digest.hash(floats: runner.global))
            let evaluations = sink.take().map {
                LedgerEvaluation(nodeID: $0.nodeID, round: $0.round, modelSHA256: modelSHA256,
                                 metrics: EvaluationSignature.metrics(loss: $0.evaluation.loss, accuracy: $0.evaluation.accuracy, samples: $0.evaluation.count),
                                 signature: $0.signature, signerKeyFingerprint: $0.signerKey)
            }
            try await journal.commitRound(m, parameters: parameters, strategyState: runner.strategy.serverState, strategy: runner.strategy.name,
                                          evaluations: evaluations)
            metrics.append(m)
            onRound(m)
        }
        let final = try ModelParameters(flat: runner.global, specs: specs, source: "final global model")
        return Result(runID: runID, parameters: final, metrics: metrics, resumedAfterRound: resumePoint?.round ?? 0, stoppedEarly: stoppedEarly)
    }

    /// Federated evaluation: every live node of the roster scores the global model on its
    /// held-out data; the result is the sample-weighted mean. Nodes that fail are left out.
    static func federatedEvaluator(channels: [any NodeChannel], every: Int, lastRound: Int, sink: EvaluationSink? = nil,
                                   log: @escaping @Sendable (String) -> Void) -> FederationRunner<AnyFusionStrategy, ContinuousClock>.Evaluator? {
        guard every > 0 else { return nil }
        return { parameters, round in
            guard round % every == 0 || round == lastRound else { return nil }
            let task = EvaluationTask(round: round, version: round, parameters: parameters)
            let replies = await withTaskGroup(of: EvaluationReply?.self) { group in
                for c in channels {
                    group.addTask {
                        do { return try await c.evaluate(task) } catch {
                            log("node \(c.nodeID) did not evaluate round \(round): \(error)")
                            return nil
                        }
                    }
                }
                var all: [EvaluationReply] = []
                for await r in group { if let r { all.append(r) } }
                return all
            }
            sink?.put(replies.sorted { $0.nodeID < $1.nodeID })
            let n = replies.reduce(0) { $0 + $1.evaluation.count }
            guard n > 0 else { return nil }
            let loss = replies.reduce(0.0) { $0 + $1.evaluation.loss * Double($1.evaluation.count) } / Double(n)
            let accuracy = replies.reduce(0.0) { $0 + $1.evaluation.accuracy * Double($1.evaluation.count) } / Double(n)
            return Evaluation(loss: loss, accuracy: accuracy, count: n)
        }
    }
}

/// PEM text of a party's certificate, key and the federation CA.
public struct TLSMaterial: Sendable {
    public var certificatePEM: String
    public var privateKeyPEM: String
    public var caPEM: String

    /// Creates TLS material from PEM text.
    public init(certificatePEM: String, privateKeyPEM: String, caPEM: String) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
        self.caPEM = caPEM
    }
}

extension Coordinator.Server {
    /// Mutual TLS trusting only the federation CA (never the system's roots), or plaintext.
    var transportSecurity: HTTP2ServerTransport.Posix.TransportSecurity {
        guard let tls else { return .plaintext }
        return .mTLS(certificateChain: [.bytes(Array(tls.certificatePEM.utf8), format: .pem)],
                     privateKey: .bytes(Array(tls.privateKeyPEM.utf8), format: .pem)) {
            $0.trustRoots = .certificates([.bytes(Array(tls.caPEM.utf8), format: .pem)])
        }
    }
}

/// The nodes' evaluation replies of the round being run, handed from the evaluator to the
/// round's ledger record.
final class EvaluationSink: Sendable {
    private let replies = Mutex<[EvaluationReply]>([])
    func put(_ r: [EvaluationReply]) { replies.withLock { $0 = r } }
    func take() -> [EvaluationReply] { replies.withLock { r in defer { r = [] }; return r } }
}
