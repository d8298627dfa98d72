import FedLedger
import FedProtocol
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2

/// Reads a live coordinator's ledger over the wire protocol (as a node, with its certificate):
/// the verifier key, the latest signed checkpoint and every entry, for `feddata ledger verify
/// --coordinator`.
public enum LedgerFetch {
    /// What was fetched.
    public struct Snapshot: Sendable {
        public var verifierKey: String
        public var signedCheckpoint: String
        public var entries: [[UInt8]]
    }

    /// Fetches the ledger of the coordinator at `connection`.
    /// - Throws: `RPCError` from the coordinator (NOT_FOUND without a ledger), transport errors.
    public static func fetch(_ connection: NodeAgent.Connection) async throws -> Snapshot {
        let transport = try HTTP2ClientTransport.Posix(
            target: NodeAgent.target(host: connection.host, port: connection.port), transportSecurity: connection.transportSecurity,
            config: .defaults { $0.http2.maxFrameSize = 1 << 20 },
            serviceConfig: ServiceConfig(methodConfig: [MethodConfig(
                names: [MethodConfig.Name(service: "")], maxRequestMessageBytes: 4 * WireProtocol.maxChunkBytes,
                maxResponseMessageBytes: 64 << 20)]))
        let metadata: Metadata = connection.insecureName.map { [PeerAuthenticationHeader.name: .string($0)] } ?? [:]
        return try await withGRPCClient(transport: transport) { grpc in
            let client = Feddata_V1_Federation.Client(wrapping: grpc)
            let c = try await client.getLedgerCheckpoint(Feddata_V1_LedgerCheckpointRequest(), metadata: metadata)
            var entries: [[UInt8]] = []
            while entries.count < Int(c.treeSize) {
                var r = Feddata_V1_LedgerEntriesRequest()
                r.start = UInt64(entries.count)
                r.count = UInt32(min(1000, Int(c.treeSize) - entries.count))
                let got = try await client.getLedgerEntries(r, metadata: metadata).entries
                guard !got.isEmpty else { break }
                entries += got.map { Array($0) }
            }
            return Snapshot(verifierKey: c.verifierKey, signedCheckpoint: c.signedNote, entries: Array(entries.prefix(Int(c.treeSize))))
        }
    }
}
