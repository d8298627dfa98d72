import FedCrypto
import Foundation
import SwiftASN1
import X509

/// A federation's certificate authority: a self-signed P-256 certificate and its key. It issues
/// the leaf certificates that are node identities (`O=<federation>, CN=<node>`, with the URI
/// `urn:feddata:node:<node>`), including the coordinator's (which also names the DNS names and
/// IP addresses clients use to reach it), and checks that a leaf is one of its own.
///
/// P-256 (ECDSA with SHA-256) throughout: mutual TLS with Ed25519 certificates fails in
/// BoringSSL's default configuration (GRPC-NOTES.md). Keys come from FedCrypto's CSPRNG.
public struct FederationCA: Sendable {
    /// The federation's name: the CA subject's organization (`O=`).
    public let federation: String
    /// The self-signed CA certificate (`O=<federation>, CN=<federation> CA`).
    public let certificate: Certificate
    /// The CA's private key.
    public let privateKey: Certificate.PrivateKey

    /// The default lifetime of a CA certificate, in years.
    public static let defaultValidityYears = 10
    /// The default lifetime of a leaf certificate, in days.
    public static let defaultLeafValidityDays = 365
    /// How far before "now" default validity periods start, so that a certificate issued
    /// on one machine is valid on another whose clock is a little behind.
    public static let clockSkewAllowance: TimeInterval = 300

