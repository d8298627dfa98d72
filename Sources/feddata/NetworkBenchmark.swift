import FedCoordinator
import FedCrypto
import FedIdentity
import FedNode
import FedProtocol
import FedRound
import FedStore
import FedWorkloads
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization

/// `feddata bench network`: what the networked federation costs beyond the nodes' own work.
///
/// - `network-10x2nn`: a coordinator (this process) and 10 node **processes** on loopback with
///   mutual TLS; the 2NN on MNIST, 10 nodes per round, 600 samples each (shares 0–9 of an IID
///   split into 100), E=1, B=10. Reports `seconds_per_round` and `overhead_ratio` = round time ÷
///   the slowest node's own training time (1.0 = no overhead), over the rounds after the first.
/// - `transfer-100mb`: 100 MB of parameters down to a node and 100 MB of update back up, over
///   one mutual-TLS connection on loopback through the real service (chunked streams, SHA-256
///   checks, registry); `mb_per_s` = 200 MB ÷ the time.
enum NetworkBenchmark {
    struct RoundsResult {
        var secondsPerRound: Double
        var overheadRatio: Double
        var rounds: Int
        var slowestNodeSeconds: Double
    }

    /// A temporary PKI with a coordinator and `nodes` node certificates.
    static func makePKI(in dir: URL, nodes: [String]) throws -> PKIDirectory {
        let pki = PKIDirectory(path: dir.path)
        let ca = try pki.initialize(federation: "bench")
        try pki.save(try ca.issueCoordinator())
        for n in nodes { try pki.save(try ca.issueNode(name: n)) }
        return pki
    }

    static func material(_ pki: PKIDirectory, _ name: String) throws -> (certificate: String, key: String, ca: String) {
        let issued = try pki.loadCredentials(name: name)
        return (try issued.certificatePEM(), try issued.privateKeyPEM(), try String(contentsOfFile: pki.caCertificatePath, encoding: .utf8))
    }

