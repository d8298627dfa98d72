import FedCrypto

/// Round 4, server → client: which of the node's neighbours survived (the server wants its share
/// of their self-mask seeds b_v; the node itself is listed) and which dropped after sharing (it
/// wants its share of their mask keys s_v^SK). Encoding: tag 0xA6 ‖ count ‖ survivor ids ‖ count ‖
/// dropped ids (UInt32 counts, UInt64 ids).
public struct UnmaskingRequest: Sendable, Hashable {
    /// Survivors whose b-share is requested, sorted.
    public var survivors: [UInt64]
    /// Dropped nodes whose s-share is requested, sorted.
    public var dropped: [UInt64]

    /// Creates the request.
    public init(survivors: [UInt64], dropped: [UInt64]) {
        self.survivors = survivors
        self.dropped = dropped
    }

    /// The compact binary encoding.
    public func encoded() -> [UInt8] {
        var w = ByteWriter(tag: MessageTag.unmaskingRequest, capacity: 8 + 8 * (survivors.count + dropped.count))
        w.u32(UInt32(survivors.count))
        for id in survivors { w.u64(id) }
        w.u32(UInt32(dropped.count))
        for id in dropped { w.u64(id) }
        return w.bytes
    }

    /// Decodes a request.
    /// - Throws: ``SecureAggregationError`` (`malformedMessage`) for wrong kind, truncation or trailing bytes.
    public init(decoding bytes: [UInt8], source: String) throws {
        var r = try ByteReader(bytes, tag: MessageTag.unmaskingRequest, message: "Unmasking request", stage: .unmasking, source: source)
        let ns = try r.count("survivor count", minItemBytes: 8)
        survivors = try (0..<ns).map { try r.u64("survivor id \($0)") }
        let nd = try r.count("dropped count", minItemBytes: 8)
        dropped = try (0..<nd).map { try r.u64("dropped id \($0)") }
        try r.finish()
    }
}

/// A node's Shamir share of one peer's secret, as revealed in Unmasking; the share's point is the
/// revealing node's.
public struct RevealedShare: Sendable, Hashable {
    /// Whose secret this is a share of.
    public var owner: UInt64
    /// The five limb values.
    public var limbs: [PrimeField61]

    /// Creates an entry.
    public init(owner: UInt64, limbs: [PrimeField61]) {
        self.owner = owner
        self.limbs = limbs
    }

    static func encode(_ entries: [RevealedShare], into w: inout ByteWriter) {
        w.u32(UInt32(entries.count))
        for e in entries {
            w.u64(e.owner)
            for l in e.limbs { w.u64(l.value) }
        }
    }

    static func decode(_ r: inout ByteReader, kind: String) throws -> [RevealedShare] {
        let n = try r.count("\(kind) share count", minItemBytes: 48)
        var out = [RevealedShare]()
        out.reserveCapacity(n)
        for _ in 0..<n {
            let owner = try r.u64("\(kind) share owner")
            var limbs = [PrimeField61]()
            for j in 0..<ShamirSecretSharing.limbCount {
                let v = try r.u64("limb \(j) of the \(kind) share of node \(owner)")
                guard let e = PrimeField61(exactly: v) else {
                    throw r.error("limb \(j) of the \(kind) share of node \(owner) is \(v), expected < 2^61 − 1")
                }
                limbs.append(e)
            }
            out.append(RevealedShare(owner: owner, limbs: limbs))
        }
        return out
    }
}

/// Round 4, client → server: the requested shares, in the request's order: b-shares of the
/// survivors and s-shares of the dropped. Encoding: tag 0xA7 ‖ sender (UInt64) ‖ count ‖
/// count × (owner UInt64 ‖ 5 × UInt64) for b-shares ‖ the same for s-shares.
public struct UnmaskingMessage: Sendable, Hashable {
    /// The sending node.
    public var sender: UInt64
    /// Shares of b_v for the survivors v.
    public var selfMaskShares: [RevealedShare]
    /// Shares of s_v^SK for the dropped v.
    public var maskKeyShares: [RevealedShare]

    /// Creates the message.
    public init(sender: UInt64, selfMaskShares: [RevealedShare], maskKeyShares: [RevealedShare]) {
        self.sender = sender
        self.selfMaskShares = selfMaskShares
        self.maskKeyShares = maskKeyShares
    }

    /// The compact binary encoding.
    public func encoded() -> [UInt8] {
        var w = ByteWriter(tag: MessageTag.unmasking, capacity: 16 + 48 * (selfMaskShares.count + maskKeyShares.count))
        w.u64(sender)
        RevealedShare.encode(selfMaskShares, into: &w)
        RevealedShare.encode(maskKeyShares, into: &w)
        return w.bytes
    }

    /// Decodes a message.
    /// - Throws: ``SecureAggregationError`` (`malformedMessage`) for wrong kind, truncation, a limb ≥ p
    ///   or trailing bytes.
    public init(decoding bytes: [UInt8], source: String) throws {
        var r = try ByteReader(bytes, tag: MessageTag.unmasking, message: "Unmasking message", stage: .unmasking, source: source)
        sender = try r.u64("sender")
        selfMaskShares = try RevealedShare.decode(&r, kind: "self-mask")
        maskKeyShares = try RevealedShare.decode(&r, kind: "mask-key")
        try r.finish()
    }
}
