import FedIdentity
import GRPCCore
import GRPCNIOTransportHTTP2
import X509

/// Who is calling: a node's name and its certificate's SHA-256 fingerprint.
public struct PeerIdentity: Sendable, Equatable {
    /// The node's name (its certificate's common name).
    public var name: String
    /// The SHA-256 of its certificate (hex), or `insecure` without TLS.
    public var fingerprint: String
    /// Its certificate's public key (X9.63 point for P-256), empty without TLS: what verifies
    /// the node's signed evaluation results.
    public var publicKey: [UInt8] = []
}

/// How the coordinator learns a caller's identity.
public enum PeerAuthentication: Sendable {
    /// Mutual TLS: the transport has verified the client certificate against the federation CA;
    /// the node's name is the certificate's common name.
    case mutualTLS
    /// Loopback development only: no TLS; the node names itself in the `feddata-node` header.
    case insecure

    /// The metadata key an insecure node names itself with.
    public static let insecureNodeHeader = "feddata-node"

    /// The caller's identity.
    /// - Throws: `CoordinatorError.unauthenticated` without a client certificate (or, insecure,
    ///   without the header), or when the certificate names no valid node.
    func identify(metadata: Metadata, context: ServerContext) throws(CoordinatorError) -> PeerIdentity {
        switch self {
        case .mutualTLS:
            guard let certificate = (context.transportSpecific as? HTTP2ServerTransport.Posix.Context)?.peerCertificate else {
                throw CoordinatorError(.unauthenticated, source: "peer \(context.remotePeer)", "presented no client certificate; mutual TLS requires one from the federation CA")
            }
            do {
                let identity = try NodeIdentity(certificate: certificate)
                return PeerIdentity(name: identity.name, fingerprint: identity.fingerprint,
                                    publicKey: Array(certificate.publicKey.subjectPublicKeyInfoBytes))
            } catch {
                throw CoordinatorError(.unauthenticated, source: "peer \(context.remotePeer)", "its certificate names no valid node: \(error)")
            }
        case .insecure:
            guard let name = metadata[stringValues: Self.insecureNodeHeader].first(where: { _ in true }), !name.isEmpty else {
                throw CoordinatorError(.unauthenticated, source: "peer \(context.remotePeer)",
                                       "sent no '\(Self.insecureNodeHeader)' header; an insecure coordinator needs each node to name itself")
            }
            return PeerIdentity(name: name, fingerprint: "insecure")
        }
    }
}
