import FedCrypto
import Foundation
import SwiftASN1
import X509

/// Who a node is, read from its certificate: the node's name (the subject's common name, which
/// must agree with its `urn:feddata:node:<name>` URI when that is present), the SHA-256
/// fingerprint of the certificate's DER bytes, and when the certificate expires.
///
/// Reading an identity does not check the signature or the dates; ``FederationCA/verify(_:at:source:)``
/// does (and returns the identity). Mutual TLS in the transport does the real check; this is for
/// allow-lists, interceptors and `feddata ca show`.
public struct NodeIdentity: Sendable, Hashable, CustomStringConvertible {
    /// The node's name, e.g. `hospital-a`.
    public var name: String
    /// The SHA-256 of the certificate's DER encoding as 64 lowercase hex digits.
    public var fingerprint: String
    /// The end of the certificate's validity period.
    public var notValidAfter: Date

    /// Creates an identity from its parts.
    public init(name: String, fingerprint: String, notValidAfter: Date) {
        self.name = name
        self.fingerprint = fingerprint
        self.notValidAfter = notValidAfter
    }

    /// Reads the identity in a node's certificate.
    /// - Parameters:
    ///   - certificate: a node (leaf) certificate.
    ///   - source: what to name in an error (default: `certificate '<subject>'`).
    /// - Throws: `IdentityError` `.invalidIdentity` if the certificate has no common name, more
    ///   than one, a name that breaks the naming rule, or a `urn:feddata:node:` URI that names a
    ///   different node.
    public init(certificate: Certificate, source: String? = nil) throws {
        let source = source ?? Self.describe(certificate)
        let name = try Self.name(of: certificate, source: source)
        self.init(name: name, fingerprint: try Self.fingerprint(of: certificate), notValidAfter: certificate.notValidAfter)
    }

    /// `name (sha256 <first 16 hex digits>…, until <date>)`.
    public var description: String {
        "\(name) (sha256 \(fingerprint.prefix(16))…, until \(notValidAfter.formatted(.iso8601)))"
    }

    /// The node name in a certificate: its common name, checked against the naming rule and
    /// against every `urn:feddata:node:` URI subject alternative name.
    /// - Parameters:
    ///   - certificate: a node certificate.
    ///   - source: what to name in an error (default: `certificate '<subject>'`).
    /// - Throws: `IdentityError` `.invalidIdentity`, saying what is missing or disagrees.
    public static func name(of certificate: Certificate, source: String? = nil) throws -> String {
        let source = source ?? describe(certificate)
        let names = commonNames(in: certificate.subject)
        guard let cn = names.first else {
            throw IdentityError(.invalidIdentity, source: source, "the subject has no common name (CN); expected CN=<node name>")
        }
        guard names.count == 1 else {
            throw IdentityError(.invalidIdentity, source: source, "the subject has \(names.count) common names (\(names.joined(separator: ", "))); expected exactly one")
        }
        guard NodeName.isValid(cn) else {
            throw IdentityError(.invalidIdentity, source: source, "the common name '\(cn)' is not a node name; expected \(NodeName.ruleText)")
        }
        let uris: [String]
        do {
            uris = try nodeURINames(of: certificate)
        } catch {
            throw IdentityError(.invalidIdentity, source: source, "the subject alternative names do not parse", cause: error)
        }
        for uriName in uris where uriName != cn {
            throw IdentityError(.invalidIdentity, source: source, "the URI \(NodeName.uriPrefix)\(uriName) names a different node than the common name '\(cn)'; expected them to agree")
        }
        return cn
    }

    /// The node names carried by `urn:feddata:node:<name>` URI subject alternative names (usually
    /// one; empty if the certificate has none).
    /// - Throws: if the subject-alternative-name extension is malformed.
    public static func nodeURINames(of certificate: Certificate) throws -> [String] {
        guard let sans = try certificate.extensions.subjectAlternativeNames else { return [] }
        return sans.compactMap { san in
            guard case .uniformResourceIdentifier(let uri) = san, uri.hasPrefix(NodeName.uriPrefix) else { return nil }
            return String(uri.dropFirst(NodeName.uriPrefix.count))
        }
    }

    /// The SHA-256 of the certificate's DER encoding, as 64 lowercase hex digits (what
    /// `openssl x509 -fingerprint -sha256` prints, without the colons).
    /// - Throws: `IdentityError` `.certificateBuilding` if the certificate does not serialize.
    public static func fingerprint(of certificate: Certificate) throws -> String {
        SHA256Digest.hex(SHA256Digest.hash(try derBytes(of: certificate)))
    }

    /// The DER encoding of a certificate.
    static func derBytes(of certificate: Certificate) throws -> [UInt8] {
        do {
            var serializer = DER.Serializer()
            try serializer.serialize(certificate)
            return serializer.serializedBytes
        } catch {
            throw IdentityError(.certificateBuilding, source: describe(certificate), "could not serialize the certificate as DER", cause: error)
        }
    }

    /// The values of every common-name attribute of a distinguished name, in order.
    static func commonNames(in name: DistinguishedName) -> [String] {
        attributes(.RDNAttributeType.commonName, in: name)
    }

    /// The values of every attribute of one type in a distinguished name, in order.
    static func attributes(_ type: ASN1ObjectIdentifier, in name: DistinguishedName) -> [String] {
        name.flatMap { rdn in rdn.filter { $0.type == type }.map { String($0.value) ?? String(describing: $0.value) } }
    }

    /// `certificate 'O=…, CN=…'`: how errors name a certificate.
    static func describe(_ certificate: Certificate) -> String {
        "certificate '\(displayName(certificate.subject))'"
    }

    /// A distinguished name in reading order (`O=feddata, CN=hospital-a`).
    static func displayName(_ name: DistinguishedName) -> String {
        name.map { String(describing: $0) }.joined(separator: ", ")
    }
}
