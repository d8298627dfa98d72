import SwiftASN1
import X509

/// PEM text to and from certificates and private keys, with errors that name the source and
/// say what was expected.
enum PEMCoding {
    /// A certificate as PEM text.
    static func encode(_ certificate: Certificate) throws -> String {
        do {
            return try certificate.serializeAsPEM().pemString + "\n"
        } catch {
            throw IdentityError(.certificateBuilding, source: NodeIdentity.describe(certificate), "could not serialize the certificate as PEM", cause: error)
        }
    }

    /// A private key as PKCS#8 PEM text.
    static func encode(_ key: Certificate.PrivateKey, source: String) throws -> String {
        do {
            return try key.serializeAsPEM().pemString + "\n"
        } catch {
            throw IdentityError(.certificateBuilding, source: source, "could not serialize the private key as PEM", cause: error)
        }
    }

    /// The one PEM block in `text`.
    /// - Throws: `.notPEM` if there is none, or more than one.
    static func document(_ text: String, source: String, expected: String) throws -> PEMDocument {
        let documents: [PEMDocument]
        do {
            documents = try PEMDocument.parseMultiple(pemString: text)
        } catch {
            throw IdentityError(.notPEM, source: source, "not PEM text; expected \(expected)", cause: error)
        }
        guard let first = documents.first else {
            throw IdentityError(.notPEM, source: source, "holds no PEM block; expected \(expected)")
        }
        guard documents.count == 1 else {
            throw IdentityError(.notPEM, source: source, "holds \(documents.count) PEM blocks; expected exactly one, \(expected)")
        }
        return first
    }

    /// The certificate in PEM `text`.
    /// - Throws: `.notPEM`, or `.notACertificate` for another kind of block or damaged DER.
    static func certificate(_ text: String, source: String) throws -> Certificate {
        let expected = "a certificate (-----BEGIN CERTIFICATE-----)"
        let doc = try document(text, source: source, expected: expected)
        guard doc.discriminator == "CERTIFICATE" else {
            throw IdentityError(.notACertificate, source: source, "holds a PEM '\(doc.discriminator)' block; expected \(expected)")
        }
        do {
            return try Certificate(derEncoded: doc.derBytes)
        } catch {
            throw IdentityError(.notACertificate, source: source, "the CERTIFICATE block does not parse as an X.509 certificate", cause: error)
        }
    }

    /// The private key in PEM `text` (PKCS#8, SEC1 or RSA).
    /// - Throws: `.notPEM`, or `.notAPrivateKey` for another kind of block or damaged DER.
    static func privateKey(_ text: String, source: String) throws -> Certificate.PrivateKey {
        let expected = "a private key (-----BEGIN PRIVATE KEY-----)"
        let doc = try document(text, source: source, expected: expected)
        guard ["PRIVATE KEY", "EC PRIVATE KEY", "RSA PRIVATE KEY"].contains(doc.discriminator) else {
            throw IdentityError(.notAPrivateKey, source: source, "holds a PEM '\(doc.discriminator)' block; expected \(expected)")
        }
        do {
            return try Certificate.PrivateKey(pemDocument: doc)
        } catch {
            throw IdentityError(.notAPrivateKey, source: source, "the \(doc.discriminator) block does not parse as a supported private key", cause: error)
        }
    }
}