    /// Creates a new federation CA with a fresh P-256 key.
    ///
    /// Extensions: BasicConstraints CA with maxPathLength 0 (critical), KeyUsage keyCertSign and
    /// cRLSign (critical), SubjectKeyIdentifier.
    /// - Parameters:
    ///   - federation: the federation's name (the naming rule of ``NodeName``).
    ///   - notValidBefore: the start of validity (default: five minutes ago).
    ///   - notValidAfter: the end of validity (default: ``defaultValidityYears`` after the start).
    /// - Throws: `IdentityError` `.invalidName` for a bad federation name, `.invalidParameter`
    ///   for a validity period that ends before it starts, `.certificateBuilding` if signing fails.
    public static func create(federation: String = "feddata", notValidBefore: Date? = nil, notValidAfter: Date? = nil) throws -> FederationCA {
        try NodeName.validateFederation(federation)
        let start = notValidBefore ?? Date().addingTimeInterval(-clockSkewAllowance)
        let end = notValidAfter ?? addingYears(defaultValidityYears, to: start)
        let source = "federation CA '\(federation)'"
        try checkPeriod(start, end, source: source)
        let key = try newKey()
        let certificate = try building(source) {
            let name = try DistinguishedName {
                OrganizationName(federation)
                CommonName("\(federation) CA")
            }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: key.publicKey)
            }
            return try Certificate(
                version: .v3, serialNumber: .init(), publicKey: key.publicKey,
                notValidBefore: start, notValidAfter: end, issuer: name, subject: name,
                signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: key)
        }
        return FederationCA(federation: federation, certificate: certificate, privateKey: key)
    }

    /// Rebuilds a CA from its certificate and key (as loaded from disk), checking that they
    /// belong together.
    /// - Parameters:
    ///   - certificate: the CA certificate.
    ///   - privateKey: its private key.
    ///   - source: what to name in an error (default: `certificate '<subject>'`).
    /// - Throws: `IdentityError` `.notACA` if the certificate is not a self-signed CA certificate,
    ///   `.keyMismatch` if the key is not the certificate's.
    public init(certificate: Certificate, privateKey: Certificate.PrivateKey, source: String? = nil) throws {
        let source = source ?? NodeIdentity.describe(certificate)
        guard case .isCertificateAuthority = try? certificate.extensions.basicConstraints else {
            throw IdentityError(.notACA, source: source, "'\(NodeIdentity.displayName(certificate.subject))' is not a CA certificate; expected BasicConstraints CA:TRUE")
        }
        guard certificate.issuer == certificate.subject,
              certificate.publicKey.isValidSignature(certificate.signature, for: certificate) else {
            throw IdentityError(.notACA, source: source, "'\(NodeIdentity.displayName(certificate.subject))' is not self-signed; expected a federation root CA")
        }
        guard privateKey.publicKey == certificate.publicKey else {
            throw IdentityError(.keyMismatch, source: source, "the private key does not match the CA certificate '\(NodeIdentity.displayName(certificate.subject))'; expected the key it was made with")
        }
        let organizations = NodeIdentity.attributes(.RDNAttributeType.organizationName, in: certificate.subject)
        let federation = organizations.first ?? NodeIdentity.commonNames(in: certificate.subject).first ?? "unnamed"
        self.init(federation: federation, certificate: certificate, privateKey: privateKey)
    }

    private init(federation: String, certificate: Certificate, privateKey: Certificate.PrivateKey) {
        self.federation = federation
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// Issues a node's certificate: P-256 key, `O=<federation>, CN=<name>`, SAN URI
    /// `urn:feddata:node:<name>`, BasicConstraints not-a-CA (critical), KeyUsage digitalSignature
    /// (critical), ExtendedKeyUsage serverAuth and clientAuth, AuthorityKeyIdentifier.
    /// - Parameters:
    ///   - name: the node's name (the naming rule of ``NodeName``).
    ///   - notValidBefore: the start of validity (default: five minutes ago).
    ///   - notValidAfter: the end of validity (default: ``defaultLeafValidityDays`` after the
    ///     start); never later than the CA's own end, to which it is cut back.
    /// - Throws: `IdentityError` `.invalidName`, `.invalidParameter`, `.certificateBuilding`.
    public func issueNode(name: String, notValidBefore: Date? = nil, notValidAfter: Date? = nil) throws -> IssuedCertificate {
        try issue(name: name, dnsNames: [], ipAddresses: [], notValidBefore: notValidBefore, notValidAfter: notValidAfter)
    }

    /// Issues the coordinator's certificate: a node certificate (see ``issueNode(name:notValidBefore:notValidAfter:)``)
    /// whose subject alternative names also list every DNS name and IP address clients use to
    /// reach the coordinator (TLS clients check the address they dialled against these).
    /// - Parameters:
    ///   - name: the coordinator's node name (default `coordinator`).
    ///   - dnsNames: DNS names (default `localhost`).
    ///   - ipAddresses: IPv4 or IPv6 addresses as text (default `127.0.0.1`).
    ///   - notValidBefore: the start of validity (default: five minutes ago).
    ///   - notValidAfter: the end of validity (default: ``defaultLeafValidityDays`` after the start).
    /// - Throws: `IdentityError` `.invalidName`, `.invalidAddress` for a DNS name or IP address
    ///   that does not parse, `.invalidParameter`, `.certificateBuilding`.
    public func issueCoordinator(
        name: String = "coordinator", dnsNames: [String] = ["localhost"], ipAddresses: [String] = ["127.0.0.1"],
        notValidBefore: Date? = nil, notValidAfter: Date? = nil
    ) throws -> IssuedCertificate {
        try issue(name: name, dnsNames: dnsNames, ipAddresses: ipAddresses, notValidBefore: notValidBefore, notValidAfter: notValidAfter)
    }

    private func issue(name: String, dnsNames: [String], ipAddresses: [String], notValidBefore: Date?, notValidAfter: Date?) throws -> IssuedCertificate {
        try NodeName.validate(name)
        let source = "certificate for '\(name)'"
        for dns in dnsNames where !IPAddressBytes.isValidDNSName(dns) {
            throw IdentityError(.invalidAddress, source: source, "'\(dns)' is not a DNS name; expected labels of letters, digits and '-' separated by '.'")
        }
        let addresses = try ipAddresses.map { text in
            guard let bytes = IPAddressBytes.parse(text) else {
                throw IdentityError(.invalidAddress, source: source, "'\(text)' is not an IP address; expected IPv4 (127.0.0.1) or IPv6 (::1)")
            }
            return bytes
        }
        let start = notValidBefore ?? Date().addingTimeInterval(-Self.clockSkewAllowance)
        let end = min(notValidAfter ?? start.addingTimeInterval(TimeInterval(Self.defaultLeafValidityDays) * 86_400), certificate.notValidAfter)
        try Self.checkPeriod(start, end, source: source)
        let key = try Self.newKey()
        var sans: [GeneralName] = [.uniformResourceIdentifier(NodeName.uriPrefix + name)]
        sans += dnsNames.map { .dnsName($0) }
        sans += addresses.map { .ipAddress(ASN1OctetString(contentBytes: $0[...])) }
        let caKeyID = (try? certificate.extensions.subjectKeyIdentifier)?.keyIdentifier
            ?? SubjectKeyIdentifier(hash: certificate.publicKey).keyIdentifier
        let leaf = try Self.building(source) {
            let subject = try DistinguishedName {
                OrganizationName(federation)
                CommonName(name)
            }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectAlternativeNames(sans)
                AuthorityKeyIdentifier(keyIdentifier: caKeyID)
                SubjectKeyIdentifier(hash: key.publicKey)
            }
            return try Certificate(
                version: .v3, serialNumber: .init(), publicKey: key.publicKey,
                notValidBefore: start, notValidAfter: end, issuer: certificate.subject, subject: subject,
                signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: privateKey)
        }
        return IssuedCertificate(name: name, certificate: leaf, privateKey: key)
    }

    /// Checks that `leaf` is a node certificate of this federation at time `at`: signed by this
    /// CA's key, not itself a CA, within its validity period (and the CA within its own), with a
    /// consistent node name. Mutual TLS does the real check in the transport; this is for
    /// allow-lists, interceptors and `feddata ca show`.
    /// - Parameters:
    ///   - leaf: the certificate to check.
    ///   - at: the time of the check (default: now).
    ///   - source: what to name in an error (default: `certificate '<subject>'`), e.g. a file path.
    /// - Returns: the node's identity.
    /// - Throws: `IdentityError` `.wrongIssuer` ("signed by another CA '<issuer>'"), `.notALeaf`,
    ///   `.expired` ("expired on <date>"), `.notYetValid`, or `.invalidIdentity`.
    public func verify(_ leaf: Certificate, at: Date = Date(), source: String? = nil) throws -> NodeIdentity {
        let source = source ?? NodeIdentity.describe(leaf)
        let ours = NodeIdentity.displayName(certificate.subject)
        let issuer = NodeIdentity.displayName(leaf.issuer)
        guard leaf.issuer == certificate.subject else {
            throw IdentityError(.wrongIssuer, source: source, "signed by another CA '\(issuer)'; expected this federation's CA '\(ours)'")
        }
        guard certificate.publicKey.isValidSignature(leaf.signature, for: leaf) else {
            throw IdentityError(.wrongIssuer, source: source, "signed by another CA '\(issuer)' (same name, different key: the signature does not verify with this federation's CA key); expected a certificate issued by this CA")
        }
        if case .isCertificateAuthority = try? leaf.extensions.basicConstraints {
            throw IdentityError(.notALeaf, source: source, "is a CA certificate; expected a node (leaf) certificate")
        }
        try Self.checkDates(leaf, at: at, source: source)
        try checkValidity(at: at)
        return try NodeIdentity(certificate: leaf, source: source)
    }

    // MARK: - Helpers

    /// Checks that the CA certificate itself is within its validity period.
    /// - Parameter at: the time of the check (default: now).
    /// - Throws: `IdentityError` `.expired` or `.notYetValid`, naming the CA.
    public func checkValidity(at: Date = Date()) throws {
        try Self.checkDates(certificate, at: at, source: "federation CA '\(NodeIdentity.displayName(certificate.subject))'")
    }

    static func checkDates(_ certificate: Certificate, at: Date, source: String) throws {
        let name = NodeIdentity.displayName(certificate.subject)
        if at < certificate.notValidBefore {
            throw IdentityError(.notYetValid, source: source, "'\(name)' is not yet valid: valid from \(stamp(certificate.notValidBefore)) (checked at \(stamp(at)))")
        }
        if at > certificate.notValidAfter {
            throw IdentityError(.expired, source: source, "'\(name)' expired on \(stamp(certificate.notValidAfter)) (checked at \(stamp(at)))")
        }
    }

    static func checkPeriod(_ start: Date, _ end: Date, source: String) throws {
        guard end > start else {
            throw IdentityError(.invalidParameter, source: source, "the validity period ends (\(stamp(end))) before it starts (\(stamp(start))); expected notValidAfter later than notValidBefore")
        }
    }

    static func newKey() throws -> Certificate.PrivateKey {
        do {
            return try Certificate.PrivateKey(pemEncoded: SigningKeyPEM.generateP256())
        } catch {
            throw IdentityError(.certificateBuilding, source: "new P-256 key", "FedCrypto's PKCS#8 PEM did not load as a certificate key", cause: error)
        }
    }

    static func building<T>(_ source: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let error as IdentityError {
            throw error
        } catch {
            throw IdentityError(.certificateBuilding, source: source, "swift-certificates could not build or sign the certificate", cause: error)
        }
    }

    static func addingYears(_ years: Int, to date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(byAdding: .year, value: years, to: date) ?? date.addingTimeInterval(Double(years) * 365.25 * 86_400)
    }

    /// A date as ISO 8601 in UTC (`2035-01-01T00:00:00Z`).
    static func stamp(_ date: Date) -> String {
        date.formatted(.iso8601)
    }
}
