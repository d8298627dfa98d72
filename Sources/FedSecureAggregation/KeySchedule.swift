import FedCrypto

/// FedData's SecAgg+ key schedule (SECURITY-NOTES §(i) 8). Every key is HKDF-SHA256 with the
/// session id as salt and a labelled, length-prefixed `info` naming the purpose and the parties.
enum KeySchedule {
    static let domain = Array("feddata/secagg/v1".utf8)

    static func lengthPrefixed(_ bytes: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: UInt32(bytes.count).littleEndian, Array.init) + bytes
    }

    static func u64(_ v: UInt64) -> [UInt8] { withUnsafeBytes(of: v.littleEndian, Array.init) }
    static func u32(_ v: Int) -> [UInt8] { withUnsafeBytes(of: UInt32(v).littleEndian, Array.init) }

    /// SHA-256("feddata/secagg/v1" ‖ federation ‖ round ‖ (n, t, k, b, m) ‖ graph seed ‖ every
    /// advertised (id, s^PK, c^PK) in id order), all fields length-prefixed or fixed-width.
    static func sessionID(_ c: SecureAggregationConfiguration, keys: [AdvertisedKeys]) -> [UInt8] {
        var bytes = lengthPrefixed(domain)
        bytes += lengthPrefixed(Array(c.federationID.utf8))
        bytes += u64(c.roundID)
        bytes += u32(c.nodeCount) + u32(c.threshold) + u32(c.degree) + u32(c.bitWidth) + u32(c.vectorLength)
        bytes += c.graphSeed
        bytes += u32(keys.count)
        for k in keys {
            bytes += u64(k.node)
            bytes += lengthPrefixed(k.maskingKey.rawRepresentation)
            bytes += lengthPrefixed(k.encryptionKey.rawRepresentation)
        }
        return SHA256Digest.hash(bytes)
    }

    static func info(_ label: String, _ fields: UInt64...) -> [UInt8] {
        var out = lengthPrefixed(domain + Array("/\(label)".utf8))
        for f in fields { out += u64(f) }
        return out
    }

    /// Pairwise mask seed for {u, v}: HKDF(X25519(s_u, s_v^PK), info "mask" ‖ min ‖ max).
    static func pairwiseMaskSeed(mine: X25519PrivateKey, me: UInt64, peer: UInt64, peerKey: X25519PublicKey,
                                 session: [UInt8], stage: SecureAggregationStage) throws -> [UInt8] {
        do {
            return try mine.deriveKey(with: peerKey, salt: session, info: info("mask", min(me, peer), max(me, peer)),
                                      source: "s public key of node \(peer)")
        } catch {
            throw SecureAggregationError(.verificationFailed, stage: stage, nodes: [peer], "pairwise mask key agreement with node \(peer) failed", cause: error)
        }
    }

    /// Share-box key for sender → receiver: HKDF(X25519(c_sender, c_receiver^PK), info "shares" ‖ sender ‖ receiver).
    static func shareKey(mine: X25519PrivateKey, sender: UInt64, receiver: UInt64, peer: UInt64, peerKey: X25519PublicKey,
                         session: [UInt8], stage: SecureAggregationStage) throws -> [UInt8] {
        do {
            return try mine.deriveKey(with: peerKey, salt: session, info: info("shares", sender, receiver),
                                      source: "c public key of node \(peer)")
        } catch {
            throw SecureAggregationError(.verificationFailed, stage: stage, nodes: [peer], "share-encryption key agreement with node \(peer) failed", cause: error)
        }
    }

    /// The ChaCha20 key of u's self mask: HKDF(b_u, info "self-mask" ‖ u).
    static func selfMaskKey(seed: [UInt8], node: UInt64, session: [UInt8]) -> [UInt8] {
        HKDFSHA256.deriveKey(inputKeyMaterial: seed, salt: session, info: info("self-mask", node))
    }

    /// SHA-256 commitment to b_u, bound to the session and u.
    static func commitment(seed: [UInt8], node: UInt64, session: [UInt8]) -> [UInt8] {
        SHA256Digest.hash(lengthPrefixed(domain + Array("/commitment".utf8)) + session + u64(node) + seed)
    }

    /// AEAD associated data: session ‖ sender ‖ receiver ‖ round.
    static func shareAAD(session: [UInt8], sender: UInt64, receiver: UInt64, round: UInt64) -> [UInt8] {
        session + u64(sender) + u64(receiver) + u64(round)
    }

    /// Mask stream nonces: purpose byte, 3 zero bytes, vector index (UInt64 LE).
    static func maskNonce(pairwise: Bool, vectorIndex: UInt64 = 0) -> [UInt8] {
        [pairwise ? 1 : 2, 0, 0, 0] + u64(vectorIndex)
    }

    /// Bytes of a share-box plaintext: sender ‖ receiver ‖ s-share limbs ‖ b-share limbs.
    static let sharePlaintextBytes = 16 + 2 * 8 * ShamirSecretSharing.limbCount
}
