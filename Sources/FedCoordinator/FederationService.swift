import FedCrypto
import FedLedger
import FedProtocol
import FedRound
import Foundation
import GRPCCore

/// The coordinator's side of the wire protocol (`feddata.v1.Federation`): a thin driver that
/// authenticates each call, decodes and checks its messages (FedProtocol's state machines), and
/// hands the result to the `NodeRegistry`. It makes no decisions about rounds.
///
/// Every refusal is an `RPCError` whose message names the source and what was expected, so
/// the node sees the same text the coordinator logs; the service keeps serving afterwards, and
/// a refused update never reaches the registry (nothing is recorded for it).
public struct FederationService: Feddata_V1_Federation.ServiceProtocol {
    /// What the service tells nodes and checks against.
    public struct Settings: Sendable {
        /// The run nodes join.
        public var runID: String
        /// The model the federation trains.
        public var model: Feddata_V1_ModelSpec
        /// How often nodes heartbeat, and after how long silence they count as gone.
        public var heartbeatInterval: Duration
        public var heartbeatTimeout: Duration
        /// The largest parameter chunk, in bytes.
        public var maxChunkBytes: Int
        /// How long a poll may wait for a task.
        public var maxPollWait: Duration
        /// Who may join (by certificate name); nil admits every certificate of the federation CA.
        public var allowList: Set<String>?
        /// How nodes are identified.
        public var authentication: PeerAuthentication
        /// The federation aggregates securely: nodes must declare that they take part.
        public var secureAggregation = false
        /// The run's ledger, which nodes may read (nil: the run keeps none).
        public var ledger: (any LedgerReader)? = nil

        /// Creates settings.
        public init(runID: String, model: Feddata_V1_ModelSpec, heartbeatInterval: Duration = .seconds(2),
                    heartbeatTimeout: Duration = .seconds(10), maxChunkBytes: Int = WireProtocol.maxChunkBytes,
                    maxPollWait: Duration = .seconds(10), allowList: Set<String>? = nil, authentication: PeerAuthentication,
                    secureAggregation: Bool = false, ledger: (any LedgerReader)? = nil) {
            self.secureAggregation = secureAggregation
            self.ledger = ledger
            self.runID = runID
            self.model = model
            self.heartbeatInterval = heartbeatInterval
            self.heartbeatTimeout = heartbeatTimeout
            self.maxChunkBytes = maxChunkBytes
            self.maxPollWait = maxPollWait
            self.allowList = allowList
            self.authentication = authentication
        }
    }

    let registry: NodeRegistry
    let settings: Settings
    let log: @Sendable (String) -> Void
    let onRegister: @Sendable (_ node: String, _ fingerprint: String) async -> Void
    let onDataFingerprint: @Sendable (_ node: String, _ root: [UInt8], _ records: Int) async -> Void

    /// Creates the service.
    /// - Parameters:
    ///   - registry: the federation's live state.
    ///   - settings: what to tell nodes and check.
    ///   - log: receives one line per notable event (joins, refusals).
    ///   - onRegister: called for each registration (the coordinator records the node).
    public init(registry: NodeRegistry, settings: Settings, log: @escaping @Sendable (String) -> Void = { _ in },
                onRegister: @escaping @Sendable (_ node: String, _ fingerprint: String) async -> Void = { _, _ in },
                onDataFingerprint: @escaping @Sendable (_ node: String, _ root: [UInt8], _ records: Int) async -> Void = { _, _, _ in }) {
        self.registry = registry
        self.settings = settings
        self.log = log
        self.onRegister = onRegister
        self.onDataFingerprint = onDataFingerprint
    }

    // MARK: - Identity

    /// The caller's node name, after authentication and the allow-list.
    func authenticate(_ metadata: Metadata, _ context: ServerContext) throws(RPCError) -> PeerIdentity {
        let peer: PeerIdentity
        do {
            peer = try settings.authentication.identify(metadata: metadata, context: context)
        } catch {
            log("refused a call from \(context.remotePeer): \(error)")
            throw RPCError(code: .unauthenticated, message: error.description)
        }
        if let allow = settings.allowList, !allow.contains(peer.name) {
            let e = CoordinatorError(.permissionDenied, source: "node \(peer.name)", "is not on the coordinator's allow-list")
            log("refused: \(e)")
            throw RPCError(code: .permissionDenied, message: e.description)
        }
        return peer
    }

    /// The caller's identity, which must also be registered and live.
    func registeredNode(_ metadata: Metadata, _ context: ServerContext) async throws(RPCError) -> String {
        let peer = try authenticate(metadata, context)
        guard await registry.isAlive(peer.name) else {
            throw RPCError(code: .unauthenticated, message: CoordinatorError(.nodeUnavailable, source: "node \(peer.name)",
                                                                               "is not registered (or timed out); call Register first").description)
        }
        return peer.name
    }

