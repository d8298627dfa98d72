import Crypto

/// An X25519 public key as its 32 raw bytes (RFC 7748).
public struct X25519PublicKey: Hashable, Sendable {
    /// Bytes in a key.
    public static let byteCount = 32
    /// The 32 raw bytes.
    public let rawRepresentation: [UInt8]

    /// Parses a public key.
    /// - Parameters:
    ///   - rawRepresentation: 32 bytes.
    ///   - source: what the bytes are (e.g. `c public key of node 4`), for errors.
    /// - Throws: ``FedCryptoError`` (`invalidLength`) unless there are exactly 32 bytes.
    public init(rawRepresentation: [UInt8], source: String) throws {
        guard rawRepresentation.count == Self.byteCount else {
            throw FedCryptoError(.invalidLength, source: source,
                                 "expected a \(Self.byteCount)-byte X25519 public key, got \(rawRepresentation.count) bytes")
        }
        self.rawRepresentation = rawRepresentation
    }
}

/// An X25519 private key (RFC 7748) with its public key, for key agreement followed by
/// HKDF-SHA256. Key agreement that yields the all-zero shared secret (a low-order peer key) is
/// rejected; swift-crypto deliberately does not check this, so FedCrypto does.
///
/// The key is held as plain bytes so that the type is a `Sendable` value; those bytes are not
/// zeroized when the value is dropped.
public struct X25519PrivateKey: Sendable {
    /// The 32 raw private-key bytes (these are what Shamir shares in secure aggregation).
    public let rawRepresentation: [UInt8]
    /// The matching public key.
    public let publicKey: X25519PublicKey

    /// A fresh key pair from the system CSPRNG.
    public init() {
        let key = Curve25519.KeyAgreement.PrivateKey()
        rawRepresentation = Array(key.rawRepresentation)
        // 32 bytes by construction.
        publicKey = try! X25519PublicKey(rawRepresentation: Array(key.publicKey.rawRepresentation), source: "X25519PrivateKey()")
    }

    /// Restores a private key from its 32 raw bytes (e.g. one reconstructed from Shamir shares).
    /// - Throws: ``FedCryptoError`` for a wrong length or a key swift-crypto refuses.
    public init(rawRepresentation: [UInt8], source: String) throws {
        guard rawRepresentation.count == 32 else {
            throw FedCryptoError(.invalidLength, source: source, "expected a 32-byte X25519 private key, got \(rawRepresentation.count) bytes")
        }
        do {
            let key = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: rawRepresentation)
            self.rawRepresentation = rawRepresentation
            publicKey = try X25519PublicKey(rawRepresentation: Array(key.publicKey.rawRepresentation), source: source)
        } catch let error as FedCryptoError {
            throw error
        } catch {
            throw FedCryptoError(.invalidKey, source: source, "swift-crypto refused the X25519 private key", cause: error)
        }
    }

    /// The raw 32-byte X25519 shared secret with `peer`.
    /// - Throws: ``FedCryptoError`` (`lowOrderKey`) when the shared secret is all zeros: the peer
    ///   sent a low-order point and the "secret" would be public.
    public func sharedSecret(with peer: X25519PublicKey, source: String) throws -> [UInt8] {
        let secret: [UInt8]
        do {
            let mine = try Curve25519.KeyAgreement.PrivateKey(rawRepresentation: rawRepresentation)
            let theirs = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: peer.rawRepresentation)
            secret = try mine.sharedSecretFromKeyAgreement(with: theirs).withUnsafeBytes { Array($0) }
        } catch {
            throw FedCryptoError(.invalidKey, source: source, "X25519 key agreement failed", cause: error)
        }
        // Constant-time OR over all bytes: zero only for the all-zero secret.
        guard secret.reduce(UInt8(0), |) != 0 else {
            throw FedCryptoError(.lowOrderKey, source: source,
                                 "X25519 produced the all-zero shared secret: the peer public key is a low-order point")
        }
        return secret
    }

    /// Key agreement with `peer`, then HKDF-SHA256 to `outputByteCount` bytes.
    /// - Parameters:
    ///   - peer: the other party's public key.
    ///   - salt: HKDF salt (FedData: the session id).
    ///   - info: HKDF info (a label and the parties).
    ///   - outputByteCount: the derived key's length.
    ///   - source: whose key this is, for errors.
    /// - Throws: ``FedCryptoError`` as ``sharedSecret(with:source:)``.
    public func deriveKey(with peer: X25519PublicKey, salt: [UInt8], info: [UInt8], outputByteCount: Int = 32, source: String) throws -> [UInt8] {
        let secret = try sharedSecret(with: peer, source: source)
        return HKDFSHA256.deriveKey(inputKeyMaterial: secret, salt: salt, info: info, outputByteCount: outputByteCount)
    }
}
