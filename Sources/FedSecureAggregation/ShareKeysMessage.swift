/// One ChaCha20-Poly1305 box of Shamir shares between two nodes; `peer` is the receiver when a
/// client sends it and the sender when the server forwards it.
public struct SealedShares: Sendable, Hashable {
    /// The other node.
    public var peer: UInt64
    /// nonce ‖ ciphertext ‖ tag.
    public var box: [UInt8]

    /// Creates an entry.
    public init(peer: UInt64, box: [UInt8]) {
        self.peer = peer
        self.box = box
    }

    static let maxBoxBytes = 1024

    static func encode(_ entries: [SealedShares], into w: inout ByteWriter) {
        w.u32(UInt32(entries.count))
        for e in entries {
            w.u64(e.peer)
            w.lengthPrefixed(e.box)
        }
    }

    static func decode(_ r: inout ByteReader, role: String) throws -> [SealedShares] {
        let n = try r.count("share box count", minItemBytes: 12)
        var out = [SealedShares]()
        out.reserveCapacity(n)
        for i in 0..<n {
            let peer = try r.u64("\(role) of share box \(i)")
            out.append(SealedShares(peer: peer, box: try r.lengthPrefixed("share box for node \(peer)", max: maxBoxBytes)))
        }
        return out
    }
}

/// Round 1, client → server: the hash commitment to the node's self-mask seed b_u and one sealed
/// box of shares (of s_u^SK and b_u) per graph neighbour that advertised keys, sorted by receiver.
/// Encoding: tag 0xA3 ‖ sender (UInt64) ‖ commitment (32) ‖ count (UInt32) ‖
/// count × (receiver UInt64 ‖ box length UInt32 ‖ box).
public struct ShareKeysMessage: Sendable, Hashable {
    /// The sending node.
    public var sender: UInt64
    /// SHA-256 commitment to b_u, bound to the session and the sender.
    public var selfMaskCommitment: [UInt8]
    /// The boxes, `peer` = receiver.
    public var boxes: [SealedShares]

    /// Creates the message.
    public init(sender: UInt64, selfMaskCommitment: [UInt8], boxes: [SealedShares]) {
        self.sender = sender
        self.selfMaskCommitment = selfMaskCommitment
        self.boxes = boxes
    }

    /// The compact binary encoding.
    public func encoded() -> [UInt8] {
        var w = ByteWriter(tag: MessageTag.shareKeys, capacity: 44 + boxes.reduce(0) { $0 + 12 + $1.box.count })
        w.u64(sender)
        w.raw(selfMaskCommitment)
        SealedShares.encode(boxes, into: &w)
        return w.bytes
    }

    /// Decodes a message.
    /// - Throws: ``SecureAggregationError`` (`malformedMessage`) for wrong kind, truncation or trailing bytes.
    public init(decoding bytes: [UInt8], source: String) throws {
        var r = try ByteReader(bytes, tag: MessageTag.shareKeys, message: "ShareKeys message", stage: .shareKeys, source: source)
        sender = try r.u64("sender")
        selfMaskCommitment = try r.raw(32, "self-mask commitment")
        boxes = try SealedShares.decode(&r, role: "receiver")
        try r.finish()
    }
}

/// Round 2, server → client: the sealed share boxes addressed to this node by its neighbours that
/// completed ShareKeys (U2), sorted by sender. Encoding: tag 0xA4 ‖ count (UInt32) ‖
/// count × (sender UInt64 ‖ box length UInt32 ‖ box).
public struct MaskedInputRequest: Sendable, Hashable {
    /// The boxes, `peer` = sender.
    public var boxes: [SealedShares]

    /// Creates the request.
    public init(boxes: [SealedShares]) { self.boxes = boxes }

    /// The compact binary encoding.
    public func encoded() -> [UInt8] {
        var w = ByteWriter(tag: MessageTag.maskedInputRequest, capacity: 4 + boxes.reduce(0) { $0 + 12 + $1.box.count })
        SealedShares.encode(boxes, into: &w)
        return w.bytes
    }

    /// Decodes a request.
    /// - Throws: ``SecureAggregationError`` (`malformedMessage`) for wrong kind, truncation or trailing bytes.
    public init(decoding bytes: [UInt8], source: String) throws {
        var r = try ByteReader(bytes, tag: MessageTag.maskedInputRequest, message: "MaskedInputCollection request", stage: .maskedInputCollection, source: source)
        boxes = try SealedShares.decode(&r, role: "sender")
        try r.finish()
    }
}
