/// The ChaCha20 stream cipher of RFC 8439 (256-bit key, 96-bit nonce, 32-bit block counter),
/// written in Swift: the pseudorandom generator that expands secure-aggregation mask seeds.
///
/// Two implementations sit side by side: ``block(key:counter:nonce:)`` is the RFC's §2.3 block
/// function written word by word (the slow twin, checked against the RFC vectors), and
/// ``keystream(key:nonce:counter:byteCount:)`` computes eight blocks at once in `SIMD8<UInt32>`
/// lanes (the fast path, checked against the slow one).
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
        let words = core.referenceBlock(counter: counter)
        var out = [UInt8]()
        out.reserveCapacity(64)
        for w in words { withUnsafeBytes(of: w.littleEndian) { out.append(contentsOf: $0) } }
        return out
    }

    /// `byteCount` keystream bytes starting at block `counter` (fast path).
    /// - Parameters:
    ///   - key: 32 bytes.
    ///   - nonce: 12 bytes.
    ///   - counter: the first block's counter.
    ///   - byteCount: how many bytes; the counter must not pass 2^32 − 1.
    /// - Throws: ``FedCryptoError`` for bad key or nonce sizes or a counter overflow.
    public static func keystream(key: [UInt8], nonce: [UInt8], counter: UInt32 = 0, byteCount: Int) throws -> [UInt8] {
        let core = try ChaCha20Core(key: key, nonce: nonce, source: "ChaCha20.keystream")
        let blocks = (byteCount + 63) / 64
        try core.checkCounter(counter, blocks: blocks, source: "ChaCha20.keystream")
        var words = [UInt32](repeating: 0, count: blocks * 16)
        words.withUnsafeMutableBufferPointer { core.fill($0, firstCounter: counter) }
        var out = [UInt8](repeating: 0, count: byteCount)
        out.withUnsafeMutableBytes { dst in
            words.withUnsafeBytes { src in
                #if _endian(little)
                dst.copyMemory(from: UnsafeRawBufferPointer(rebasing: src[..<byteCount]))
                #else
                for i in 0..<byteCount { dst[i] = UInt8(truncatingIfNeeded: words[i / 4] >> (8 * UInt32(i % 4))) }
                #endif
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
}

/// The ChaCha20 key and nonce as little-endian words, with the reference and the 8-lane block
/// functions.
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

    /// Throws unless `blocks` blocks from `counter` stay within the 32-bit counter.
    func checkCounter(_ counter: UInt32, blocks: Int, source: String) throws {
        if blocks > 0 && UInt64(counter) + UInt64(blocks) - 1 > UInt64(UInt32.max) {
            throw FedCryptoError(.outOfRange, source: source,
                                 "ChaCha20 counter would pass 2^32 − 1 (\(blocks) blocks from counter \(counter))")
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

    /// Fills `out` (whose count is a multiple of 16) with consecutive keystream blocks (as
    /// little-endian words) starting at `firstCounter`. Eight blocks per step, one per SIMD lane.
    /// The caller has checked the counter range.
    func fill(_ out: UnsafeMutableBufferPointer<UInt32>, firstCounter: UInt32) {
        precondition(out.count % 16 == 0, "ChaCha20Core.fill: whole blocks only")
        let blocks = out.count / 16
        var done = 0
        let k0 = SIMD8<UInt32>(repeating: key[0]), k1 = SIMD8<UInt32>(repeating: key[1])
        let k2 = SIMD8<UInt32>(repeating: key[2]), k3 = SIMD8<UInt32>(repeating: key[3])
        let k4 = SIMD8<UInt32>(repeating: key[4]), k5 = SIMD8<UInt32>(repeating: key[5])
        let k6 = SIMD8<UInt32>(repeating: key[6]), k7 = SIMD8<UInt32>(repeating: key[7])
        let n0 = SIMD8<UInt32>(repeating: nonce[0]), n1 = SIMD8<UInt32>(repeating: nonce[1])
        let n2 = SIMD8<UInt32>(repeating: nonce[2])
        let c0 = SIMD8<UInt32>(repeating: Self.constants[0]), c1 = SIMD8<UInt32>(repeating: Self.constants[1])
        let c2 = SIMD8<UInt32>(repeating: Self.constants[2]), c3 = SIMD8<UInt32>(repeating: Self.constants[3])
        let laneOffsets = SIMD8<UInt32>(0, 1, 2, 3, 4, 5, 6, 7)
        while done < blocks {
            // Counters wrap in lanes past the end; those lanes are never stored.
            let ctr = SIMD8<UInt32>(repeating: firstCounter &+ UInt32(truncatingIfNeeded: done)) &+ laneOffsets
            var x0 = c0, x1 = c1, x2 = c2, x3 = c3
            var x4 = k0, x5 = k1, x6 = k2, x7 = k3
            var x8 = k4, x9 = k5, x10 = k6, x11 = k7
            var x12 = ctr, x13 = n0, x14 = n1, x15 = n2
            @inline(__always) func rotl(_ v: SIMD8<UInt32>, _ n: UInt32) -> SIMD8<UInt32> {
                (v &<< n) | (v &>> (32 - n))
            }
            @inline(__always) func qr(_ a: inout SIMD8<UInt32>, _ b: inout SIMD8<UInt32>, _ c: inout SIMD8<UInt32>, _ d: inout SIMD8<UInt32>) {
                a &+= b; d ^= a; d = rotl(d, 16)
                c &+= d; b ^= c; b = rotl(b, 12)
                a &+= b; d ^= a; d = rotl(d, 8)
                c &+= d; b ^= c; b = rotl(b, 7)
            }
            for _ in 0..<10 {
                qr(&x0, &x4, &x8, &x12); qr(&x1, &x5, &x9, &x13); qr(&x2, &x6, &x10, &x14); qr(&x3, &x7, &x11, &x15)
                qr(&x0, &x5, &x10, &x15); qr(&x1, &x6, &x11, &x12); qr(&x2, &x7, &x8, &x13); qr(&x3, &x4, &x9, &x14)
            }
            x0 &+= c0; x1 &+= c1; x2 &+= c2; x3 &+= c3
            x4 &+= k0; x5 &+= k1; x6 &+= k2; x7 &+= k3
            x8 &+= k4; x9 &+= k5; x10 &+= k6; x11 &+= k7
            x12 &+= ctr; x13 &+= n0; x14 &+= n1; x15 &+= n2
            let lanes = min(8, blocks - done)
            // Transpose: state word w of lane l → out[(done + l)·16 + w], through a 512-byte buffer
            // (dynamic SIMD lane extraction is slow).
            withUnsafeTemporaryAllocation(of: SIMD8<UInt32>.self, capacity: 16) { t in
                t[0] = x0; t[1] = x1; t[2] = x2; t[3] = x3; t[4] = x4; t[5] = x5; t[6] = x6; t[7] = x7
                t[8] = x8; t[9] = x9; t[10] = x10; t[11] = x11; t[12] = x12; t[13] = x13; t[14] = x14; t[15] = x15
                UnsafeRawPointer(t.baseAddress!).withMemoryRebound(to: UInt32.self, capacity: 128) { words in
                    let base = out.baseAddress! + done * 16
                    for l in 0..<lanes {
                        let p = base + l * 16
                        for w in 0..<16 { p[w] = words[w * 8 + l] }
                    }
                }
            }
            done += lanes
        }
    }
}
