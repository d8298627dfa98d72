import FedCrypto
import Foundation
import SwiftASN1
import Testing
import X509

@testable import FedIdentity

@Suite struct FederationCATests {
    @Test func caHasTheRightSubjectExtensionsAndValidity() throws {
        let ca = try fixedCA("acme")
        let cert = ca.certificate
        #expect(NodeIdentity.displayName(cert.subject) == "O=acme, CN=acme CA")
        #expect(cert.issuer == cert.subject)
        #expect(cert.notValidBefore == Day.y2025)
        #expect(cert.notValidAfter == Day.y2035)
        #expect(cert.signatureAlgorithm == .ecdsaWithSHA256)
        #expect(try cert.extensions.basicConstraints == .isCertificateAuthority(maxPathLength: 0))
        #expect(try cert.extensions.keyUsage == KeyUsage(keyCertSign: true, cRLSign: true))
        #expect(try cert.extensions.subjectKeyIdentifier != nil)
        let critical = Set(cert.extensions.filter(\.critical).map(\.oid))
        #expect(critical == [.X509ExtensionID.basicConstraints, .X509ExtensionID.keyUsage])
        #expect(cert.publicKey.isValidSignature(cert.signature, for: cert))
    }

    @Test func defaultCAValidityIsTenYearsFromFiveMinutesAgo() throws {
        let before = Date()
        let ca = try FederationCA.create()
        #expect(ca.federation == "feddata")
        // Certificates store whole seconds, so allow one second of truncation.
        #expect(abs(ca.certificate.notValidBefore.timeIntervalSince(before) + 300) < 2)
        let years = ca.certificate.notValidAfter.timeIntervalSince(ca.certificate.notValidBefore) / (365.25 * 86_400)
        #expect(abs(years - 10) < 0.01)
    }

    @Test func caRoundTripsThroughPEM() throws {
        let ca = try fixedCA()
        let certPEM = try PEMCoding.encode(ca.certificate)
        let keyPEM = try PEMCoding.encode(ca.privateKey, source: "test")
        #expect(certPEM.hasPrefix("-----BEGIN CERTIFICATE-----\n"))
        #expect(keyPEM.hasPrefix("-----BEGIN PRIVATE KEY-----\n"))
        let loaded = try FederationCA(
            certificate: PEMCoding.certificate(certPEM, source: "ca.pem"),
            privateKey: PEMCoding.privateKey(keyPEM, source: "ca-key.pem"))
        #expect(loaded.certificate == ca.certificate)
        #expect(loaded.privateKey == ca.privateKey)
        #expect(loaded.federation == "acme")
    }

    @Test func nodeLeafHasTheRightSubjectExtensionsAndValidity() throws {
        let ca = try fixedCA()
        let issued = try ca.issueNode(name: "hospital-a", notValidBefore: Day.y2025, notValidAfter: Day.y2026)
        let leaf = issued.certificate
        #expect(NodeIdentity.displayName(leaf.subject) == "O=acme, CN=hospital-a")
        #expect(leaf.issuer == ca.certificate.subject)
        #expect(leaf.notValidBefore == Day.y2025)
        #expect(leaf.notValidAfter == Day.y2026)
        #expect(leaf.publicKey == issued.privateKey.publicKey)
        #expect(leaf.publicKey != ca.certificate.publicKey)
        #expect(try leaf.extensions.basicConstraints == .notCertificateAuthority)
        #expect(try leaf.extensions.keyUsage == KeyUsage(digitalSignature: true))
        #expect(try leaf.extensions.extendedKeyUsage == ExtendedKeyUsage([.serverAuth, .clientAuth]))
        #expect(try leaf.extensions.authorityKeyIdentifier?.keyIdentifier == ca.certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
        #expect(try Array(leaf.extensions.subjectAlternativeNames ?? .init()) == [.uniformResourceIdentifier("urn:feddata:node:hospital-a")])
        let critical = Set(leaf.extensions.filter(\.critical).map(\.oid))
        #expect(critical == [.X509ExtensionID.basicConstraints, .X509ExtensionID.keyUsage])
    }

