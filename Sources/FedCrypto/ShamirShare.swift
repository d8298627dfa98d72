/// One party's Shamir share of a 32-byte secret: the evaluation point x (never 0) and the five
/// limb polynomials evaluated at x, each an element of GF(2^61 − 1). Encoded as 44 bytes:
/// x as a little-endian UInt32, then five little-endian UInt64.
public struct ShamirShare: Hashable, Sendable {
    /// Bytes in ``encoded()``.
    public static let byteCount = 4 + 8 * ShamirSecretSharing.limbCount

    /// The evaluation point (the holder's index, 1-based).
    public var x: UInt32
    /// f_j(x) for the five limbs j.
    public var limbs: [PrimeField61]

    /// Creates a share from its point and limb values.
    public init(x: UInt32, limbs: [PrimeField61]) {
        self.x = x
        self.limbs = limbs
    }

    /// The 44-byte encoding.
    public func encoded() -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(Self.byteCount)
        withUnsafeBytes(of: x.littleEndian) { out.append(contentsOf: $0) }
        for l in limbs { withUnsafeBytes(of: l.value.littleEndian) { out.append(contentsOf: $0) } }
        return out
    }

    /// The limb values alone (40 bytes), for messages where x is implied by the sender.
    public func encodedLimbs() -> [UInt8] { Array(encoded().dropFirst(4)) }

    /// Decodes a 44-byte share.
    /// - Parameters:
    ///   - bytes: the encoding.
    ///   - source: what the bytes are, for errors.
    /// - Throws: ``FedCryptoError`` for a wrong length, x = 0, or a limb value ≥ p.
    public init(decoding bytes: [UInt8], source: String) throws {
        guard bytes.count == Self.byteCount else {
            throw FedCryptoError(.invalidLength, source: source, "expected a \(Self.byteCount)-byte Shamir share, got \(bytes.count) bytes")
        }
        var x: UInt32 = 0
        for k in 0..<4 { x |= UInt32(bytes[k]) << UInt32(8 * k) }
        try self.init(x: x, limbBytes: Array(bytes[4...]), source: source)
    }

    /// Decodes 40 limb bytes for the share at point `x`.
    /// - Throws: ``FedCryptoError`` for a wrong length, x = 0, or a limb value ≥ p.
    public init(x: UInt32, limbBytes bytes: [UInt8], source: String) throws {
        guard bytes.count == 8 * ShamirSecretSharing.limbCount else {
            throw FedCryptoError(.invalidLength, source: source,
                                 "expected \(8 * ShamirSecretSharing.limbCount) bytes of share limbs, got \(bytes.count)")
        }
        guard x != 0 else { throw FedCryptoError(.invalidShare, source: source, "share point x must not be 0") }
        var limbs = [PrimeField61]()
        for j in 0..<ShamirSecretSharing.limbCount {
            var v: UInt64 = 0
            for k in 0..<8 { v |= UInt64(bytes[8 * j + k]) << (8 * UInt64(k)) }
            guard let e = PrimeField61(exactly: v) else {
                throw FedCryptoError(.outOfRange, source: source, "share limb \(j) is \(v), expected < 2^61 − 1")
            }
            limbs.append(e)
        }
        self.init(x: x, limbs: limbs)
    }
}
