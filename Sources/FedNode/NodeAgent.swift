import FedCrypto
import FedDatasets
import FedLedger
import FedModels
import FedPrivacy
import FedProtocol
import FedRound
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization

/// The process a federation member runs next to its data: it calls the coordinator (never the
/// other way round), registers, heartbeats, long-polls for work, trains or evaluates on its
/// local data, and streams its update back. It reconnects with exponential backoff when the
/// coordinator is unreachable or restarts. Raw data never leaves it: only registration counts,
/// updates and evaluation numbers are sent, and `traffic` counts every byte it sends.
public struct NodeAgent: Sendable {
    /// Where the coordinator is and how to reach it.
    public struct Connection: Sendable {
        public var host: String
        public var port: Int
        /// Mutual TLS material (this node's certificate and key, the federation CA), or nil for
        /// insecure loopback development (then `insecureName` names the node).
        public var tls: NodeTLS?
        public var insecureName: String?

        /// Creates connection settings.
        public init(host: String, port: Int, tls: NodeTLS?, insecureName: String? = nil) {
            self.host = host
            self.port = port
            self.tls = tls
            self.insecureName = insecureName
        }
    }

    /// How the agent behaves.
    public struct Behaviour: Sendable {
        /// Exit once the coordinator says the run is finished (otherwise wait for the next run).
        public var exitWhenDone: Bool
        /// The first and the largest wait between reconnection attempts.
        public var initialBackoff: Duration
        public var maxBackoff: Duration
        /// Give up after this many failed connection attempts in a row (nil: never).
        public var maxAttempts: Int?
        /// How long each poll may wait on the coordinator.
        public var pollWait: Duration

        /// Creates behaviour settings.
        public init(exitWhenDone: Bool = false, initialBackoff: Duration = .milliseconds(200), maxBackoff: Duration = .seconds(10),
                    maxAttempts: Int? = nil, pollWait: Duration = .seconds(5)) {
            self.exitWhenDone = exitWhenDone
            self.initialBackoff = initialBackoff
            self.maxBackoff = maxBackoff
            self.maxAttempts = maxAttempts
            self.pollWait = pollWait
        }
    }

    public let connection: Connection
    public let behaviour: Behaviour
    /// The node's training samples and held-out samples.
    public let train: LabeledDataset
    public let evaluation: LabeledDataset
    /// Bytes and messages this agent has sent.
    public let traffic = NodeTraffic()
    let log: @Sendable (String) -> Void
    /// Makes the node's secure-aggregation participant for a session (nil: the node does not
    /// take part in secure aggregation, and a federation that requires it refuses the node).
    public let secureAggregation: SecureAggregationFactory?
    /// The node's data fingerprint (an RFC 9162 Merkle root over its training records) and
    /// how many records it covers, sent at registration; nil: none.
    public let dataFingerprint: (root: [UInt8], records: Int)?
    /// Local differential privacy on this node's updates (nil: off).
    public var localPrivacy: LocalDifferentialPrivacy? = nil

    /// Makes a session's secure-aggregation participant from the node's id (as the coordinator
    /// names it) and its training function.
    public typealias SecureAggregationFactory = @Sendable (
        _ nodeID: String, _ train: @escaping @Sendable (_ task: TrainingTask, _ nodeSeed: UInt64) async throws -> TrainingReply
    ) -> any SecureAggregationParticipant

    /// Creates an agent.
    public init(connection: Connection, behaviour: Behaviour = Behaviour(), train: LabeledDataset, evaluation: LabeledDataset,
                secureAggregation: SecureAggregationFactory? = nil, dataFingerprint: (root: [UInt8], records: Int)? = nil,
                log: @escaping @Sendable (String) -> Void = { _ in }) {
        self.connection = connection
        self.behaviour = behaviour
        self.train = train
        self.evaluation = evaluation
        self.secureAggregation = secureAggregation
        self.dataFingerprint = dataFingerprint
        self.log = log
    }

    /// What a finished agent did.
    public struct Summary: Sendable {
        public var trainingTasks: Int
        public var evaluationTasks: Int
        public var bytesSent: Int
        public var connections: Int
        /// Round records naming this node whose commitment and inclusion it verified in the ledger.
        public var ledgerRoundsVerified: Int = 0
        /// What failed in the ledger audit (a fork, a wrong commitment, a failed proof).
        public var ledgerFailures: [String] = []
    }