    /// A refusal as an RPC error (and a log line).
    func refuse(_ error: any Error, node: String, what: String) -> RPCError {
        log("refused \(what) from node \(node): \(error)")
        if let wire = error as? WireError { return wire.rpcError }
        if let e = error as? CoordinatorError {
            return RPCError(code: e.code == .taskRefused ? .failedPrecondition : .unavailable, message: e.description)
        }
        if let rpc = error as? RPCError { return rpc }
        return RPCError(code: .invalidArgument, message: "\(what) from node \(node): \(error)")
    }

    // MARK: - RPCs

    public func register(request: ServerRequest<Feddata_V1_RegisterRequest>,
                         context: ServerContext) async throws -> ServerResponse<Feddata_V1_RegisterResponse> {
        let peer = try authenticate(request.metadata, context)
        let r = request.message
        do {
            try WireProtocol.negotiate(nodeVersion: r.protocolVersion, source: "registration of node \(peer.name)")
            try WireProtocol.check(r.dataSpec, against: settings.model, source: "registration of node \(peer.name)")
            if settings.secureAggregation && !r.secureAggregation {
                throw CoordinatorError(.taskRefused, source: "registration of node \(peer.name)",
                                       "this federation aggregates securely (SecAgg+); start the node with --secure-aggregation")
            }
        } catch {
            let e = refuse(error, node: peer.name, what: "registration")
            throw RPCError(code: .failedPrecondition, message: e.message)
        }
        await registry.register(peer.name, fingerprint: peer.fingerprint)
        await onRegister(peer.name, peer.fingerprint)
        if r.dataFingerprint.count == 32 {
            await onDataFingerprint(peer.name, Array(r.dataFingerprint), Int(clamping: r.dataFingerprintRecords))
        }
        log("node \(peer.name) registered (\(r.trainingSamples) training samples, \(r.evaluationSamples) held out; \(r.agent))")
        var response = Feddata_V1_RegisterResponse()
        response.nodeID = peer.name
        response.protocolVersion = WireProtocol.version
        response.model = settings.model
        response.heartbeatIntervalMs = UInt32(clamping: settings.heartbeatInterval.milliseconds)
        response.heartbeatTimeoutMs = UInt32(clamping: settings.heartbeatTimeout.milliseconds)
        response.runID = settings.runID
        response.maxChunkBytes = UInt32(settings.maxChunkBytes)
        response.secureAggregation = settings.secureAggregation
        if let ledger = settings.ledger { response.ledgerVerifierKey = ledger.verifierKey }
        return ServerResponse(message: response)
    }

    public func heartbeat(request: ServerRequest<Feddata_V1_HeartbeatRequest>,
                          context: ServerContext) async throws -> ServerResponse<Feddata_V1_HeartbeatResponse> {
        let peer = try authenticate(request.metadata, context)
        var response = Feddata_V1_HeartbeatResponse()
        response.registered = await registry.heartbeat(peer.name)
        return ServerResponse(message: response)
    }

    public func pollWork(request: ServerRequest<Feddata_V1_PollWorkRequest>,
                         context: ServerContext) async throws -> ServerResponse<Feddata_V1_PollWorkResponse> {
        let node = try await registeredNode(request.metadata, context)
        let wait = min(Duration.milliseconds(Int64(request.message.waitMs)), settings.maxPollWait)
        var response = Feddata_V1_PollWorkResponse()
        if let a = await registry.poll(node, wait: wait) {
            response.task = WireTask.header(for: a, maxChunkBytes: settings.maxChunkBytes, runID: settings.runID)
            if let ledger = settings.ledger, let c = try? await ledger.checkpoint() { response.task.ledgerCheckpoint = c.signedNote }
        }
        response.runFinished = await registry.finished
        return ServerResponse(message: response)
    }

    public func downloadParameters(request: ServerRequest<Feddata_V1_DownloadRequest>,
                                   context: ServerContext) async throws -> StreamingServerResponse<Feddata_V1_ParameterChunk> {
        let node = try await registeredNode(request.metadata, context)
        let assignment: NodeRegistry.Assignment
        do {
            assignment = try await registry.assignment(request.message.taskID, for: node)
        } catch {
            return StreamingServerResponse(error: refuse(error, node: node, what: "download of task \(request.message.taskID)"))
        }
        let maxChunkBytes = settings.maxChunkBytes
        return StreamingServerResponse { writer in
            let values = assignment.parameters
            let n = ParameterChunks.chunkCount(parameterCount: values.count, maxChunkBytes: maxChunkBytes)
            for i in 0..<n {
                try await writer.write(ParameterChunks.chunk(i, of: values, maxChunkBytes: maxChunkBytes))
            }
            return [:]
        }
    }