    @Test func leafRoundTripsThroughPEMAndVerifies() throws {
        let ca = try fixedCA()
        let issued = try ca.issueNode(name: "hospital-a", notValidBefore: Day.y2025, notValidAfter: Day.y2026)
        let cert = try PEMCoding.certificate(issued.certificatePEM(), source: "hospital-a.pem")
        let key = try PEMCoding.privateKey(issued.privateKeyPEM(), source: "hospital-a-key.pem")
        #expect(cert == issued.certificate)
        #expect(key.publicKey == cert.publicKey)
        let identity = try ca.verify(cert, at: Day.mid2025)
        #expect(identity.name == "hospital-a")
        #expect(identity.notValidAfter == Day.y2026)
        let der = try cert.serializeAsPEM().derBytes
        #expect(identity.fingerprint == SHA256Digest.hex(SHA256Digest.hash(der)))
        #expect(identity.fingerprint.count == 64)
    }

    @Test func leafValidityIsCutBackToTheCAs() throws {
        let ca = try fixedCA()
        let issued = try ca.issueNode(name: "n1", notValidBefore: Day.y2025, notValidAfter: Day.y2035.addingTimeInterval(86_400))
        #expect(issued.certificate.notValidAfter == Day.y2035)
        let defaulted = try ca.issueNode(name: "n2", notValidBefore: Day.y2025)
        #expect(defaulted.certificate.notValidAfter == Day.y2025.addingTimeInterval(365 * 86_400))
    }

    @Test func leafFromAnotherCAFailsNamingTheIssuer() throws {
        let ours = try fixedCA("acme")
        let theirs = try fixedCA("other")
        let foreign = try theirs.issueNode(name: "hospital-a", notValidBefore: Day.y2025, notValidAfter: Day.y2026)
        let error = try #require(identityError { _ = try ours.verify(foreign.certificate, at: Day.mid2025) })
        #expect(error.code == .wrongIssuer)
        #expect(error.source == "certificate 'O=other, CN=hospital-a'")
        #expect(error.message.contains("signed by another CA 'O=other, CN=other CA'"))
        #expect(error.message.contains("'O=acme, CN=acme CA'"))
    }

    @Test func leafFromASameNamedCAFailsOnTheSignature() throws {
        let ours = try fixedCA("acme")
        let impostor = try fixedCA("acme")
        let foreign = try impostor.issueNode(name: "hospital-a", notValidBefore: Day.y2025, notValidAfter: Day.y2026)
        let error = try #require(identityError { _ = try ours.verify(foreign.certificate, at: Day.mid2025, source: "hospital-a.pem") })
        #expect(error.code == .wrongIssuer)
        #expect(error.source == "hospital-a.pem")
        #expect(error.message.contains("same name, different key"))
    }

    @Test func expiredLeafFails() throws {
        let ca = try fixedCA()
        let old = try ca.issueNode(name: "hospital-a", notValidBefore: Day.y2025, notValidAfter: Day.mid2025)
        let error = try #require(identityError { _ = try ca.verify(old.certificate, at: Day.y2026) })
        #expect(error.code == .expired)
        #expect(error.message.contains("expired on 2025-07-01T00:00:00Z"))
        #expect(error.description.hasPrefix("certificate 'O=acme, CN=hospital-a': expired: "))
    }

    @Test func notYetValidLeafFails() throws {
        let ca = try fixedCA()
        let early = try ca.issueNode(name: "hospital-a", notValidBefore: Day.y2026, notValidAfter: Day.y2035)
        let error = try #require(identityError { _ = try ca.verify(early.certificate, at: Day.mid2025) })
        #expect(error.code == .notYetValid)
        #expect(error.message.contains("valid from 2026-01-01T00:00:00Z"))
    }

    /// The validity period includes both of its ends.
    static let boundaries: [(offset: Double, expected: IdentityError.Code?)] = [
        (-1, .notYetValid), (0, nil), (86_400, nil), (2 * 86_400, nil), (2 * 86_400 + 1, .expired),
    ]

    @Test(arguments: boundaries)
    func validityBoundaries(offset: Double, expected: IdentityError.Code?) throws {
        let ca = try fixedCA()
        let leaf = try ca.issueNode(name: "n", notValidBefore: Day.y2026, notValidAfter: Day.y2026.addingTimeInterval(2 * 86_400))
        let error = identityError { _ = try ca.verify(leaf.certificate, at: Day.y2026.addingTimeInterval(offset)) }
        #expect(error?.code == expected)
    }