    /// The latest session's ledger audit (nil before registration or without a ledger).
    let audit = AuditBox()

    /// Holds the session's audit across reconnections (a reference, so the agent stays a value).
    final class AuditBox: Sendable {
        private let value = Mutex<NodeLedgerAudit?>(nil)
        func withLock<T>(_ body: (inout NodeLedgerAudit?) -> T) -> T { value.withLock { body(&$0) } }
    }

    /// Runs until the coordinator's run is finished (with `exitWhenDone`) or a fatal refusal.
    /// - Throws: `NodeAgentError.refused` when the coordinator refuses this node for good
    ///   (protocol version, model mismatch, not admitted); `.unreachable` after `maxAttempts`
    ///   failed attempts; `CancellationError`.
    public func run() async throws -> Summary {
        var backoff = behaviour.initialBackoff
        var failures = 0
        var counters = Counters()
        while true {
            try Task.checkCancellation()
            do {
                let finished = try await session(&counters) { backoff = behaviour.initialBackoff; failures = 0 }
                if finished && behaviour.exitWhenDone {
                    let audit = self.audit.withLock { $0 }
                    return Summary(trainingTasks: traffic.tasks.training, evaluationTasks: traffic.tasks.evaluation, bytesSent: traffic.bytes,
                                   connections: counters.connections, ledgerRoundsVerified: audit?.verifiedRounds ?? 0,
                                   ledgerFailures: audit?.failures ?? [])
                }
                try await Task.sleep(for: behaviour.initialBackoff)  // re-register
            } catch let error as NodeAgentError {
                throw error
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                failures += 1
                if let max = behaviour.maxAttempts, failures >= max {
                    throw NodeAgentError(.unreachable, source: "coordinator \(connection.host):\(connection.port)",
                                         "\(failures) connection attempts failed; the last: \(error)")
                }
                log("connection to the coordinator failed (\(Self.describe(error))); retrying in \(backoff)")
                try await Task.sleep(for: backoff)
                backoff = min(backoff * 2, behaviour.maxBackoff)
            }
        }
    }

    struct Counters {
        var connections = 0
    }

