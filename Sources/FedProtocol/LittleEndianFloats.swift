#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Float32 values ↔ their little-endian IEEE-754 bytes, the wire form of parameters.
///
/// Each conversion has a fast path (one `memcpy` on a little-endian host, where the in-memory
/// bytes already are the wire bytes) and a naive twin (one float at a time through its bit
/// pattern) that big-endian hosts use and the tests compare against.
enum LittleEndianFloats {
    /// The wire bytes of `values[range]`.
    static func bytes(of values: [Float], range: Range<Int>) -> Data {
        #if _endian(little)
        return values.withUnsafeBytes { raw in
            Data(bytes: raw.baseAddress! + range.lowerBound * 4, count: range.count * 4)
        }
        #else
        return naiveBytes(of: values, range: range)
        #endif
    }

    /// The naive twin of `bytes(of:range:)`: byte by byte through each float's bit pattern.
    static func naiveBytes(of values: [Float], range: Range<Int>) -> Data {
        var out = Data(capacity: range.count * 4)
        for value in values[range] {
            let bits = value.bitPattern
            out.append(contentsOf: [UInt8(truncatingIfNeeded: bits), UInt8(truncatingIfNeeded: bits >> 8),
                                    UInt8(truncatingIfNeeded: bits >> 16), UInt8(truncatingIfNeeded: bits >> 24)])
        }
        return out
    }

    /// Writes the floats whose wire bytes are `source` (a multiple of 4 bytes, any alignment)
    /// into `destination` from float index `offset`.
    static func copy(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Float>, at offset: Int) {
        let count = source.count / 4
        precondition(source.count % 4 == 0 && offset >= 0 && offset + count <= destination.count)
        guard count > 0 else { return }
        #if _endian(little)
        UnsafeMutableRawPointer(destination.baseAddress! + offset).copyMemory(from: source.baseAddress!, byteCount: count * 4)
        #else
        naiveCopy(source, into: destination, at: offset)
        #endif
    }

    /// The naive twin of `copy(_:into:at:)`: one float at a time through its bit pattern.
    static func naiveCopy(_ source: UnsafeRawBufferPointer, into destination: UnsafeMutableBufferPointer<Float>, at offset: Int) {
        for i in 0..<(source.count / 4) {
            let bits = UInt32(source[4 * i]) | UInt32(source[4 * i + 1]) << 8
                | UInt32(source[4 * i + 2]) << 16 | UInt32(source[4 * i + 3]) << 24
            destination[offset + i] = Float(bitPattern: bits)
        }
    }
}