    public func submitUpdate(request: StreamingServerRequest<Feddata_V1_UpdateMessage>,
                             context: ServerContext) async throws -> ServerResponse<Feddata_V1_SubmitResponse> {
        let node = try await registeredNode(request.metadata, context)
        var taskID = "(no header yet)"
        do {
            var messages = request.messages.makeAsyncIterator()
            // The header comes first and names the task: check it is this node's open training
            // task before reading (or allocating for) any chunk.
            guard let first = try await messages.next() else {
                throw WireError(.truncated, source: "update stream from node \(node)", "the stream ended before its header")
            }
            guard case .header(let header)? = first.part else {
                throw WireError(.unexpectedMessage, source: "update stream from node \(node)", "expected the UpdateHeader first, got a chunk")
            }
            taskID = header.taskID
            let a = try await registry.assignment(header.taskID, for: node)
            guard a.kind == .train else {
                throw CoordinatorError(.taskRefused, source: "task \(a.taskID) from node \(node)", "is an evaluation task; send SubmitEvaluation")
            }
            var receiver = UpdateStreamReceiver(nodeID: node, taskID: a.taskID, round: a.round, parameterCount: a.parameters.count,
                                                maxChunkBytes: settings.maxChunkBytes)
            try receiver.receive(first)
            while let message = try await messages.next() { try receiver.receive(message) }
            let reply = try receiver.finish()
            try await registry.complete(taskID, from: node, with: .training(reply))
        } catch {
            throw refuse(error, node: node, what: "update for task \(taskID)")
        }
        var response = Feddata_V1_SubmitResponse()
        response.accepted = true
        response.message = "update for task \(taskID) accepted"
        return ServerResponse(message: response)
    }

    public func submitSecureAggregation(request: StreamingServerRequest<Feddata_V1_SecureAggregationMessage>,
                                        context: ServerContext) async throws -> ServerResponse<Feddata_V1_SubmitResponse> {
        let node = try await registeredNode(request.metadata, context)
        var taskID = "(no header yet)"
        do {
            var messages = request.messages.makeAsyncIterator()
            guard let first = try await messages.next() else {
                throw WireError(.truncated, source: "secure-aggregation stream from node \(node)", "the stream ended before its header")
            }
            guard case .header(let header)? = first.part else {
                throw WireError(.unexpectedMessage, source: "secure-aggregation stream from node \(node)",
                                "expected the SecureAggregationHeader first, got a chunk")
            }
            taskID = header.taskID
            let a = try await registry.assignment(header.taskID, for: node)
            guard a.kind == .secureAggregation, let stage = a.stage else {
                throw CoordinatorError(.taskRefused, source: "task \(a.taskID) from node \(node)", "is not a secure-aggregation task")
            }
            var receiver = SecureAggregationStreamReceiver(
                nodeID: node, taskID: a.taskID, round: a.round, stage: stage,
                maximumBytes: Self.secureAggregationLimit(parameterCount: Int(settings.model.parameterCount)),
                maxChunkBytes: settings.maxChunkBytes)
            try receiver.receive(first)
            while let message = try await messages.next() { try receiver.receive(message) }
            try await registry.complete(taskID, from: node, with: .secureAggregation(try receiver.finish()))
        } catch {
            throw refuse(error, node: node, what: "secure-aggregation answer for task \(taskID)")
        }
        var response = Feddata_V1_SubmitResponse()
        response.accepted = true
        response.message = "secure-aggregation answer for task \(taskID) accepted"
        return ServerResponse(message: response)
    }

    /// The largest secure-aggregation answer accepted: a masked vector of 32-bit words for
    /// every parameter (and the weight), with room for the stage's keys and shares.
    static func secureAggregationLimit(parameterCount: Int) -> Int {
        (parameterCount + 1) * 8 + 16 << 20
    }

