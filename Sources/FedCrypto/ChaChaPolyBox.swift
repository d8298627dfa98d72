import Crypto

/// ChaCha20-Poly1305 (RFC 8439 AEAD) boxes: `nonce (12) ‖ ciphertext ‖ tag (16)`, with a random
/// nonce per box. Secure aggregation seals each Shamir share pair for its recipient with
/// associated data binding session, sender and receiver.
public enum ChaChaPolyBox {
    /// Bytes a box adds to its plaintext (nonce and tag).
    public static let overhead = 12 + 16

    /// Seals `plaintext` under a 32-byte key.
    /// - Parameters:
    ///   - plaintext: the message.
    ///   - key: 32 bytes.
    ///   - aad: associated data, authenticated but not encrypted.
    /// - Throws: ``FedCryptoError`` for a key that is not 32 bytes.
    public static func seal(_ plaintext: [UInt8], key: [UInt8], authenticating aad: [UInt8]) throws -> [UInt8] {
        guard key.count == 32 else {
            throw FedCryptoError(.invalidLength, source: "ChaChaPoly key", "expected 32 bytes, got \(key.count)")
        }
        do {
            let box = try ChaChaPoly.seal(plaintext, using: SymmetricKey(data: key), authenticating: aad)
            return Array(box.combined)
        } catch {
            throw FedCryptoError(.invalidKey, source: "ChaChaPoly seal", "sealing failed", cause: error)
        }
    }

    /// Opens a box made by ``seal(_:key:authenticating:)``.
    /// - Parameters:
    ///   - box: `nonce ‖ ciphertext ‖ tag`.
    ///   - key: 32 bytes.
    ///   - aad: the associated data it was sealed with.
    ///   - source: what the box is (e.g. `shares from node 3 to node 5`), for errors.
    /// - Throws: ``FedCryptoError``: `invalidLength` for a box shorter than 28 bytes or a bad key
    ///   length, `authenticationFailure` when the box was tampered with or the key or AAD differ.
    public static func open(_ box: [UInt8], key: [UInt8], authenticating aad: [UInt8], source: String) throws -> [UInt8] {
        guard key.count == 32 else {
            throw FedCryptoError(.invalidLength, source: source, "expected a 32-byte ChaChaPoly key, got \(key.count)")
        }
        guard box.count >= overhead else {
            throw FedCryptoError(.invalidLength, source: source, "expected at least \(overhead) bytes (nonce and tag), got \(box.count)")
        }
        do {
            let sealed = try ChaChaPoly.SealedBox(combined: box)
            return Array(try ChaChaPoly.open(sealed, using: SymmetricKey(data: key), authenticating: aad))
        } catch {
            throw FedCryptoError(.authenticationFailure, source: source,
                                 "ChaCha20-Poly1305 box did not authenticate (tampered, wrong key or wrong associated data)", cause: error)
        }
    }
}
