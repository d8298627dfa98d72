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

    let core: ChaCha20Core
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
        self.bitWidth = bitWidth
        elementMask = bitWidth == 32 ? UInt32.max : (UInt32(1) << UInt32(bitWidth)) - 1
    }

    /// The first `count` elements (fast path).
    public func elements(count: Int) -> [UInt32] {
        var out = [UInt32](repeating: 0, count: count)
        out.withUnsafeMutableBufferPointer { buf in
            combine(into: buf) { _, w in w }
        }
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
    public func add(to vector: inout [UInt32]) {
        let m = elementMask
        vector.withUnsafeMutableBufferPointer { buf in combine(into: buf) { v, w in (v &+ w) & m } }
    }

    /// Subtracts the stream from `vector` element-wise modulo 2^b.
    public func subtract(from vector: inout [UInt32]) {
        let m = elementMask
        vector.withUnsafeMutableBufferPointer { buf in combine(into: buf) { v, w in (v &- w) & m } }
    }

    /// Runs `op(old, maskElement)` over `buffer`, generating the keystream 64 blocks at a time into
    /// a scratch buffer (4 KiB) so a million-element vector needs no million-element temporary.
    func combine(into buffer: UnsafeMutableBufferPointer<UInt32>, _ op: (UInt32, UInt32) -> UInt32) {
        precondition(buffer.count <= Self.maxElementCount, "MaskStream: at most 2^36 elements per stream")
        let chunkBlocks = 64
        let m = elementMask
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: chunkBlocks * 16) { scratch in
            var start = 0
            var counter: UInt32 = 0
            while start < buffer.count {
                let n = min(chunkBlocks * 16, buffer.count - start)
                let blocks = (n + 15) / 16
                let region = UnsafeMutableBufferPointer(rebasing: scratch[0..<(blocks * 16)])
                core.fill(region, firstCounter: counter)
                let dst = buffer.baseAddress! + start
                let src = scratch.baseAddress!
                for i in 0..<n { dst[i] = op(dst[i], src[i] & m) }
                start += n
                counter &+= UInt32(blocks)
            }
        }
    }
}