    /// One connection: register, then heartbeat and serve tasks until the run finishes (returns
    /// true) or the coordinator forgets this node (returns false: register again).
    func session(_ counters: inout Counters, onRegistered: () -> Void) async throws -> Bool {
        let transport = try HTTP2ClientTransport.Posix(
            target: Self.target(host: connection.host, port: connection.port),
            transportSecurity: connection.transportSecurity,
            config: .defaults {
                $0.http2.maxFrameSize = 1 << 20
                $0.http2.targetWindowSize = 8 << 20
            },
            serviceConfig: ServiceConfig(methodConfig: [MethodConfig(
                names: [MethodConfig.Name(service: "")], maxRequestMessageBytes: 4 * WireProtocol.maxChunkBytes,
                maxResponseMessageBytes: 4 * WireProtocol.maxChunkBytes)]))
        let metadata: Metadata = connection.insecureName.map { [PeerAuthenticationHeader.name: .string($0)] } ?? [:]
        return try await withGRPCClient(transport: transport) { grpc in
            let client = Feddata_V1_Federation.Client(wrapping: grpc)
            let registration = try await register(client, metadata: metadata)
            onRegistered()
            counters.connections += 1
            let model = try ModelZoo.make(registration.model.name, inputShape: registration.model.inputShape.map(Int.init),
                                          classCount: Int(registration.model.classCount))
            let trainer = {
                var t = LocalTrainer(nodeID: registration.nodeID, model: model, train: train, evaluation: evaluation)
                t.localPrivacy = localPrivacy
                return t
            }()
            let participant = secureAggregation.map { make in
                make(registration.nodeID) { task, seed in try trainer.train(task, nodeSeed: seed) }
            }
            if registration.secureAggregation && participant == nil {
                throw NodeAgentError(.refused, source: "coordinator \(connection.host):\(connection.port)",
                                     "the federation aggregates securely; start the node with --secure-aggregation")
            }
            let signingKeyPEM = connection.tls?.privateKeyPEM
            let ledgerAudit = registration.ledgerVerifierKey.isEmpty ? nil
                : try? NodeLedgerAudit(nodeID: registration.nodeID, verifierKey: registration.ledgerVerifierKey)
            audit.withLock { $0 = ledgerAudit }
            let interval = Duration.milliseconds(Int64(max(100, registration.heartbeatIntervalMs)))
            let maxChunkBytes = try WireProtocol.chunkLimit(announced: registration.maxChunkBytes, source: "registration response")
            try WireProtocol.check(registration.model, against: Feddata_V1_ModelSpec(
                name: registration.model.name, inputShape: train.featureShape, classCount: train.classCount,
                parameterCount: model.parameterCount), source: "the coordinator's model for this node's data")
            let (traffic, log) = (self.traffic, self.log)
            let pollWait = behaviour.pollWait
            let finished = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask {
                    while true {
                        try await Task.sleep(for: interval)
                        let request = Feddata_V1_HeartbeatRequest()
                        traffic.record(request.wireSize)
                        let response = try await client.heartbeat(request, metadata: metadata)
                        if !response.registered {
                            log("the coordinator no longer knows this node; registering again")
                            return false
                        }
                    }
                }
                group.addTask {
                    while true {
                        var poll = Feddata_V1_PollWorkRequest()
                        poll.waitMs = UInt32(pollWait.components.seconds * 1000)
                        traffic.record(poll.wireSize)
                        let response = try await client.pollWork(poll, metadata: metadata)
                        if response.hasTask {
                            try await Self.handle(response.task, client: client, metadata: metadata, trainer: trainer,
                                                  participant: participant, audit: ledgerAudit, signingKeyPEM: signingKeyPEM,
                                                  maxChunkBytes: maxChunkBytes, traffic: traffic, log: log)
                            traffic.recordTask(training: response.task.kind == .train)
                            if let ledgerAudit, !response.task.ledgerCheckpoint.isEmpty {
                                await Self.auditLedger(response.task.ledgerCheckpoint, audit: ledgerAudit, client: client, metadata: metadata, log: log)
                            }
                        } else if response.runFinished {
                            if let ledgerAudit, let c = try? await client.getLedgerCheckpoint(Feddata_V1_LedgerCheckpointRequest(), metadata: metadata) {
                                await Self.auditLedger(c.signedNote, audit: ledgerAudit, client: client, metadata: metadata, log: log)
                            }
                            return true
                        }
                    }
                }
                defer { group.cancelAll() }
                return try await group.next() ?? false
            }
            return finished
        }
    }

    func register(_ client: Feddata_V1_Federation.Client<HTTP2ClientTransport.Posix>,
                  metadata: Metadata) async throws -> Feddata_V1_RegisterResponse {
        var request = Feddata_V1_RegisterRequest()
        request.protocolVersion = WireProtocol.version
        request.dataSpec = Feddata_V1_ModelSpec(name: "", inputShape: train.featureShape, classCount: train.classCount, parameterCount: 0)
        request.trainingSamples = UInt64(train.count)
        request.evaluationSamples = UInt64(evaluation.count)
        request.agent = "feddata-node/\(WireProtocol.version)"
        request.secureAggregation = secureAggregation != nil
        if let fingerprint = dataFingerprint {
            request.dataFingerprint = Data(fingerprint.root)
            request.dataFingerprintRecords = UInt64(fingerprint.records)
        }
        traffic.record(request.wireSize)
        do {
            let response = try await client.register(request, metadata: metadata)
            log("registered as \(response.nodeID) in run \(response.runID); model \(response.model.name) (\(response.model.parameterCount) parameters)")
            return response
        } catch let error as RPCError where [.failedPrecondition, .permissionDenied].contains(error.code) {
            throw NodeAgentError(.refused, source: "coordinator \(connection.host):\(connection.port)", error.message)
        }
    }

    /// Downloads a task's parameters, trains or evaluates, and sends the answer.
    static func handle(_ task: Feddata_V1_Task, client: Feddata_V1_Federation.Client<HTTP2ClientTransport.Posix>, metadata: Metadata,
                       trainer: LocalTrainer, participant: (any SecureAggregationParticipant)?, audit: NodeLedgerAudit? = nil,
                       signingKeyPEM: String? = nil, maxChunkBytes: Int, traffic: NodeTraffic, log: @Sendable (String) -> Void) async throws {
        if task.kind == .secureAggregation {
            try await handleSecureAggregation(task, client: client, metadata: metadata, trainer: trainer, participant: participant,
                                              audit: audit, maxChunkBytes: maxChunkBytes, traffic: traffic, log: log)
            return
        }
        let parameters = try await download(task, client: client, metadata: metadata, trainer: trainer, maxChunkBytes: maxChunkBytes, traffic: traffic)
        try await answer(task, parameters: parameters, client: client, metadata: metadata, trainer: trainer, audit: audit,
                         signingKeyPEM: signingKeyPEM, maxChunkBytes: maxChunkBytes, traffic: traffic, log: log)
    }

    /// Verifies a new signed checkpoint (consistency with the last verified one), then the round
    /// records that name this node (its commitment, and inclusion in the verified tree).
    /// Failures are logged and kept in the audit; they do not stop the node.
    static func auditLedger(_ signedCheckpoint: String, audit: NodeLedgerAudit, client: Feddata_V1_Federation.Client<HTTP2ClientTransport.Posix>,
                            metadata: Metadata, log: @Sendable (String) -> Void) async {
        do {
            let size = try audit.size(of: signedCheckpoint)
            let verified = audit.verifiedSize
            guard size > verified || (verified == 0 && size > 0) else { return }
            var request = Feddata_V1_LedgerConsistencyRequest()
            request.fromSize = verified
            request.toSize = size
            let proof = verified == 0 ? [] : try await client.getLedgerConsistencyProof(request, metadata: metadata).hashes.map { Array($0) }
            try audit.adopt(signedCheckpoint, consistencyProof: proof)
            var range = audit.unscanned
            while !range.isEmpty {
                var entries = Feddata_V1_LedgerEntriesRequest()
                entries.start = range.lowerBound
                entries.count = UInt32(min(1000, range.count))
                let got = try await client.getLedgerEntries(entries, metadata: metadata).entries.map { Array($0) }
                guard !got.isEmpty else { break }
                for (index, bytes) in audit.scan(got, from: range.lowerBound) {
                    var inclusion = Feddata_V1_LedgerInclusionRequest()
                    inclusion.leafIndex = index
                    inclusion.treeSize = size
                    audit.proveIncluded(bytes, index: index, proof: try await client.getLedgerInclusionProof(inclusion, metadata: metadata).hashes.map { Array($0) })
                }
                range = audit.unscanned
            }
        } catch {
            log("ledger audit: \(error)")
        }
        for failure in audit.failures { log("LEDGER CHECK FAILED: \(failure)") }
    }

    /// Downloads a task's global parameters (checked chunk by chunk and by SHA-256).
    static func download(_ task: Feddata_V1_Task, client: Feddata_V1_Federation.Client<HTTP2ClientTransport.Posix>, metadata: Metadata,
                         trainer: LocalTrainer, maxChunkBytes: Int, traffic: NodeTraffic) async throws -> [Float] {
        let source = "parameters of task \(task.taskID)"
        var download = Feddata_V1_DownloadRequest()
        download.taskID = task.taskID
        traffic.record(download.wireSize)
        let expected = trainer.model.parameterCount
        guard task.parameterCount == UInt64(expected) else {
            throw NodeAgentError(.refused, source: source, "announces \(task.parameterCount) parameters; this node's model has \(expected)")
        }
        return try await client.downloadParameters(download, metadata: metadata) { response in
            var assembler = try ParameterAssembler(expectedCount: expected, chunkCount: Int(task.chunkCount), maxChunkBytes: maxChunkBytes,
                                                   sha256: task.parametersSha256.isEmpty ? nil : Array(task.parametersSha256),
                                                   maximumCount: expected, source: source)
            for try await chunk in response.messages { try assembler.append(chunk) }
            return try assembler.finish()
        }
    }

    /// One stage of a secure-aggregation round: (at the first stage) download and hand the
    /// training task to the participant, then stream its answer back.
    static func handleSecureAggregation(_ task: Feddata_V1_Task, client: Feddata_V1_Federation.Client<HTTP2ClientTransport.Posix>,
                                        metadata: Metadata, trainer: LocalTrainer, participant: (any SecureAggregationParticipant)?,
                                        audit: NodeLedgerAudit?, maxChunkBytes: Int, traffic: NodeTraffic,
                                        log: @Sendable (String) -> Void) async throws {
        guard let participant else {
            throw NodeAgentError(.refused, source: "task \(task.taskID)", "is a secure-aggregation task, but this node was started without --secure-aggregation")
        }
        guard let stage = SecureAggregationStage(rawValue: Int(task.secureAggregationStage)) else {
            throw NodeAgentError(.refused, source: "task \(task.taskID)", "names secure-aggregation stage \(task.secureAggregationStage); expected 1 to 4")
        }
        var training: TrainingTask?
        if task.parameterCount > 0 {
            let parameters = try await download(task, client: client, metadata: metadata, trainer: trainer, maxChunkBytes: maxChunkBytes, traffic: traffic)
            let configuration = try LocalTrainingConfiguration(wire: task.config, source: "training configuration of task \(task.taskID)")
            training = TrainingTask(round: Int(task.round), version: Int(task.version), parameters: parameters, configuration: configuration)
        }
        let request = SecureAggregationRequest(round: Int(task.round), stage: stage, payload: Array(task.secureAggregationPayload), training: training,
                                                nodeSeed: task.nodeSeed)
        let answer = try await participant.respond(to: request)
        if stage == .maskedInput { audit?.committed(round: Int(task.round), sha256: SHA256Digest.hex(SHA256Digest.hash(answer.payload))) }
        let response = try await client.submitSecureAggregation(metadata: metadata) { writer in
            for m in SecureAggregationStreamSender.messages(for: answer, taskID: task.taskID, maxChunkBytes: maxChunkBytes) {
                traffic.record(m.wireSize)
                try await writer.write(m)
            }
        }
        if !response.accepted { log("task \(task.taskID): \(response.message)") }
    }

    /// Trains or evaluates on downloaded parameters and sends the answer.
    static func answer(_ task: Feddata_V1_Task, parameters: [Float], client: Feddata_V1_Federation.Client<HTTP2ClientTransport.Posix>,
                       metadata: Metadata, trainer: LocalTrainer, audit: NodeLedgerAudit?, signingKeyPEM: String? = nil, maxChunkBytes: Int,
                       traffic: NodeTraffic, log: @Sendable (String) -> Void) async throws {
        switch task.kind {
        case .train:
            let configuration = try LocalTrainingConfiguration(wire: task.config, source: "training configuration of task \(task.taskID)")
            let local = TrainingTask(round: Int(task.round), version: Int(task.version), parameters: parameters, configuration: configuration)
            let reply = try trainer.train(local, nodeSeed: task.nodeSeed)
            if case .update(let delta, _) = reply.outcome {
                audit?.committed(round: Int(task.round), sha256: SHA256Digest.hex(SHA256Digest.hash(floats: delta)))
            }
            let response = try await client.submitUpdate(metadata: metadata) { writer in
                // The header, then the delta's chunks made one at a time (a large model is not copied whole).
                var header = Feddata_V1_UpdateMessage()
                header.header = reply.wireHeader(taskID: task.taskID, maxChunkBytes: maxChunkBytes)
                traffic.record(header.wireSize)
                try await writer.write(header)
                if case .update(let delta, _) = reply.outcome {
                    for i in 0..<ParameterChunks.chunkCount(parameterCount: delta.count, maxChunkBytes: maxChunkBytes) {
                        var m = Feddata_V1_UpdateMessage()
                        m.chunk = ParameterChunks.chunk(i, of: delta, maxChunkBytes: maxChunkBytes)
                        traffic.record(m.wireSize)
                        try await writer.write(m)
                    }
                }
            }
            if !response.accepted { log("task \(task.taskID): \(response.message)") }
        case .evaluate:
            let reply = try trainer.evaluate(EvaluationTask(round: Int(task.round), version: Int(task.version), parameters: parameters))
            var result = Feddata_V1_EvaluationResult()
            result.taskID = task.taskID
            result.round = task.round
            result.loss = reply.evaluation.loss
            result.accuracy = reply.evaluation.accuracy
            result.sampleCount = UInt64(reply.evaluation.count)
            if let signingKeyPEM {
                // Sign the numbers with this node's certificate key: the ledger records them as ours.
                let message = try LedgerEvaluation.signedMessage(
                    nodeID: trainer.nodeID, round: Int(task.round), modelSHA256: SHA256Digest.hex(Array(task.parametersSha256)),
                    metrics: EvaluationSignature.metrics(loss: reply.evaluation.loss, accuracy: reply.evaluation.accuracy, samples: reply.evaluation.count))
                result.signature = Data(try P256Signatures.sign(message, privateKeyPEM: signingKeyPEM))
            }
            traffic.record(result.wireSize)
            _ = try await client.submitEvaluation(result, metadata: metadata)
        default:
            throw NodeAgentError(.refused, source: "task \(task.taskID)", "has an unknown kind \(task.kind.rawValue)")
        }
    }

    static func target(host: String, port: Int) -> any ResolvableTarget {
        let parts = host.split(separator: ".")
        if parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }) { return .ipv4(address: host, port: port) }
        return .dns(host: host, port: port)
    }

    static func describe(_ error: any Error) -> String {
        if let rpc = error as? RPCError { return "\(rpc.code): \(rpc.message)" }
        return "\(error)"
    }
}

