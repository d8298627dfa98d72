/// Round 2, client → server: the masked input y_u = x_u + PRG(b_u) + Σ_v ±PRG(s_uv) mod 2^b.
/// Encoding: tag 0xA5 ‖ sender (UInt64) ‖ count (UInt32) ‖ count × word (UInt32 LE).
public struct MaskedInputMessage: Sendable, Hashable {
    /// The sending node.
    public var sender: UInt64
    /// y_u, m words in Z_{2^b}.
    public var words: [UInt32]

    /// Creates the message.
    public init(sender: UInt64, words: [UInt32]) {
        self.sender = sender
        self.words = words
    }

    /// The compact binary encoding (4 bytes per element, plus 13).
    public func encoded() -> [UInt8] {
        var w = ByteWriter(tag: MessageTag.maskedInput, capacity: 12 + 4 * words.count)
        w.u64(sender)
        w.u32(UInt32(words.count))
        w.words(words)
        return w.bytes
    }

    /// Decodes a message.
    /// - Throws: ``SecureAggregationError`` (`malformedMessage`) for wrong kind, truncation or trailing bytes.
    public init(decoding bytes: [UInt8], source: String) throws {
        var r = try ByteReader(bytes, tag: MessageTag.maskedInput, message: "MaskedInputCollection message", stage: .maskedInputCollection, source: source)
        sender = try r.u64("sender")
        let n = try r.count("word count", minItemBytes: 4)
        words = try r.words(n, "masked words")
        try r.finish()
    }
}
