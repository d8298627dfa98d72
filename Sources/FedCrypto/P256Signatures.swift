import Crypto
import Foundation

/// ECDSA P-256 with SHA-256 over byte messages, with the keys nodes already hold: the private
/// key of their mTLS certificate (PKCS#8 PEM) signs, the certificate's SubjectPublicKeyInfo
/// (DER) verifies. Nodes sign their evaluation results with it, so the ledger records numbers
/// that only the node could have produced.
public enum P256Signatures {
    /// The DER signature of `message` with a PEM private key.
    /// - Throws: `P256SignatureError` when the PEM is not a P-256 private key.
    public static func sign(_ message: [UInt8], privateKeyPEM: String) throws -> [UInt8] {
        let key: P256.Signing.PrivateKey
        do { key = try P256.Signing.PrivateKey(pemRepresentation: privateKeyPEM) } catch {
            throw P256SignatureError(source: "private key", "expected a P-256 private key in PEM form: \(error)")
        }
        do { return Array(try key.signature(for: message).derRepresentation) } catch {
            throw P256SignatureError(source: "signature", "signing failed: \(error)")
        }
    }

    /// The public key of a PEM private key, as SubjectPublicKeyInfo DER.
    /// - Throws: `P256SignatureError` when the PEM is not a P-256 private key.
    public static func publicKeyDER(privateKeyPEM: String) throws -> [UInt8] {
        do { return Array(try P256.Signing.PrivateKey(pemRepresentation: privateKeyPEM).publicKey.derRepresentation) } catch {
            throw P256SignatureError(source: "private key", "expected a P-256 private key in PEM form: \(error)")
        }
    }

    /// Whether `signature` (DER) is a valid signature of `message` by the key `publicKeyDER`
    /// (SubjectPublicKeyInfo DER). False for a malformed key or signature.
    /// The key may also be the raw X9.63 point (65 bytes), as a certificate's key bits are.
    public static func isValid(signature: [UInt8], of message: [UInt8], publicKeyDER: [UInt8]) -> Bool {
        guard let key = (try? P256.Signing.PublicKey(derRepresentation: publicKeyDER)) ?? (try? P256.Signing.PublicKey(x963Representation: publicKeyDER)),
              let sig = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
        return key.isValidSignature(sig, for: message)
    }
}

/// A P-256 key or signature that cannot be used, naming which and why.
public struct P256SignatureError: Error, CustomStringConvertible, Sendable {
    /// What the problem concerns (`private key`, `signature`).
    public var source: String
    /// What was expected.
    public var message: String

    /// Creates an error.
    public init(source: String, _ message: String) {
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(message)" }
}
