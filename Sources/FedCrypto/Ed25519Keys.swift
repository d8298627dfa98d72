import Crypto

/// An Ed25519 (RFC 8032) private signing key: the coordinator's checkpoint key.
///
/// The key is its 32-byte seed; the public key is derived from it. On Linux (BoringSSL)
/// signatures are deterministic, as RFC 8032 specifies; Apple's CryptoKit randomizes them, and
/// both kinds verify the same way.
public struct Ed25519SigningKey: Sendable {
    private let key: Curve25519.Signing.PrivateKey

    /// A fresh key from the system's cryptographically secure random number generator.
    public init() {
        key = Curve25519.Signing.PrivateKey()
    }

    /// The key whose 32-byte RFC 8032 seed is `rawSeed` (Go's `ed25519.NewKeyFromSeed`).
    /// - Parameter rawSeed: exactly 32 bytes.
    /// - Throws: `Ed25519Error` (`wrongLength`) when `rawSeed` is not 32 bytes long.
    public init(rawSeed: some Collection<UInt8>) throws {
        guard rawSeed.count == 32 else {
            throw Ed25519Error(.wrongLength, source: "Ed25519 seed", "expected 32 bytes, got \(rawSeed.count)")
        }
        do {
            key = try Curve25519.Signing.PrivateKey(rawRepresentation: Array(rawSeed))
        } catch {
            throw Ed25519Error(.invalidKey, source: "Ed25519 seed", "the library refused the 32-byte seed (\(error))")
        }
    }

    /// The 32-byte seed (keep it secret).
    public var rawSeed: [UInt8] { Array(key.rawRepresentation) }

    /// The matching public key.
    public var publicKey: Ed25519PublicKey { Ed25519PublicKey(key.publicKey) }

    /// The 64-byte Ed25519 signature of `message`.
    /// - Throws: `Ed25519Error` (`signingFailed`) if the underlying library fails.
    public func sign(_ message: some Collection<UInt8>) throws -> [UInt8] {
        do {
            return Array(try key.signature(for: Array(message)))
        } catch {
            throw Ed25519Error(.signingFailed, source: "Ed25519 signing key", "could not sign \(message.count) bytes (\(error))")
        }
    }
}

/// An Ed25519 (RFC 8032) public key: verifies checkpoint signatures.
public struct Ed25519PublicKey: Sendable, Equatable {
    private let key: Curve25519.Signing.PublicKey

    init(_ key: Curve25519.Signing.PublicKey) { self.key = key }

    /// The public key whose 32-byte encoding is `rawBytes`.
    /// - Parameters:
    ///   - rawBytes: exactly 32 bytes (RFC 8032 §5.1.5 encoding).
    ///   - source: what the bytes are, for the error message (default `Ed25519 public key`).
    /// - Throws: `Ed25519Error` (`wrongLength` or `invalidKey`).
    public init(rawBytes: some Collection<UInt8>, source: String = "Ed25519 public key") throws {
        guard rawBytes.count == 32 else {
            throw Ed25519Error(.wrongLength, source: source, "expected 32 bytes, got \(rawBytes.count)")
        }
        do {
            key = try Curve25519.Signing.PublicKey(rawRepresentation: Array(rawBytes))
        } catch {
            throw Ed25519Error(.invalidKey, source: source, "the 32 bytes are not an Ed25519 public key (\(error))")
        }
    }

    /// The 32-byte encoding.
    public var rawBytes: [UInt8] { Array(key.rawRepresentation) }

    /// Whether `signature` is a valid Ed25519 signature of `message` under this key. A signature
    /// that is not 64 bytes long is simply invalid.
    public func isValidSignature(_ signature: some Collection<UInt8>, for message: some Collection<UInt8>) -> Bool {
        guard signature.count == 64 else { return false }
        return key.isValidSignature(Array(signature), for: Array(message))
    }

    public static func == (a: Ed25519PublicKey, b: Ed25519PublicKey) -> Bool { a.rawBytes == b.rawBytes }
}
