import Foundation
import SwiftASN1
import Testing
import X509

@testable import FedIdentity

@Suite struct NodeIdentityTests {
    @Test func nameComesFromTheCommonNameAndAgreesWithTheURI() throws {
        let ca = try fixedCA()
        let leaf = try ca.issueNode(name: "hospital-a").certificate
        #expect(try NodeIdentity.name(of: leaf) == "hospital-a")
        #expect(try NodeIdentity.nodeURINames(of: leaf) == ["hospital-a"])
        #expect(NodeIdentity.commonNames(in: leaf.subject) == ["hospital-a"])
    }

    @Test func commonNameAloneIsEnough() throws {
        let ca = try fixedCA()
        let leaf = try handMadeLeaf(ca: ca, commonName: "hospital-b", sans: [.dnsName("b.example")])
        #expect(try NodeIdentity.name(of: leaf) == "hospital-b")
        #expect(try ca.verify(leaf, at: Day.mid2025).name == "hospital-b")
    }

    @Test func uriThatNamesAnotherNodeIsRejected() throws {
        let ca = try fixedCA()
        let leaf = try handMadeLeaf(ca: ca, commonName: "hospital-a", sans: [.uniformResourceIdentifier("urn:feddata:node:hospital-b")])
        let error = try #require(identityError { _ = try ca.verify(leaf, at: Day.mid2025) })
        #expect(error.code == .invalidIdentity)
        #expect(error.message.contains("urn:feddata:node:hospital-b"))
        #expect(error.message.contains("'hospital-a'"))
    }

    @Test func commonNameThatIsNotANodeNameIsRejected() throws {
        let ca = try fixedCA()
        let leaf = try handMadeLeaf(ca: ca, commonName: "hospital a", sans: [])
        #expect(identityError { _ = try NodeIdentity(certificate: leaf) }?.code == .invalidIdentity)
    }

    @Test func identityDescriptionShowsNameFingerprintAndExpiry() throws {
        let identity = NodeIdentity(name: "n", fingerprint: String(repeating: "ab", count: 32), notValidAfter: Day.y2026)
        #expect(identity.description == "n (sha256 abababababababab…, until 2026-01-01T00:00:00Z)")
    }

    @Test func summaryListsSubjectIssuerAndFingerprint() throws {
        let ca = try fixedCA()
        let leaf = try ca.issueNode(name: "hospital-a", notValidBefore: Day.y2025, notValidAfter: Day.y2026).certificate
        let summary = try CertificateSummary(leaf)
        #expect(summary.subject == "O=acme, CN=hospital-a")
        #expect(summary.issuer == "O=acme, CN=acme CA")
        #expect(summary.subjectAlternativeNames == ["URI:urn:feddata:node:hospital-a"])
        #expect(summary.notValidAfter == Day.y2026)
        #expect(summary.fingerprint == (try NodeIdentity.fingerprint(of: leaf)))
        #expect(!summary.isCA)
        #expect(summary.serialNumber.split(separator: ":").allSatisfy { $0.count == 2 })
        #expect(try CertificateSummary(ca.certificate).isCA)
    }
}

@Suite struct NodeNameTests {
    @Test(arguments: ["hospital-a", "a", "A9", "node_1.b", "0", String(repeating: "x", count: 64), "coordinator", "cab", "key"])
    func validNamesAreAccepted(name: String) throws {
        #expect(try NodeName.validate(name) == name)
    }

    @Test(arguments: [
        "", ".hidden", "-dash", "has space", "a/b", "../x", "ü", "a:b", String(repeating: "x", count: 65),
    ])
    func namesBreakingTheRuleAreRejected(name: String) throws {
        let error = try #require(identityError { try NodeName.validate(name) })
        #expect(error.code == .invalidName)
        #expect(error.source == "node name")
        #expect(error.message.contains("'\(name)'"))
        #expect(error.message.contains("1–64 characters"))
        let ca = try fixedCA()
        #expect(identityError { _ = try ca.issueNode(name: name) }?.code == .invalidName)
    }

    @Test(arguments: ["ca", "CA", "hospital-a-key", "x-KEY"])
    func namesWhoseFilesWouldCollideAreRejected(name: String) throws {
        let error = try #require(identityError { try NodeName.validate(name) })
        #expect(error.code == .invalidName)
    }

    @Test func federationNamesFollowTheRule() throws {
        #expect(identityError { _ = try FederationCA.create(federation: "has space") }?.source == "federation name")
        #expect(try FederationCA.create(federation: "ca").federation == "ca")
    }

    @Test func errorDescriptionNamesSourceCodeAndMessage() {
        let error = IdentityError(.missingFile, source: "/pki/ca.pem", "no such file; expected a CA")
        #expect(error.description == "/pki/ca.pem: missingFile: no such file; expected a CA")
    }
}