    static func rounds(rounds: Int, executable: URL) async throws -> RoundsResult {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("feddata-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let names = (0..<10).map { "node-\($0)" }
        let pkiDir = tmp.appendingPathComponent("pki")
        let pki = try makePKI(in: pkiDir, nodes: names)
        let c = try material(pki, "coordinator")
        let config = CoordinatorConfiguration(model: "2nn", inputShape: [28, 28, 1], classCount: 10, rounds: rounds, nodes: 10, perRound: 10,
                                              quorum: 1, localEpochs: 1, batchSize: 10, learningRate: 0.1, seed: 1, evaluateEvery: 0,
                                              nodeTimeoutSeconds: 300, minAvailable: 10)
        let store = try SQLiteCoordinatorStore(path: tmp.appendingPathComponent("state.db").path)
        let coordinator = Coordinator(configuration: config, server: .init(port: 0, tls: TLSMaterial(certificatePEM: c.certificate, privateKeyPEM: c.key, caPEM: c.ca)),
                                      store: store, resume: false)
        let metrics = RoundCollector()
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var children: [Process] = []
        defer { for p in children where p.isRunning { p.terminate() } }
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                _ = try await coordinator.run(onListening: { continuation.yield($0); continuation.finish() },
                                              onRound: { m in metrics.append(m) })
            }
            var it = ports.makeAsyncIterator()
            guard let port = await it.next() else { throw CancellationError() }
            for (i, name) in names.enumerated() {
                let p = Process()
                p.executableURL = executable
                p.arguments = ["node", "--coordinator", "127.0.0.1:\(port)", "--pki", pkiDir.path, "--name", name,
                               "--dataset", "mnist", "--partition", "iid", "--nodes", "100", "--node-index", "\(i)", "--exit-when-done"]
                var env = ProcessInfo.processInfo.environment
                env["FEDDATA_THREADS"] = "1"  // 10 processes share the cores: no GEMM worker pools spinning against each other
                p.environment = env
                p.standardOutput = FileHandle.nullDevice
                p.standardError = FileHandle.nullDevice
                try p.run()
                children.append(p)
            }
            try await group.waitForAll()
            for p in children { p.waitUntilExit() }
            let all = metrics.all
            let measured = all.count > 1 ? Array(all.dropFirst()) : all
            let ratios = measured.compactMap { m in m.slowestNodeSeconds.map { m.seconds / $0 } }
            return RoundsResult(
                secondsPerRound: measured.map(\.seconds).reduce(0, +) / Double(max(1, measured.count)),
                overheadRatio: ratios.reduce(0, +) / Double(max(1, ratios.count)), rounds: measured.count,
                slowestNodeSeconds: measured.compactMap(\.slowestNodeSeconds).reduce(0, +) / Double(max(1, measured.count)))
        }
    }

    struct TransferResult {
        var megabytes: Double
        var downloadSeconds: Double
        var uploadSeconds: Double
        var mbPerSecond: Double { 2 * megabytes / (downloadSeconds + uploadSeconds) }
    }

    /// 25,000,000 floats (100 MB) down and back up through the service over mutual TLS.
    static func transfer(floats: Int = 25_000_000) async throws -> TransferResult {
        let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("feddata-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: tmp, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: tmp) }
        let pki = try makePKI(in: tmp, nodes: ["node-0"])
        let c = try material(pki, "coordinator"), n = try material(pki, "node-0")
        let registry = NodeRegistry(taskPrefix: "bench")
        // A model spec the size of the vector: logistic regression over 2,499,999 inputs, 10 classes.
        let spec = Feddata_V1_ModelSpec(name: "logreg", inputShape: [floats / 10 - 1], classCount: 10, parameterCount: floats)
        let service = FederationService(registry: registry, settings: .init(runID: "bench", model: spec, authentication: .mutualTLS))
        let server = Coordinator.Server(port: 0, tls: TLSMaterial(certificatePEM: c.certificate, privateKeyPEM: c.key, caPEM: c.ca))
        let transport = HTTP2ServerTransport.Posix(
            address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: server.transportSecurityForBenchmark,
            config: .defaults {
                $0.rpc.maxRequestPayloadSize = 4 * WireProtocol.maxChunkBytes
                $0.http2.targetWindowSize = 8 << 20
                $0.http2.maxFrameSize = 1 << 20
            })
        let grpcServer = GRPCServer(transport: transport, services: [service])
        var values = [Float](repeating: 0, count: floats)
        for i in values.indices { values[i] = Float(i % 1000) * 0.001 }
        let payload = values
        return try await withThrowingTaskGroup(of: TransferResult?.self) { group in
            group.addTask { try await grpcServer.serve(); return nil }
            guard let port = try await transport.listeningAddress.ipv4?.port else { throw CancellationError() }
            let client = try HTTP2ClientTransport.Posix(
                target: .ipv4(address: "127.0.0.1", port: port),
                transportSecurity: .mTLS(certificateChain: [.bytes(Array(n.certificate.utf8), format: .pem)],
                                         privateKey: .bytes(Array(n.key.utf8), format: .pem)) {
                    $0.trustRoots = .certificates([.bytes(Array(n.ca.utf8), format: .pem)])
                },
                config: .defaults {
                    $0.http2.maxFrameSize = 1 << 20
                    $0.http2.targetWindowSize = 8 << 20
                },
                serviceConfig: ServiceConfig(methodConfig: [MethodConfig(names: [MethodConfig.Name(service: "")],
                                                                         maxRequestMessageBytes: 4 << 20, maxResponseMessageBytes: 4 << 20)]))
            let result = try await withGRPCClient(transport: client) { grpc in
                let fed = Feddata_V1_Federation.Client(wrapping: grpc)
                var reg = Feddata_V1_RegisterRequest()
                reg.protocolVersion = WireProtocol.version
                reg.dataSpec = Feddata_V1_ModelSpec(name: "", inputShape: [floats / 10 - 1], classCount: 10, parameterCount: 0)
                _ = try await fed.register(reg)
                let assigned = Task {
                    try await registry.assign("node-0", kind: .train, round: 1, version: 0, parameters: payload,
                                              parametersSHA256: SHA256Digest.hash(floats: payload),
                                              configuration: LocalTrainingConfiguration(localEpochs: 1, batchSize: 1, learningRate: 0.1), nodeSeed: 1)
                }
                var task: Feddata_V1_Task?
                while task == nil {
                    var poll = Feddata_V1_PollWorkRequest()
                    poll.waitMs = 1000
                    let r = try await fed.pollWork(poll)
                    if r.hasTask { task = r.task }
                }
                let t = task!
                let clock = ContinuousClock()
                let t0 = clock.now
                var download = Feddata_V1_DownloadRequest()
                download.taskID = t.taskID
                let received = try await fed.downloadParameters(download) { response in
                    var a = try ParameterAssembler(downloading: t, modelParameterCount: floats, source: "benchmark download")
                    for try await chunk in response.messages { try a.append(chunk) }
                    return try a.finish()
                }
                let t1 = clock.now
                let reply = TrainingReply.update(nodeID: "node-0", round: 1, delta: received, sampleCount: 1)
                let messages = reply.wireMessages(taskID: t.taskID)
                _ = try await fed.submitUpdate { writer in
                    for m in messages { try await writer.write(m) }
                }
                _ = try await assigned.value
                let t2 = clock.now
                func s(_ d: Duration) -> Double { Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18 }
                return TransferResult(megabytes: Double(floats * 4) / 1e6, downloadSeconds: s(t1 - t0), uploadSeconds: s(t2 - t1))
            }
            grpcServer.beginGracefulShutdown()
            group.cancelAll()
            return result
        }
    }
}

extension Coordinator.Server {
    /// The server's transport security (mutual TLS with the federation CA), for the benchmark's own server.
    var transportSecurityForBenchmark: HTTP2ServerTransport.Posix.TransportSecurity {
        let tls = self.tls!
        return .mTLS(certificateChain: [.bytes(Array(tls.certificatePEM.utf8), format: .pem)],
                     privateKey: .bytes(Array(tls.privateKeyPEM.utf8), format: .pem)) {
            $0.trustRoots = .certificates([.bytes(Array(tls.caPEM.utf8), format: .pem)])
        }
    }
}

/// Round metrics collected from the coordinator's task.
final class RoundCollector: Sendable {
    private let rounds = Mutex<[RoundMetrics]>([])
    func append(_ m: RoundMetrics) { rounds.withLock { $0.append(m) } }
    var all: [RoundMetrics] { rounds.withLock { $0 } }
}