    @Test func expiredCAFailsNamingTheCA() throws {
        let ca = try FederationCA.create(federation: "acme", notValidBefore: Day.y2025, notValidAfter: Day.mid2025)
        let leaf = try ca.issueNode(name: "n", notValidBefore: Day.y2025, notValidAfter: Day.mid2025)
        let error = try #require(identityError { _ = try ca.verify(leaf.certificate, at: Day.mid2025.addingTimeInterval(1)) })
        // The leaf (cut back to the CA's end) expires with it; the leaf is reported first.
        #expect(error.code == .expired)
        #expect(identityError { try ca.checkValidity(at: Day.y2026) }?.source == "federation CA 'O=acme, CN=acme CA'")
    }

    @Test func caCertificateIsNotALeaf() throws {
        let ca = try fixedCA()
        let error = try #require(identityError { _ = try ca.verify(ca.certificate, at: Day.mid2025) })
        #expect(error.code == .notALeaf)
    }

    @Test func coordinatorCertificateHasTheRequestedSANs() throws {
        let ca = try fixedCA()
        let coordinator = try ca.issueCoordinator(
            name: "coordinator", dnsNames: ["localhost", "coord.example.org"], ipAddresses: ["127.0.0.1", "10.0.0.7", "::1"],
            notValidBefore: Day.y2025, notValidAfter: Day.y2026)
        let sans = try Array(#require(try coordinator.certificate.extensions.subjectAlternativeNames))
        #expect(sans == [
            .uniformResourceIdentifier("urn:feddata:node:coordinator"),
            .dnsName("localhost"), .dnsName("coord.example.org"),
            .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
            .ipAddress(ASN1OctetString(contentBytes: [10, 0, 0, 7])),
            .ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
        ])
        let summary = try CertificateSummary(coordinator.certificate)
        #expect(summary.subjectAlternativeNames == [
            "URI:urn:feddata:node:coordinator", "DNS:localhost", "DNS:coord.example.org", "IP:127.0.0.1", "IP:10.0.0.7", "IP:::1",
        ])
        #expect(try ca.verify(coordinator.certificate, at: Day.mid2025).name == "coordinator")
    }

    @Test func coordinatorDefaultsToLocalhostAnd127001() throws {
        let ca = try fixedCA()
        let coordinator = try ca.issueCoordinator()
        let sans = try Array(#require(try coordinator.certificate.extensions.subjectAlternativeNames))
        #expect(sans.contains(.dnsName("localhost")))
        #expect(sans.contains(.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))))
        #expect(sans.contains(.uniformResourceIdentifier("urn:feddata:node:coordinator")))
    }

    @Test(arguments: [("bad host", "DNS"), ("-x.example", "DNS"), ("300.1.1.1", "IP"), ("localhost", "IP"), ("1::2::3", "IP")])
    func badCoordinatorAddressesAreRejected(address: String, kind: String) throws {
        let ca = try fixedCA()
        let error = try #require(identityError {
            _ = try ca.issueCoordinator(dnsNames: kind == "DNS" ? [address] : [], ipAddresses: kind == "IP" ? [address] : [])
        })
        #expect(error.code == .invalidAddress)
        #expect(error.message.contains("'\(address)'"))
    }

    @Test func validityThatEndsBeforeItStartsIsRejected() throws {
        let ca = try fixedCA()
        #expect(identityError { _ = try ca.issueNode(name: "n", notValidBefore: Day.y2026, notValidAfter: Day.y2025) }?.code == .invalidParameter)
        #expect(identityError { _ = try FederationCA.create(notValidBefore: Day.y2026, notValidAfter: Day.y2025) }?.code == .invalidParameter)
    }

    @Test func loadingACAChecksTheKeyAndTheConstraint() throws {
        let ca = try fixedCA()
        let other = try fixedCA()
        #expect(identityError { _ = try FederationCA(certificate: ca.certificate, privateKey: other.privateKey) }?.code == .keyMismatch)
        let leaf = try ca.issueNode(name: "n")
        #expect(identityError { _ = try FederationCA(certificate: leaf.certificate, privateKey: leaf.privateKey) }?.code == .notACA)
    }
}
