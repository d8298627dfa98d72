/// A pseudorandom mask vector over Z_{2^b} (1 ≤ b ≤ 32), expanded from a 32-byte seed with
/// ChaCha20: element i is the i-th little-endian 32-bit word of the keystream (block counter from
/// 0, the given 12-byte nonce) with its low b bits kept. Since 2^b divides 2^32 the elements are
/// exactly uniform; a 32-bit counter allows up to 2^36 elements per (seed, nonce).
///
/// Use a different nonce for each vector and purpose, and never the same (seed, nonce) for two
/// inputs: a stream that masks two inputs leaks their difference.
public struct MaskStream: Sendable {
    /// The largest number of elements one stream can produce (2^32 blocks of 16 words).
    public static let maxElementCount = Int(UInt64(1) << 36)

    /// The reference block function (slow twin).
    let core: ChaCha20Core
    /// The BoringSSL keystream (fast path).
    let stream: ChaCha20Keystream
    /// The number of bits per element, b.
    public let bitWidth: Int
    /// 2^b − 1 (`UInt32.max` for b = 32).
    public let elementMask: UInt32

    /// Creates a stream.
    /// - Parameters:
    ///   - seed: the 32-byte ChaCha20 key.
    ///   - nonce: the 12-byte nonce (purpose and vector index).
    ///   - bitWidth: b, 1 … 32.
    /// - Throws: ``FedCryptoError`` for a wrong seed or nonce length or b outside 1 … 32.
    public init(seed: [UInt8], nonce: [UInt8], bitWidth: Int) throws {
        guard (1...32).contains(bitWidth) else {
            throw FedCryptoError(.outOfRange, source: "MaskStream bit width", "expected 1 … 32 bits per element, got \(bitWidth)")
        }
        core = try ChaCha20Core(key: seed, nonce: nonce, source: "MaskStream")
        stream = try ChaCha20Keystream(key: seed, nonce: nonce, source: "MaskStream")
        self.bitWidth = bitWidth
        elementMask = bitWidth == 32 ? UInt32.max : (UInt32(1) << UInt32(bitWidth)) - 1
    }

    /// The first `count` elements (fast path).
    public func elements(count: Int) -> [UInt32] {
        var out = [UInt32](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { buf in combine(into: buf) { _, w in w } }
        return out
    }

    /// The first `count` elements computed one RFC 8439 reference block at a time (slow twin of
    /// ``elements(count:)``, for tests).
    public func referenceElements(count: Int) -> [UInt32] {
        precondition(count <= Self.maxElementCount, "MaskStream: too many elements")
        var out = [UInt32]()
        out.reserveCapacity(count)
        var counter: UInt32 = 0
        while out.count < count {
            for w in core.referenceBlock(counter: counter) where out.count < count { out.append(w & elementMask) }
            counter &+= 1
        }
        return out
    }

    /// Adds the stream to `vector` element-wise modulo 2^b: vector[i] = (vector[i] + mask[i]) mod 2^b.
    /// No temporary the size of `vector`: the keystream arrives in 64 KiB chunks.
    public func add(to vector: inout [UInt32]) {
        let m = elementMask
        vector.withUnsafeMutableBufferPointer { buf in combine(into: buf) { v, w in (v &+ w) & m } }
    }

    /// Subtracts the stream from `vector` element-wise modulo 2^b.
    public func subtract(from vector: inout [UInt32]) {
        let m = elementMask
        vector.withUnsafeMutableBufferPointer { buf in combine(into: buf) { v, w in (v &- w) & m } }
    }

    /// Adds every stream of `adding` to `vector` and subtracts every stream of `subtracting`, modulo
    /// 2^b, in one pass over `vector`: for each 16 384-element chunk, every stream's keystream for
    /// that chunk is applied while the chunk is in cache. The result equals calling
    /// ``add(to:)`` and ``subtract(from:)`` stream by stream (the tests compare them); for a vector
    /// larger than the cache it saves a trip to memory per stream. A SecAgg+ client masks with
    /// `apply(adding: [self mask] + peers below it, subtracting: peers above it, to: &input)`.
    /// - Throws: ``FedCryptoError`` (`outOfRange`) when the streams' bit widths differ.
    public static func apply(adding: [MaskStream], subtracting: [MaskStream], to vector: inout [UInt32]) throws {
        guard let first = adding.first ?? subtracting.first else { return }
        if let other = (adding + subtracting).first(where: { $0.bitWidth != first.bitWidth }) {
            throw FedCryptoError(.outOfRange, source: "MaskStream.apply",
                                 "expected every stream at \(first.bitWidth) bits per element, got one at \(other.bitWidth)")
        }
        precondition(vector.count <= maxElementCount, "MaskStream: at most 2^36 elements per stream")
        let m = first.elementMask
        let chunkWords = ChaCha20Keystream.chunkByteCount / 4
        vector.withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var start = 0
            var counter: UInt32 = 0
            while start < buffer.count {
                let n = min(chunkWords, buffer.count - start)
                let dst = base + start
                for s in adding {
                    s.stream.withChunk(counter: counter, byteCount: 4 * n) { chunk in
                        for i in 0..<n { dst[i] = (dst[i] &+ UInt32(littleEndian: chunk.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) & m }
                    }
                }
                for s in subtracting {
                    s.stream.withChunk(counter: counter, byteCount: 4 * n) { chunk in
                        for i in 0..<n { dst[i] = (dst[i] &- UInt32(littleEndian: chunk.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) & m }
                    }
                }
                start += n
                counter &+= UInt32(ChaCha20Keystream.chunkBlocks)
            }
        }
    }

    /// Runs `buffer[i] = op(buffer[i], mask[i])` over `buffer`, reading the keystream chunk by chunk (64 KiB, from
    /// block 0) straight from BoringSSL's output.
    @inline(__always)
    func combine(into buffer: UnsafeMutableBufferPointer<UInt32>, _ op: (UInt32, UInt32) -> UInt32) {
        precondition(buffer.count <= Self.maxElementCount, "MaskStream: at most 2^36 elements per stream")
        guard let base = buffer.baseAddress, buffer.count > 0 else { return }
        let m = elementMask
        var start = 0
        stream.forEachChunk(firstCounter: 0, byteCount: buffer.count * 4) { chunk in
            let n = chunk.count / 4
            let dst = base + start
            for i in 0..<n {
                let w = UInt32(littleEndian: chunk.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))
                dst[i] = op(dst[i], w & m)
            }
            start += n
        }
    }
}