/// The metadata key an insecure node names itself with (the coordinator's `PeerAuthentication.insecure`).
public enum PeerAuthenticationHeader {
    public static let name = "feddata-node"
}

/// This node's certificate and key and the federation CA, as PEM text.
public struct NodeTLS: Sendable {
    public var certificatePEM: String
    public var privateKeyPEM: String
    public var caPEM: String
    /// Check the coordinator's certificate names the host dialled (default true).
    public var verifyHostname: Bool

    /// Creates TLS material.
    public init(certificatePEM: String, privateKeyPEM: String, caPEM: String, verifyHostname: Bool = true) {
        self.certificatePEM = certificatePEM
        self.privateKeyPEM = privateKeyPEM
        self.caPEM = caPEM
        self.verifyHostname = verifyHostname
    }
}

extension NodeAgent.Connection {
    /// Mutual TLS trusting only the federation CA, or plaintext.
    var transportSecurity: HTTP2ClientTransport.Posix.TransportSecurity {
        guard let tls else { return .plaintext }
        return .mTLS(certificateChain: [.bytes(Array(tls.certificatePEM.utf8), format: .pem)],
                     privateKey: .bytes(Array(tls.privateKeyPEM.utf8), format: .pem)) {
            $0.trustRoots = .certificates([.bytes(Array(tls.caPEM.utf8), format: .pem)])
            if !tls.verifyHostname { $0.serverCertificateVerification = .noHostnameVerification }
        }
    }
}

