import FedCoordinator
import FedDatasets
import FedFusion
import FedIdentity
import FedModels
import FedNode
import FedRound
import FedStore
import Foundation
import Synchronization
import Testing

/// A federation CA with a coordinator certificate and node certificates, made in memory.
struct TestPKI {
    let ca: FederationCA
    let coordinator: IssuedCertificate
    var nodes: [String: IssuedCertificate] = [:]

    init(nodes names: [String]) throws {
        ca = try FederationCA.create(federation: "test-federation")
        coordinator = try ca.issueCoordinator()
        for n in names { nodes[n] = try ca.issueNode(name: n) }
    }

    var caPEM: String { get throws { try ca.certificate.serializeAsPEM().pemString } }

    var coordinatorTLS: TLSMaterial {
        get throws { TLSMaterial(certificatePEM: try coordinator.certificatePEM(), privateKeyPEM: try coordinator.privateKeyPEM(), caPEM: try caPEM) }
    }

    func nodeTLS(_ name: String) throws -> NodeTLS {
        let issued = try #require(nodes[name])
        return NodeTLS(certificatePEM: try issued.certificatePEM(), privateKeyPEM: try issued.privateKeyPEM(), caPEM: try caPEM)
    }

    /// Writes the CA certificate and every party's certificate and key in `feddata ca`'s layout.
    func write(to dir: URL) throws {
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        try caPEM.write(to: dir.appendingPathComponent("ca.pem"), atomically: true, encoding: .utf8)
        for issued in [coordinator] + nodes.values {
            try issued.certificatePEM().write(to: dir.appendingPathComponent("\(issued.name).pem"), atomically: true, encoding: .utf8)
            try issued.privateKeyPEM().write(to: dir.appendingPathComponent("\(issued.name)-key.pem"), atomically: true, encoding: .utf8)
        }
    }
}

/// A unique temporary directory, removed by `cleanup()`.
struct TemporaryDirectory {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("feddata-net-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    func cleanup() { try? FileManager.default.removeItem(at: url) }
}

/// The four Heart Disease hospitals as node data, each from its own CSV file (as a real node
/// would load it), with a seeded hold-out and local standardisation.
enum HeartFederation {
    /// The node names, sorted (the coordinator's roster order).
    static let names = ["cleveland", "hungary", "switzerland", "va_long_beach"]

    static func localData(in dir: URL, seed: UInt64 = 1) throws -> [String: LocalData] {
        let files = try LocalData.writeHospitalFiles(to: dir)
        var out: [String: LocalData] = [:]
        for name in names {
            let file = try #require(files.first { $0.lastPathComponent == LocalData.hospitalFileName(name) })
            out[name] = try LocalData.load(csv: file, schema: DataSchema.heartDisease, seed: seed)
        }
        return out
    }

    /// A coordinator configuration for the four hospitals.
    static func configuration(rounds: Int, seed: UInt64 = 7, evaluateEvery: Int = 1) -> CoordinatorConfiguration {
        CoordinatorConfiguration(model: "logreg", inputShape: [13], classCount: 2, strategy: "fedavg", rounds: rounds, nodes: 4,
                                 perRound: 4, quorum: 0.5, localEpochs: 1, batchSize: 16, learningRate: 0.05, seed: seed,
                                 evaluateEvery: evaluateEvery, nodeTimeoutSeconds: 120)
    }

    /// The same federation run in process by the same round engine and the same node trainer:
    /// the reference a networked run must equal bit for bit.
    static func inProcessReference(_ config: CoordinatorConfiguration, data: [String: LocalData]) async throws -> [Float] {
        let model = try config.makeModel()
        let roster = names
        let channels: [any NodeChannel] = try roster.enumerated().map { i, name in
            let d = try #require(data[name])
            let trainer = LocalTrainer(nodeID: name, model: model, train: d.train, evaluation: d.evaluation)
            let seed = Coordinator.nodeSeed(runSeed: config.seed, index: i)
            return InProcessChannel(nodeID: name, train: { task in try trainer.train(task, nodeSeed: seed) })
        }
        let policy = RoundPolicy(perRound: config.perRound, training: config.training, quorum: .fraction(config.quorum),
                                 concurrency: roster.count, seed: config.seed, onFailedRound: .skip)
        var runner = try FederationRunner(channels: channels, initialParameters: Coordinator.initialParameters(model: model, seed: config.seed).flattened(),
                                          strategy: try config.makeStrategy(), policy: policy)
        for _ in 0..<config.rounds { _ = try await runner.runRound() }
        return runner.global
    }
}

/// Collects log lines from concurrent code.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])
    func append(_ line: String) { lines.withLock { $0.append(line) } }
    var all: [String] { lines.withLock { $0 } }
    func contains(_ text: String) -> Bool { all.contains { $0.contains(text) } }
}

/// Runs a coordinator in this process; returns its result after `body` (given the port) ends.
func withCoordinator<T: Sendable>(
    _ coordinator: Coordinator, onRound: @escaping @Sendable (RoundMetrics) -> Void = { _ in },
    _ body: @escaping @Sendable (Int) async throws -> T
) async throws -> (Coordinator.Result, T) {
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        let result = Mutex<Coordinator.Result?>(nil)
        let value = Mutex<T?>(nil)
        group.addTask {
            let r = try await coordinator.run(onListening: { continuation.yield($0); continuation.finish() }, onRound: onRound)
            result.withLock { $0 = r }
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        group.addTask {
            let v = try await body(port)
            value.withLock { $0 = v }
        }
        try await group.waitForAll()
        return (try #require(result.withLock { $0 }), try #require(value.withLock { $0 }))
    }
}

/// The suites that run whole federations over loopback (coordinator, nodes, heartbeats with
/// timeouts). They run one at a time: in parallel they compete for the same cores and a starved
/// node can miss its heartbeat window, which would test the machine's load, not the code.
@Suite(.serialized) enum NetworkFederations {}
