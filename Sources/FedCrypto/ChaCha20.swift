/// The ChaCha20 stream cipher of RFC 8439 (256-bit key, 96-bit nonce, 32-bit block counter):
/// the pseudorandom generator that expands secure-aggregation mask seeds.
///
/// Two implementations sit side by side: ``block(key:counter:nonce:)`` and
/// ``referenceKeystream(key:nonce:counter:byteCount:)`` are the RFC's §2.3 block function written
/// word by word in Swift (the slow twin, checked against the RFC vectors), and
/// ``keystream(key:nonce:counter:byteCount:)`` runs swift-crypto's BoringSSL ChaCha20 (SIMD
/// assembly, the fast path, checked against the slow one).
public enum ChaCha20 {
    /// Key length in bytes.
    public static let keyByteCount = 32
    /// Nonce length in bytes.
    public static let nonceByteCount = 12
    /// Bytes per block.
    public static let blockByteCount = 64

    /// One 64-byte keystream block, computed exactly as RFC 8439 §2.3 writes it (reference).
    /// - Parameters:
    ///   - key: 32 bytes.
    ///   - counter: the block counter.
    ///   - nonce: 12 bytes.
    /// - Throws: ``FedCryptoError`` (`invalidLength`) for a key or nonce of the wrong size.
    public static func block(key: [UInt8], counter: UInt32, nonce: [UInt8]) throws -> [UInt8] {
        let core = try ChaCha20Core(key: key, nonce: nonce, source: "ChaCha20.block")
        return core.referenceBytes(counter: counter)
    }

    /// `byteCount` keystream bytes starting at block `counter`, one reference block at a time
    /// (slow twin of ``keystream(key:nonce:counter:byteCount:)``, for tests).
    /// - Throws: ``FedCryptoError`` for bad key or nonce sizes or a counter overflow.
    public static func referenceKeystream(key: [UInt8], nonce: [UInt8], counter: UInt32 = 0, byteCount: Int) throws -> [UInt8] {
        let core = try ChaCha20Core(key: key, nonce: nonce, source: "ChaCha20.referenceKeystream")
        let blocks = try checkedBlocks(byteCount: byteCount, counter: counter, source: "ChaCha20.referenceKeystream")
        var out = [UInt8]()
        out.reserveCapacity(blocks * blockByteCount)
        for b in 0..<blocks { out += core.referenceBytes(counter: counter &+ UInt32(b)) }
        return Array(out.prefix(byteCount))
    }

    /// `byteCount` keystream bytes starting at block `counter` (fast path: BoringSSL through
    /// swift-crypto's `Insecure.ChaCha20CTR`).
    /// - Parameters:
    ///   - key: 32 bytes.
    ///   - nonce: 12 bytes.
    ///   - counter: the first block's counter.
    ///   - byteCount: how many bytes (≥ 0); the counter must not pass 2^32 − 1.
    /// - Throws: ``FedCryptoError`` for bad key or nonce sizes, a negative count or a counter overflow.
    public static func keystream(key: [UInt8], nonce: [UInt8], counter: UInt32 = 0, byteCount: Int) throws -> [UInt8] {
        let stream = try ChaCha20Keystream(key: key, nonce: nonce, source: "ChaCha20.keystream")
        _ = try checkedBlocks(byteCount: byteCount, counter: counter, source: "ChaCha20.keystream")
        var out = [UInt8](repeating: 0, count: byteCount)
        out.withUnsafeMutableBytes { dst in
            var offset = 0
            stream.forEachChunk(firstCounter: counter, byteCount: byteCount) { chunk in
                UnsafeMutableRawBufferPointer(rebasing: dst[offset..<(offset + chunk.count)]).copyMemory(from: chunk)
                offset += chunk.count
            }
        }
        return out
    }

    /// Encrypts (or decrypts) `message` by XOR with the keystream starting at block `counter`
    /// (RFC 8439 §2.4).
    /// - Throws: ``FedCryptoError`` for bad key or nonce sizes or a counter overflow.
    public static func xor(_ message: [UInt8], key: [UInt8], nonce: [UInt8], counter: UInt32) throws -> [UInt8] {
        let stream = try keystream(key: key, nonce: nonce, counter: counter, byteCount: message.count)
        return zip(message, stream).map { $0 ^ $1 }
    }

