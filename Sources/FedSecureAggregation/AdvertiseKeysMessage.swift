import FedCrypto

/// Round 0, client → server: a node's two fresh X25519 public keys for this round, c (share
/// encryption) and s (pairwise masks). Encoding (73 bytes): tag 0xA1 ‖ sender (UInt64 LE) ‖
/// c (32) ‖ s (32).
public struct AdvertiseKeysMessage: Sendable, Hashable {
    /// The sending node.
    public var sender: UInt64
    /// c^PK: the key the node's share boxes are encrypted to.
    public var encryptionKey: X25519PublicKey
    /// s^PK: the key its pairwise mask seeds are agreed with.
    public var maskingKey: X25519PublicKey

    /// Creates the message.
    public init(sender: UInt64, encryptionKey: X25519PublicKey, maskingKey: X25519PublicKey) {
        self.sender = sender
        self.encryptionKey = encryptionKey
        self.maskingKey = maskingKey
    }

    /// The compact binary encoding.
    public func encoded() -> [UInt8] {
        var w = ByteWriter(tag: MessageTag.advertiseKeys, capacity: 72)
        w.u64(sender)
        w.raw(encryptionKey.rawRepresentation)
        w.raw(maskingKey.rawRepresentation)
        return w.bytes
    }

    /// Decodes a message.
    /// - Parameters:
    ///   - bytes: the encoding.
    ///   - source: where the bytes came from (e.g. `node 7`), for errors.
    /// - Throws: ``SecureAggregationError`` (`malformedMessage`) for wrong kind, truncation or trailing bytes.
    public init(decoding bytes: [UInt8], source: String) throws {
        var r = try ByteReader(bytes, tag: MessageTag.advertiseKeys, message: "AdvertiseKeys message", stage: .advertiseKeys, source: source)
        sender = try r.u64("sender")
        encryptionKey = try X25519PublicKey(rawRepresentation: try r.raw(32, "c public key"), source: source)
        maskingKey = try X25519PublicKey(rawRepresentation: try r.raw(32, "s public key"), source: source)
        try r.finish()
    }
}

/// One node's advertised public keys, as the server forwards them.
public struct AdvertisedKeys: Sendable, Hashable {
    /// The node.
    public var node: UInt64
    /// c^PK.
    public var encryptionKey: X25519PublicKey
    /// s^PK.
    public var maskingKey: X25519PublicKey

    /// Creates an entry.
    public init(node: UInt64, encryptionKey: X25519PublicKey, maskingKey: X25519PublicKey) {
        self.node = node
        self.encryptionKey = encryptionKey
        self.maskingKey = maskingKey
    }
}

/// Round 1, server → clients: the public keys of every node that advertised (U1), in id order.
/// The session id is computed over all of them, so every client receives the full list.
/// Encoding: tag 0xA2 ‖ count (UInt32) ‖ count × (node UInt64 ‖ c (32) ‖ s (32)).
public struct ShareKeysRequest: Sendable, Hashable {
    /// The advertised keys, sorted by node id.
    public var keys: [AdvertisedKeys]

    /// Creates the request.
    public init(keys: [AdvertisedKeys]) { self.keys = keys }

    /// The compact binary encoding.
    public func encoded() -> [UInt8] {
        var w = ByteWriter(tag: MessageTag.shareKeysRequest, capacity: 4 + 72 * keys.count)
        w.u32(UInt32(keys.count))
        for k in keys {
            w.u64(k.node)
            w.raw(k.encryptionKey.rawRepresentation)
            w.raw(k.maskingKey.rawRepresentation)
        }
        return w.bytes
    }

    /// Decodes a request.
    /// - Throws: ``SecureAggregationError`` (`malformedMessage`) for wrong kind, truncation or trailing bytes.
    public init(decoding bytes: [UInt8], source: String) throws {
        var r = try ByteReader(bytes, tag: MessageTag.shareKeysRequest, message: "ShareKeys request", stage: .shareKeys, source: source)
        let n = try r.count("key count", minItemBytes: 72)
        keys = []
        keys.reserveCapacity(n)
        for i in 0..<n {
            let node = try r.u64("node id of entry \(i)")
            let c = try X25519PublicKey(rawRepresentation: try r.raw(32, "c public key of node \(node)"), source: source)
            let s = try X25519PublicKey(rawRepresentation: try r.raw(32, "s public key of node \(node)"), source: source)
            keys.append(AdvertisedKeys(node: node, encryptionKey: c, maskingKey: s))
        }
        try r.finish()
    }
}
