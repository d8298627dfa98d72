import FedCoordinator
import FedIdentity
import FedNode
import FedProtocol
import FedRound
import FedStore
import Foundation
import GRPCCore
import Synchronization
import Testing

/// Bad input and attacks against a live coordinator: each is refused with a clear error to the
/// node and in the coordinator's log, nothing is recorded for it, and the coordinator keeps
/// serving (a good update is accepted afterwards).
extension NetworkFederations {
@Suite(.timeLimit(.minutes(5))) struct WireAttackTests {
    /// A one-node federation whose only node is driven by hand; chunks of 16 bytes (4 floats), so
    /// logistic regression's 28 parameters travel in 7 chunks.
    static let maxChunkBytes = 16

    func coordinator(_ pki: TestPKI, store: InMemoryCoordinatorStore, log: LogLines, nodes: Int = 1, rounds: Int = 2) throws -> Coordinator {
        var config = HeartFederation.configuration(rounds: rounds, evaluateEvery: 0)
        config.nodes = nodes
        config.perRound = nodes
        var server = Coordinator.Server(port: 0, tls: try pki.coordinatorTLS, heartbeatInterval: .milliseconds(200), heartbeatTimeout: .seconds(30))
        server.maxChunkBytes = Self.maxChunkBytes
        return Coordinator(configuration: config, server: server, store: store, resume: false, log: { log.append($0) })
    }

    func expectRefused(_ code: RPCError.Code, containing text: String, _ call: () async throws -> Void) async {
        do {
            try await call()
            Issue.record("expected a refusal (\(code)) mentioning '\(text)', but the call succeeded")
        } catch let error as RPCError {
            #expect(error.code == code, "\(error)")
            #expect(error.message.contains(text), "\(error.message)")
        } catch {
            Issue.record("expected an RPCError, got \(error)")
        }
    }

    @Test func badUpdatesAreRefusedAndTheGoodOneIsFused() async throws {
        let pki = try TestPKI(nodes: ["hungary"])
        let store = InMemoryCoordinatorStore()
        let log = LogLines()
        let m = Self.maxChunkBytes
        let delta = (0..<28).map { Float($0) / 100 }
        let (result, _) = try await withCoordinator(try coordinator(pki, store: store, log: log)) { port in
            let node = try ManualNode(port: port, tls: try pki.nodeTLS("hungary"))
            try await node.run { c in
                // A protocol version from the future is refused at registration.
                await expectRefused(.failedPrecondition, containing: "version") { _ = try await c.register(parameterCount: 28, version: 99) }
                // Data of the wrong shape (12 features for a 13-feature model) is refused too.
                await expectRefused(.failedPrecondition, containing: "13") { _ = try await c.register(parameterCount: 28, features: 12) }
                let reg = try await c.register(parameterCount: 28)
                #expect(reg.maxChunkBytes == UInt32(m))
                let task = try await c.pollTask()
                #expect(task.chunkCount == 7)
                let global = try await c.download(task, maxChunkBytes: m)
                #expect(global.count == 28)
                let good = Craft.chunks(delta, maxChunkBytes: m)
                let header = Craft.header(task: task, parameterCount: 28, chunkCount: 7)

                // Cut short: 3 of 7 chunks.
                await expectRefused(.invalidArgument, containing: "3 of 7") { _ = try await c.submit([header] + good.prefix(3)) }
                // Reordered: chunk 1 before chunk 0.
                await expectRefused(.invalidArgument, containing: "expected chunk 0") { _ = try await c.submit([header, good[1], good[0]] + good[2...]) }
                // Oversized: a 20-byte chunk when 16 is the limit.
                await expectRefused(.invalidArgument, containing: "16") {
                    _ = try await c.submit([header, Craft.chunk(index: 0, bytes: [UInt8](repeating: 0, count: 20))])
                }
                // Not a whole number of floats.
                await expectRefused(.invalidArgument, containing: "multiple of 4") {
                    _ = try await c.submit([header, Craft.chunk(index: 0, bytes: [1, 2, 3, 4, 5, 6, 7])])
                }
                // The wrong shape: 27 parameters.
                await expectRefused(.invalidArgument, containing: "28") {
                    _ = try await c.submit([Craft.header(task: task, parameterCount: 27, chunkCount: 7)] + good)
                }
                // NaN at parameter 5.
                var poisoned = delta
                poisoned[5] = .nan
                await expectRefused(.invalidArgument, containing: "5") { _ = try await c.submit([header] + Craft.chunks(poisoned, maxChunkBytes: m)) }
                // Chunks before any header.
                await expectRefused(.invalidArgument, containing: "UpdateHeader first") { _ = try await c.submit(good) }
                // A task this node was never given.
                var other = task
                other.taskID = task.taskID + "-forged"
                await expectRefused(.failedPrecondition, containing: "forged") {
                    _ = try await c.submit([Craft.header(task: other, parameterCount: 28, chunkCount: 7)] + good)
                }
                // Malformed protobuf.
                do {
                    try await c.submitGarbage([0xFF, 0xFF, 0xFF, 0xFF])
                    Issue.record("malformed protobuf was accepted")
                } catch let error as RPCError {
                    #expect(error.code == .internalError || error.code == .invalidArgument || error.code == .unknown, "\(error)")
                }
                // Still serving: the good update is accepted …
                let ok = try await c.submit([header] + good)
                #expect(ok.accepted)
                // … exactly once: replaying it (while round 2 runs) is refused.
                let task2 = try await c.pollTask()
                await expectRefused(.failedPrecondition, containing: "already answered") { _ = try await c.submit([header] + good) }
                _ = try await c.download(task2, maxChunkBytes: m)
                let ok2 = try await c.submit([Craft.header(task: task2, parameterCount: 28, chunkCount: 7)] + good)
                #expect(ok2.accepted)
            }
            return 0
        }
        // Only the good updates reached the model: one node, FedAvg, two rounds of global + delta
        // (up to the rounding of the weighted mean, w·δ/w).
        let initial = Coordinator.initialParameters(model: try HeartFederation.configuration(rounds: 1).makeModel(), seed: 7).flattened()
        let expected = zip(initial, delta).map { $0 + 2 * $1 }
        #expect(zip(result.parameters.flattened(), expected).allSatisfy { abs($0 - $1) <= 1e-6 })
        let run = try #require(try await store.latestRun())
        #expect(try await store.rounds(runID: run.id).count == 2)
        #expect(log.contains("refused update"))
        #expect(log.contains("NaN") || log.contains("nan"))
    }

    /// Mutual TLS admits only certificates of the federation CA, unexpired; the allow-list
    /// admits only listed names. Each refused peer leaves the coordinator serving.
    @Test func peersWithoutAValidCertificateAreRefused() async throws {
        let pki = try TestPKI(nodes: ["hungary", "mallory"])
        let otherCA = try FederationCA.create(federation: "other-federation")
        let forged = try otherCA.issueNode(name: "hungary")
        let expired = try pki.ca.issueNode(name: "hungary", notValidBefore: Date(timeIntervalSinceNow: -86_400 * 10),
                                           notValidAfter: Date(timeIntervalSinceNow: -86_400))
        let store = InMemoryCoordinatorStore()
        let log = LogLines()
        var config = HeartFederation.configuration(rounds: 1, evaluateEvery: 0)
        config.nodes = 1
        config.perRound = 1
        let coordinator = Coordinator(configuration: config, server: .init(port: 0, tls: try pki.coordinatorTLS, allowList: ["hungary"]),
                                      store: store, resume: false, log: { log.append($0) })
        let caPEM = try pki.caPEM
        _ = try await withCoordinator(coordinator) { port in
            func attempt(_ node: ManualNode) async -> RPCError? {
                do {
                    _ = try await node.run { try await $0.register(parameterCount: 28) }
                    return nil
                } catch let e as RPCError { return e } catch { return RPCError(code: .unknown, message: "\(error)") }
            }
            // No client certificate at all.
            let none = await attempt(try ManualNode(port: port, tls: nil, certificateless: caPEM))
            #expect(none != nil && "\(none!)".contains("CERTIFICATE_REQUIRED") || none?.code == .unavailable)
            // A certificate from another CA, with the right name.
            let foreign = await attempt(try ManualNode(port: port, tls: NodeTLS(certificatePEM: try forged.certificatePEM(),
                                                                                privateKeyPEM: try forged.privateKeyPEM(), caPEM: caPEM)))
            #expect(foreign?.code == .unavailable)
            // An expired certificate from our CA.
            let stale = await attempt(try ManualNode(port: port, tls: NodeTLS(certificatePEM: try expired.certificatePEM(),
                                                                              privateKeyPEM: try expired.privateKeyPEM(), caPEM: caPEM)))
            #expect(stale?.code == .unavailable)
            // A valid certificate whose name is not on the allow-list.
            let stranger = await attempt(try ManualNode(port: port, tls: try pki.nodeTLS("mallory")))
            #expect(stranger?.code == .permissionDenied)
            #expect(stranger?.message.contains("allow-list") == true)
            // The coordinator still serves the real node, which completes the run.
            let d = try HeartFederation.localData(in: FileManager.default.temporaryDirectory.appendingPathComponent("feddata-net-\(UUID().uuidString)"))["hungary"]!
            let agent = NodeAgent(connection: .init(host: "127.0.0.1", port: port, tls: try pki.nodeTLS("hungary")),
                                  behaviour: .init(exitWhenDone: true, maxAttempts: 10), train: d.train, evaluation: d.evaluation)
            _ = try await agent.run()
            return 0
        }
        #expect(try await store.nodes().map(\.name) == ["hungary"])
        #expect(log.contains("mallory"))
    }
}
}