    /// The number of blocks `byteCount` bytes span; throws unless it is ≥ 0 and they stay within
    /// the 32-bit counter from `counter`.
    static func checkedBlocks(byteCount: Int, counter: UInt32, source: String) throws -> Int {
        guard byteCount >= 0 else {
            throw FedCryptoError(.outOfRange, source: source, "expected a byte count ≥ 0, got \(byteCount)")
        }
        let blocks = (byteCount + blockByteCount - 1) / blockByteCount
        if blocks > 0 && UInt64(counter) + UInt64(blocks) - 1 > UInt64(UInt32.max) {
            throw FedCryptoError(.outOfRange, source: source,
                                 "ChaCha20 counter would pass 2^32 − 1 (\(blocks) blocks from counter \(counter))")
        }
        return blocks
    }
}

/// The ChaCha20 key and nonce as little-endian words, with the reference block function (RFC 8439
/// §2.3 word by word: the slow twin of ``ChaCha20Keystream``).
struct ChaCha20Core: Sendable {
    let key: [UInt32]   // 8 words
    let nonce: [UInt32] // 3 words

    init(key: [UInt8], nonce: [UInt8], source: String) throws {
        guard key.count == 32 else {
            throw FedCryptoError(.invalidLength, source: source, "expected a 32-byte ChaCha20 key, got \(key.count) bytes")
        }
        guard nonce.count == 12 else {
            throw FedCryptoError(.invalidLength, source: source, "expected a 12-byte ChaCha20 nonce, got \(nonce.count) bytes")
        }
        self.key = Self.words(key)
        self.nonce = Self.words(nonce)
    }

    static func words(_ bytes: [UInt8]) -> [UInt32] {
        stride(from: 0, to: bytes.count, by: 4).map { (i: Int) -> UInt32 in
            var w: UInt32 = 0
            for k in 0..<4 { w |= UInt32(bytes[i + k]) << UInt32(8 * k) }
            return w
        }
    }

    static let constants: [UInt32] = [0x6170_7865, 0x3320_646e, 0x7962_2d32, 0x6b20_6574]

    /// RFC 8439 §2.3, word by word: 20 rounds (10 column + diagonal double rounds), then add the input.
    func referenceBlock(counter: UInt32) -> [UInt32] {
        let initial = Self.constants + key + [counter] + nonce
        var s = initial
        func quarterRound(_ a: Int, _ b: Int, _ c: Int, _ d: Int) {
            s[a] = s[a] &+ s[b]; s[d] ^= s[a]; s[d] = (s[d] << 16) | (s[d] >> 16)
            s[c] = s[c] &+ s[d]; s[b] ^= s[c]; s[b] = (s[b] << 12) | (s[b] >> 20)
            s[a] = s[a] &+ s[b]; s[d] ^= s[a]; s[d] = (s[d] << 8) | (s[d] >> 24)
            s[c] = s[c] &+ s[d]; s[b] ^= s[c]; s[b] = (s[b] << 7) | (s[b] >> 25)
        }
        for _ in 0..<10 {
            quarterRound(0, 4, 8, 12); quarterRound(1, 5, 9, 13); quarterRound(2, 6, 10, 14); quarterRound(3, 7, 11, 15)
            quarterRound(0, 5, 10, 15); quarterRound(1, 6, 11, 12); quarterRound(2, 7, 8, 13); quarterRound(3, 4, 9, 14)
        }
        return (0..<16).map { s[$0] &+ initial[$0] }
    }

    /// ``referenceBlock(counter:)`` serialized as 64 little-endian bytes.
    func referenceBytes(counter: UInt32) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(64)
        for w in referenceBlock(counter: counter) { withUnsafeBytes(of: w.littleEndian) { out.append(contentsOf: $0) } }
        return out
    }
}
