import FedCoordinator
import FedCrypto
import FedIdentity
import FedLedger
import FedModels
import FedNode
import FedRound
import FedStore
import Foundation
import Synchronization
import Testing

/// A coordinator and nodes talking gRPC with mutual TLS on loopback, in one process: the
/// networked run equals the in-process simulation of the same federation and seed.
extension NetworkFederations {
@Suite(.timeLimit(.minutes(5))) struct FederationOverGRPCTests {
    @Test func fourHospitalsOverMutualTLSEqualTheInProcessFederation() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.cleanup() }
        let data = try HeartFederation.localData(in: tmp.url)
        let pki = try TestPKI(nodes: HeartFederation.names)
        let config = HeartFederation.configuration(rounds: 5)
        let store = InMemoryCoordinatorStore()
        let log = LogLines()
        let coordinator = Coordinator(configuration: config, server: .init(port: 0, tls: try pki.coordinatorTLS,
                                                                          heartbeatInterval: .milliseconds(200), heartbeatTimeout: .seconds(5)),
                                      store: store, resume: false, log: { log.append($0) })
        let rounds = Mutex<[RoundMetrics]>([])
        let (result, summaries) = try await withCoordinator(coordinator, onRound: { m in rounds.withLock { $0.append(m) } }) { port in
            try await withThrowingTaskGroup(of: NodeAgent.Summary.self) { group in
                for name in HeartFederation.names {
                    let d = data[name]!
                    let agent = NodeAgent(connection: .init(host: "127.0.0.1", port: port, tls: try pki.nodeTLS(name)),
                                          behaviour: .init(exitWhenDone: true, maxAttempts: 20), train: d.train, evaluation: d.evaluation)
                    group.addTask { try await agent.run() }
                }
                var all: [NodeAgent.Summary] = []
                for try await s in group { all.append(s) }
                return all
            }
        }
        let reference = try await HeartFederation.inProcessReference(config, data: data)
        #expect(result.parameters.flattened() == reference)
        let metrics = rounds.withLock { $0 }
        #expect(metrics.map(\.round) == [1, 2, 3, 4, 5])
        #expect(metrics.allSatisfy { $0.participants.count == 4 && $0.failures.isEmpty })
        #expect(metrics.last?.testAccuracy != nil)  // federated evaluation on the nodes' held-out rows
        #expect(log.contains("node hungary registered"))
        // Every round committed with its checkpoint; the last checkpoint is the final model.
        let run = try #require(try await store.latestRun())
        #expect(run.status == .finished && run.lastCompletedRound == 5)
        let point = try #require(try await store.latestCheckpoint(runID: run.id))
        #expect(point.round == 5 && point.parameters.flattened() == reference)
        // The ledger holds each node's signed evaluation of every round, and each signature verifies.
        let entries = try await store.ledgerEntries(runID: run.id, start: 0, count: 1000)
        let evaluations = entries.compactMap { e -> LedgerEvaluation? in
            if case .evaluation(let v)? = try? LedgerEntry(encoded: e.bytes) { return v }
            return nil
        }
        #expect(evaluations.count == 5 * 4)
        #expect(evaluations.allSatisfy { v in
            !v.signature.isEmpty && v.isSignatureValid { P256Signatures.isValid(signature: $0, of: $1, publicKeyDER: $2) }
        })
        #expect(try await StoredLedgerVerification.verify(store: store, runID: run.id).isOK)
        // Raw data never leaves a node: each sent far less than its own data, and what it sent
        // is accounted for by 5 updates of 28 floats plus protocol overhead.
        for s in summaries {
            #expect(s.trainingTasks == 5 && s.evaluationTasks == 5)
            // Each node verified the ledger: every new checkpoint consistent with the last, and
            // all 5 round records with its own update commitment included in the signed tree.
            #expect(s.ledgerFailures.isEmpty, "\(s.ledgerFailures)")
            #expect(s.ledgerRoundsVerified >= 4)  // the last round's record is checked if the node sees the final checkpoint before it exits
            #expect(s.bytesSent < 5 * (28 * 4) + 8_000)
        }
        let smallestData = data.values.map { $0.train.count * 13 * 4 }.min()!
        #expect(summaries.allSatisfy { $0.bytesSent < smallestData })
    }

    /// A node that takes a task and dies mid-round (it stops heartbeating): the round completes
    /// by quorum without it, and the node rejoins later and takes part again.
    @Test func nodeKilledMidRoundIsAFailureAndRejoins() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.cleanup() }
        let data = try HeartFederation.localData(in: tmp.url)
        let pki = try TestPKI(nodes: HeartFederation.names)
        var config = HeartFederation.configuration(rounds: 4, evaluateEvery: 0)
        config.minAvailable = 4  // rounds after the first wait for Switzerland to be back
        let coordinator = Coordinator(configuration: config, server: .init(port: 0, tls: try pki.coordinatorTLS,
                                                                          heartbeatInterval: .milliseconds(100), heartbeatTimeout: .milliseconds(800)),
                                      store: InMemoryCoordinatorStore(), resume: false)
        let rounds = Mutex<[RoundMetrics]>([])
        _ = try await withCoordinator(coordinator, onRound: { m in rounds.withLock { $0.append(m) } }) { port in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for name in HeartFederation.names where name != "switzerland" {
                    let d = data[name]!
                    let agent = NodeAgent(connection: .init(host: "127.0.0.1", port: port, tls: try pki.nodeTLS(name)),
                                          behaviour: .init(exitWhenDone: true, maxAttempts: 20), train: d.train, evaluation: d.evaluation)
                    group.addTask { _ = try await agent.run() }
                }
                // Switzerland registers, takes round 1's task, downloads it and dies.
                let phantom = try ManualNode(port: port, tls: try pki.nodeTLS("switzerland"))
                try await phantom.run { client in
                    _ = try await client.register(parameterCount: 28)
                    let task = try await client.pollTask()
                    _ = try await client.download(task)
                }
                // Once round 1 is over, Switzerland comes back as a real node.
                while rounds.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(20)) }
                let d = data["switzerland"]!
                let agent = NodeAgent(connection: .init(host: "127.0.0.1", port: port, tls: try pki.nodeTLS("switzerland")),
                                      behaviour: .init(exitWhenDone: true, maxAttempts: 20), train: d.train, evaluation: d.evaluation)
                group.addTask { _ = try await agent.run() }
                try await group.waitForAll()
            }
        }
        let metrics = rounds.withLock { $0 }
        #expect(metrics.count == 4)
        #expect(metrics[0].participants == ["cleveland", "hungary", "va_long_beach"])
        #expect(metrics[0].failures.map(\.nodeID) == ["switzerland"])
        #expect(metrics[0].failures.first?.reason.contains("silent") == true)
        #expect(metrics.last?.participants.contains("switzerland") == true)
    }
}
}
