import FedCrypto
import Foundation
import SwiftASN1
import Testing
import X509

@testable import FedIdentity

/// Fixed, whole-second dates (certificates store seconds), so expectations can be read off.
enum Day {
    /// 2025-01-01T00:00:00Z
    static let y2025 = Date(timeIntervalSince1970: 1_735_689_600)
    /// 2025-07-01T00:00:00Z
    static let mid2025 = Date(timeIntervalSince1970: 1_751_328_000)
    /// 2026-01-01T00:00:00Z
    static let y2026 = Date(timeIntervalSince1970: 1_767_225_600)
    /// 2035-01-01T00:00:00Z (2025 + 3652 days)
    static let y2035 = Date(timeIntervalSince1970: 1_735_689_600 + 3652 * 86_400)
}

/// A CA valid from 2025-01-01 to 2035-01-01.
func fixedCA(_ federation: String = "acme") throws -> FederationCA {
    try FederationCA.create(federation: federation, notValidBefore: Day.y2025, notValidAfter: Day.y2035)
}

/// A fresh empty directory path under the temporary directory (not created), removed after `body`.
func withTemporaryDirectory<T>(_ body: (String) throws -> T) throws -> T {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("fedidentity-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: path) }
    return try body(path)
}

/// Hidden files (temporary files are `.<file>.tmp-…`) in a directory.
func hiddenFiles(in path: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasPrefix(".") }
}

/// The permission bits of a file.
func permissions(_ path: String) throws -> Int {
    let attributes = try FileManager.default.attributesOfItem(atPath: path)
    return (attributes[.posixPermissions] as? NSNumber)?.intValue ?? -1
}

/// A leaf signed by `ca` with the given subject and SANs, built by hand (for certificates
/// `FederationCA` refuses to make).
func handMadeLeaf(ca: FederationCA, commonName: String, sans: [GeneralName]) throws -> Certificate {
    let key = try Certificate.PrivateKey(pemEncoded: SigningKeyPEM.generateP256())
    let subject = try DistinguishedName {
        OrganizationName(ca.federation)
        CommonName(commonName)
    }
    let extensions = try Certificate.Extensions {
        Critical(BasicConstraints.notCertificateAuthority)
        SubjectAlternativeNames(sans)
    }
    return try Certificate(
        version: .v3, serialNumber: .init(), publicKey: key.publicKey,
        notValidBefore: Day.y2025, notValidAfter: Day.y2026, issuer: ca.certificate.subject, subject: subject,
        signatureAlgorithm: .ecdsaWithSHA256, extensions: extensions, issuerPrivateKey: ca.privateKey)
}

/// Runs `body` and returns the `IdentityError` it throws, or nil if it succeeds (an error of
/// another type is recorded as a test failure).
func identityError(sourceLocation: SourceLocation = #_sourceLocation, _ body: () throws -> Void) -> IdentityError? {
    do {
        try body()
        return nil
    } catch let error as IdentityError {
        return error
    } catch {
        Issue.record("expected an IdentityError, got \(type(of: error)): \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