/// Counts what a node sends: every request message's serialized size. The test that raw data
/// never leaves a node compares this with the size of its data.
public final class NodeTraffic: Sendable {
    private let state = Mutex((bytes: 0, messages: 0, training: 0, evaluation: 0))

    /// Creates a zero count.
    public init() {}

    /// Adds a message of `n` serialized bytes.
    func record(_ n: Int) {
        state.withLock {
            $0.bytes += n
            $0.messages += 1
        }
    }

    /// Counts a task handled.
    func recordTask(training: Bool) {
        state.withLock {
            if training { $0.training += 1 } else { $0.evaluation += 1 }
        }
    }

    /// Training and evaluation tasks handled so far.
    public var tasks: (training: Int, evaluation: Int) { state.withLock { ($0.training, $0.evaluation) } }

    /// Bytes sent so far.
    public var bytes: Int { state.withLock { $0.bytes } }
    /// Messages sent so far.
    public var messages: Int { state.withLock { $0.messages } }
}

/// An error of the node agent.
public struct NodeAgentError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        /// The coordinator refused this node for good (protocol, model, allow-list).
        public static let refused = Code(raw: "refused")
        /// The coordinator could not be reached in the allowed attempts.
        public static let unreachable = Code(raw: "unreachable")
        /// A local file or setting is wrong.
        public static let invalidConfiguration = Code(raw: "invalid configuration")
        public var description: String { raw }
    }

    public var code: Code
    public var source: String
    public var message: String

    /// Creates an error.
    public init(_ code: Code, source: String, _ message: String) {
        self.code = code
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(code): \(message)" }
}