    public func submitEvaluation(request: ServerRequest<Feddata_V1_EvaluationResult>,
                                 context: ServerContext) async throws -> ServerResponse<Feddata_V1_SubmitResponse> {
        let node = try await registeredNode(request.metadata, context)
        let peer = try authenticate(request.metadata, context)
        let r = request.message
        do {
            let a = try await registry.assignment(r.taskID, for: node)
            var reply = try EvaluationReply(wire: r, nodeID: node, taskID: a.taskID, round: a.round, source: "evaluation of task \(a.taskID) from node \(node)")
            if !reply.signature.isEmpty {
                // The node signed its numbers with its certificate's key: check them before they reach the ledger.
                let message = try LedgerEvaluation.signedMessage(nodeID: node, round: a.round, modelSHA256: SHA256Digest.hex(a.parametersSHA256),
                                                                 metrics: EvaluationSignature.metrics(loss: reply.evaluation.loss, accuracy: reply.evaluation.accuracy, samples: reply.evaluation.count))
                guard P256Signatures.isValid(signature: reply.signature, of: message, publicKeyDER: peer.publicKey) else {
                    throw WireError(.invalidField, source: "evaluation of task \(a.taskID) from node \(node)",
                                    "signature: does not verify with the node's certificate key over (node, round, model SHA-256, loss, accuracy, samples)")
                }
                reply.signerKey = peer.publicKey
            }
            try await registry.complete(r.taskID, from: node, with: .evaluation(reply))
        } catch {
            throw refuse(error, node: node, what: "evaluation for task \(r.taskID)")
        }
        var response = Feddata_V1_SubmitResponse()
        response.accepted = true
        response.message = "evaluation for task \(r.taskID) accepted"
        return ServerResponse(message: response)
    }

    // MARK: - Ledger

    func ledgerOrNotFound() throws(RPCError) -> any LedgerReader {
        guard let ledger = settings.ledger else {
            throw RPCError(code: .notFound, message: "ledger of run \(settings.runID): this coordinator keeps no ledger")
        }
        return ledger
    }

    func ledgerCall<T>(_ what: String, node: String, _ body: () async throws -> T) async throws(RPCError) -> T {
        do { return try await body() } catch {
            log("refused \(what) from node \(node): \(error)")
            throw RPCError(code: .invalidArgument, message: "\(what): \(error)")
        }
    }

    public func getLedgerCheckpoint(request: ServerRequest<Feddata_V1_LedgerCheckpointRequest>,
                                    context: ServerContext) async throws -> ServerResponse<Feddata_V1_LedgerCheckpoint> {
        let node = try authenticate(request.metadata, context).name
        let ledger = try ledgerOrNotFound()
        let c = try await ledgerCall("ledger checkpoint", node: node) { try await ledger.checkpoint() }
        var response = Feddata_V1_LedgerCheckpoint()
        response.signedNote = c.signedNote
        response.treeSize = UInt64(c.treeSize)
        response.verifierKey = ledger.verifierKey
        return ServerResponse(message: response)
    }

    public func getLedgerEntries(request: ServerRequest<Feddata_V1_LedgerEntriesRequest>,
                                 context: ServerContext) async throws -> ServerResponse<Feddata_V1_LedgerEntries> {
        let node = try authenticate(request.metadata, context).name
        let ledger = try ledgerOrNotFound()
        let r = request.message
        guard r.count <= 1000, r.start <= UInt64(Int.max) else {
            throw RPCError(code: .invalidArgument, message: "ledger entries request from node \(node): count \(r.count) is above the limit of 1000 per call")
        }
        let entries = try await ledgerCall("ledger entries [\(r.start), +\(r.count))", node: node) {
            try await ledger.entries(start: Int(r.start), count: Int(r.count))
        }
        var response = Feddata_V1_LedgerEntries()
        response.entries = entries.map { Data($0) }
        return ServerResponse(message: response)
    }

    public func getLedgerInclusionProof(request: ServerRequest<Feddata_V1_LedgerInclusionRequest>,
                                        context: ServerContext) async throws -> ServerResponse<Feddata_V1_LedgerProof> {
        let node = try authenticate(request.metadata, context).name
        let ledger = try ledgerOrNotFound()
        let r = request.message
        let hashes = try await ledgerCall("inclusion proof of entry \(r.leafIndex) in tree size \(r.treeSize)", node: node) {
            try await ledger.inclusionProof(leafIndex: Int(clamping: r.leafIndex), treeSize: Int(clamping: r.treeSize))
        }
        var response = Feddata_V1_LedgerProof()
        response.hashes = hashes.map { Data($0) }
        return ServerResponse(message: response)
    }

    public func getLedgerConsistencyProof(request: ServerRequest<Feddata_V1_LedgerConsistencyRequest>,
                                          context: ServerContext) async throws -> ServerResponse<Feddata_V1_LedgerProof> {
        let node = try authenticate(request.metadata, context).name
        let ledger = try ledgerOrNotFound()
        let r = request.message
        let hashes = try await ledgerCall("consistency proof from tree size \(r.fromSize) to \(r.toSize)", node: node) {
            try await ledger.consistencyProof(from: Int(clamping: r.fromSize), to: Int(clamping: r.toSize))
        }
        var response = Feddata_V1_LedgerProof()
        response.hashes = hashes.map { Data($0) }
        return ServerResponse(message: response)
    }
}

extension Duration {
    /// Whole milliseconds (truncated).
    var milliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
