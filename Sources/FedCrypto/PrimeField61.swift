/// An element of GF(p) with the Mersenne prime p = 2^61 − 1: the field of FedData's Shamir
/// secret sharing. Multiplication reduces the 122-bit product with `multipliedFullWidth`
/// (2^64 ≡ 8 and 2^61 ≡ 1 mod p); ``referenceProduct(_:_:)`` is the naive `UInt128` twin.
public struct PrimeField61: Hashable, Sendable, CustomStringConvertible {
    /// The modulus p = 2^61 − 1.
    public static let modulus: UInt64 = (1 << 61) - 1

    /// The canonical representative, 0 ≤ value < p.
    public let value: UInt64

    /// The element `value`; nil unless 0 ≤ value < p.
    public init?(exactly value: UInt64) {
        guard value < Self.modulus else { return nil }
        self.value = value
    }

    /// The element `value mod p`.
    public init(reducing value: UInt64) {
        var r = (value & Self.modulus) + (value >> 61)
        if r >= Self.modulus { r -= Self.modulus }
        self.value = r
    }

    init(unchecked value: UInt64) { self.value = value }

    /// 0.
    public static let zero = PrimeField61(unchecked: 0)
    /// 1.
    public static let one = PrimeField61(unchecked: 1)

    public var description: String { "\(value)" }

    /// a + b mod p.
    public static func + (a: Self, b: Self) -> Self {
        let s = a.value + b.value // < 2^62, no overflow
        return Self(unchecked: s >= modulus ? s - modulus : s)
    }

    /// a − b mod p.
    public static func - (a: Self, b: Self) -> Self {
        Self(unchecked: a.value >= b.value ? a.value - b.value : a.value + modulus - b.value)
    }

    /// −a mod p.
    public static prefix func - (a: Self) -> Self { zero - a }

    /// a · b mod p, by folding the 128-bit product: hi·2^64 + lo ≡ 8·hi + (lo mod 2^61) + (lo >> 61).
    public static func * (a: Self, b: Self) -> Self {
        let (hi, lo) = a.value.multipliedFullWidth(by: b.value)
        // hi < 2^58 since a, b < 2^61, so hi << 3 < 2^61; the sum is < 2^63.
        var r = (lo & modulus) + (lo >> 61) + (hi << 3)
        r = (r & modulus) + (r >> 61)
        if r >= modulus { r -= modulus }
        return Self(unchecked: r)
    }

    /// a · b mod p computed with 128-bit division (slow twin of `*`, for tests).
    public static func referenceProduct(_ a: Self, _ b: Self) -> Self {
        Self(unchecked: UInt64((UInt128(a.value) * UInt128(b.value)) % UInt128(modulus)))
    }

    /// a^e mod p by square-and-multiply.
    public func power(_ exponent: UInt64) -> Self {
        var result = Self.one, base = self, e = exponent
        while e > 0 {
            if e & 1 == 1 { result = result * base }
            base = base * base
            e >>= 1
        }
        return result
    }

    /// The multiplicative inverse a^(p−2) (Fermat); nil for zero.
    public var inverse: Self? {
        value == 0 ? nil : power(Self.modulus - 2)
    }
}
