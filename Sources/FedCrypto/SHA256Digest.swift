import Crypto

/// SHA-256 (FIPS 180-4) of byte sequences: content addresses of checkpoints and the integrity
/// check of parameter streams.
public enum SHA256Digest {
    /// The 32-byte digest of `bytes`.
    public static func hash(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Array(bytes))
        return Array(hasher.finalize())
    }

    /// The digest of a buffer, without copying it.
    public static func hash(_ buffer: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(bufferPointer: buffer)
        return Array(hasher.finalize())
    }

    /// The digest of the little-endian IEEE-754 bytes of `values` (what goes on the wire).
    public static func hash(floats values: [Float]) -> [UInt8] {
        #if _endian(little)
        return values.withUnsafeBytes { hash($0) }
        #else
        return hash(values.flatMap { withUnsafeBytes(of: $0.bitPattern.littleEndian, Array.init) })
        #endif
    }

    /// The digest as 64 lowercase hex digits.
    public static func hex(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(digest.count * 2)
        for b in digest {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// An incremental SHA-256 for data that arrives in pieces (a chunked stream).
public struct IncrementalSHA256: Sendable {
    private var hasher = SHA256()

    /// Creates an empty hash.
    public init() {}

    /// Adds bytes.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
    }

    /// Adds the bytes of a buffer.
    public mutating func update(_ buffer: UnsafeRawBufferPointer) {
        hasher.update(bufferPointer: buffer)
    }

    /// The digest of everything added.
    public func finalize() -> [UInt8] { Array(hasher.finalize()) }
}
