import Foundation
import X509

/// What `feddata ca show` prints about a certificate: subject, issuer, subject alternative
/// names, validity, serial number and SHA-256 fingerprint, as plain text.
public struct CertificateSummary: Sendable, Hashable {
    /// The subject in reading order, e.g. `O=feddata, CN=hospital-a`.
    public var subject: String
    /// The issuer in reading order, e.g. `O=feddata, CN=feddata CA`.
    public var issuer: String
    /// The subject alternative names as `URI:…`, `DNS:…` and `IP:…` (others as swift-certificates prints them).
    public var subjectAlternativeNames: [String]
    /// The start of the validity period.
    public var notValidBefore: Date
    /// The end of the validity period.
    public var notValidAfter: Date
    /// The serial number as colon-separated two-digit hex bytes (`0a:1b:…`).
    public var serialNumber: String
    /// The SHA-256 of the DER encoding, 64 lowercase hex digits.
    public var fingerprint: String
    /// Whether the certificate is a CA (BasicConstraints CA:TRUE).
    public var isCA: Bool

    /// Summarizes a certificate.
    /// - Throws: `IdentityError` `.invalidIdentity` if its subject-alternative-name extension is
    ///   malformed, `.certificateBuilding` if it does not serialize.
    public init(_ certificate: Certificate) throws {
        subject = NodeIdentity.displayName(certificate.subject)
        issuer = NodeIdentity.displayName(certificate.issuer)
        let sans: SubjectAlternativeNames?
        do {
            sans = try certificate.extensions.subjectAlternativeNames
        } catch {
            throw IdentityError(.invalidIdentity, source: NodeIdentity.describe(certificate), "the subject alternative names do not parse", cause: error)
        }
        subjectAlternativeNames = (sans ?? SubjectAlternativeNames()).map(Self.text)
        notValidBefore = certificate.notValidBefore
        notValidAfter = certificate.notValidAfter
        serialNumber = certificate.serialNumber.bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: ":")
        fingerprint = try NodeIdentity.fingerprint(of: certificate)
        if case .isCertificateAuthority = try? certificate.extensions.basicConstraints { isCA = true } else { isCA = false }
    }

    static func text(_ name: GeneralName) -> String {
        switch name {
        case .uniformResourceIdentifier(let uri): return "URI:\(uri)"
        case .dnsName(let dns): return "DNS:\(dns)"
        case .ipAddress(let octets): return "IP:\(IPAddressBytes.format(Array(octets.bytes)))"
        case .rfc822Name(let email): return "email:\(email)"
        default: return String(describing: name)
        }
    }
}
