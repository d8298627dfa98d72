import FedCoordinator
import FedNode
import FedRound
import FedStore
import Foundation
import Synchronization
import Testing

/// Secure aggregation over the network: the four stages travel as tasks over mTLS gRPC, the
/// coordinator only ever receives masked vectors, and the result equals the plain federation
/// within the quantization error.
extension NetworkFederations {
@Suite(.timeLimit(.minutes(5))) struct SecureAggregationOverGRPCTests {
    @Test func fourHospitalsAggregateSecurelyToThePlainModel() async throws {
        let tmp = try TemporaryDirectory()
        defer { tmp.cleanup() }
        let data = try HeartFederation.localData(in: tmp.url)
        let pki = try TestPKI(nodes: HeartFederation.names)
        var config = HeartFederation.configuration(rounds: 4, evaluateEvery: 0)
        config.secureAggregation = true
        let coordinator = Coordinator(configuration: config, server: .init(port: 0, tls: try pki.coordinatorTLS,
                                                                          heartbeatInterval: .milliseconds(200), heartbeatTimeout: .seconds(5)),
                                      store: InMemoryCoordinatorStore(), resume: false)
        let rounds = Mutex<[RoundMetrics]>([])
        let (result, summaries) = try await withCoordinator(coordinator, onRound: { m in rounds.withLock { $0.append(m) } }) { port in
            try await withThrowingTaskGroup(of: NodeAgent.Summary.self) { group in
                for name in HeartFederation.names {
                    let d = data[name]!
                    let agent = NodeAgent(connection: .init(host: "127.0.0.1", port: port, tls: try pki.nodeTLS(name)),
                                          behaviour: .init(exitWhenDone: true, maxAttempts: 20), train: d.train, evaluation: d.evaluation,
                                          secureAggregation: { @Sendable id, train in SecureAggregationNode(nodeID: id, train: train) as any SecureAggregationParticipant })
                    group.addTask { try await agent.run() }
                }
                var all: [NodeAgent.Summary] = []
                for try await s in group { all.append(s) }
                return all
            }
        }
        let metrics = rounds.withLock { $0 }
        #expect(metrics.count == 4)
        #expect(metrics.allSatisfy { $0.participants.count == 4 && $0.failures.isEmpty && $0.roundFailed == nil })
        #expect(metrics.allSatisfy { $0.commitments.count == 4 })
        // The nodes found their masked-input commitments in the signed ledger.
        #expect(summaries.allSatisfy { $0.ledgerFailures.isEmpty && $0.ledgerRoundsVerified >= 3 }, "\(summaries.map(\.ledgerFailures))")
        let reference = try await HeartFederation.inProcessReference(config, data: data)
        let got = result.parameters.flattened()
        let worst = zip(got, reference).map { abs($0 - $1) }.max() ?? .infinity
        #expect(worst < 1e-4, "largest difference from the plain federation: \(worst)")
        #expect(got != reference)  // quantized: not bit-identical, so the plain path was not taken
    }
}
}
