/// t-of-n Shamir secret sharing of 32-byte secrets over GF(2^61 − 1).
///
/// A secret is cut into five little-endian limbs of 7, 7, 7, 7 and 4 bytes (each < 2^56); each
/// limb j is the constant term of its own random polynomial f_j of degree t − 1, and the holder
/// with point x receives (x, f_0(x) … f_4(x)). Any t shares give the limbs back by Lagrange
/// interpolation at 0; t − 1 shares are consistent with every secret (they determine nothing).
public enum ShamirSecretSharing {
    /// Bytes in a secret.
    public static let secretByteCount = 32
    /// Limbs per secret.
    public static let limbCount = 5
    /// Bytes per limb (the last limb takes the remaining 4).
    static let limbBytes = [7, 7, 7, 7, 4]

    /// Splits `secret` into one share per point in `points`, any `threshold` of which reconstruct it.
    /// Polynomial coefficients are uniform in GF(p), drawn from the system CSPRNG by rejection.
    /// - Parameters:
    ///   - secret: 32 bytes.
    ///   - threshold: t, 1 ≤ t ≤ points.count.
    ///   - points: the holders' distinct non-zero x-coordinates.
    /// - Throws: ``FedCryptoError`` for a wrong secret length, a bad threshold, or bad points.
    public static func split(secret: [UInt8], threshold: Int, points: [UInt32]) throws -> [ShamirShare] {
        var generator = SystemRandomNumberGenerator()
        return try split(secret: secret, threshold: threshold, points: points, using: &generator)
    }

    /// ``split(secret:threshold:points:)`` with coefficients from `generator` (tests only: a seeded
    /// generator makes the shares reproducible, which is never acceptable for real secrets).
    static func split(secret: [UInt8], threshold: Int, points: [UInt32], using generator: inout some RandomNumberGenerator) throws -> [ShamirShare] {
        guard secret.count == secretByteCount else {
            throw FedCryptoError(.invalidLength, source: "Shamir secret", "expected \(secretByteCount) bytes, got \(secret.count)")
        }
        guard threshold >= 1 && threshold <= points.count else {
            throw FedCryptoError(.outOfRange, source: "Shamir threshold",
                                 "expected 1 … \(points.count) (the number of shares), got \(threshold)")
        }
        try validatePoints(points, source: "Shamir share points")
        let limbs = Self.limbs(of: secret)
        // coefficients[j] = [a_0 = limb_j, a_1, …, a_{t−1}]
        let coefficients: [[PrimeField61]] = limbs.map { limb in
            [limb] + (1..<threshold).map { _ in uniformElement(using: &generator) }
        }
        return points.map { x in
            let fx = PrimeField61(unchecked: UInt64(x))
            let ys = coefficients.map { coeffs in
                // Horner: a_0 + x(a_1 + x(a_2 + …))
                coeffs.reversed().reduce(PrimeField61.zero) { acc, a in acc * fx + a }
            }
            return ShamirShare(x: x, limbs: ys)
        }
    }

    /// Reconstructs the secret from at least `threshold` shares (the first `threshold` are used).
    /// - Parameters:
    ///   - shares: the shares; their points must be distinct and non-zero.
    ///   - threshold: t, the degree bound the shares were made with.
    ///   - source: whose secret this is, for errors.
    /// - Throws: ``FedCryptoError`` (`tooFewShares`) for fewer than t shares; `invalidShare` for
    ///   duplicate or zero points or a wrong limb count; `outOfRange` when a reconstructed limb is
    ///   too wide (the shares are inconsistent or corrupted).
    public static func reconstruct(_ shares: [ShamirShare], threshold: Int, source: String) throws -> [UInt8] {
        guard threshold >= 1 else {
            throw FedCryptoError(.outOfRange, source: source, "expected a threshold ≥ 1, got \(threshold)")
        }
        guard shares.count >= threshold else {
            throw FedCryptoError(.tooFewShares, source: source,
                                 "reconstruction needs \(threshold) shares, got \(shares.count); fewer than the threshold do not determine the secret")
        }
        for s in shares where s.limbs.count != limbCount {
            throw FedCryptoError(.invalidShare, source: source, "share at x = \(s.x) has \(s.limbs.count) limbs, expected \(limbCount)")
        }
        try validatePoints(shares.map(\.x), source: source)
        let used = Array(shares.prefix(threshold))
        let lambdas = lagrangeCoefficientsAtZero(points: used.map(\.x))
        var out = [UInt8]()
        out.reserveCapacity(secretByteCount)
        for j in 0..<limbCount {
            var limb = PrimeField61.zero
            for (i, s) in used.enumerated() { limb = limb + lambdas[i] * s.limbs[j] }
            let width = limbBytes[j]
            guard limb.value >> UInt64(8 * width) == 0 else {
                throw FedCryptoError(.outOfRange, source: source,
                                     "reconstructed limb \(j) does not fit in \(8 * width) bits: the shares are inconsistent or corrupted")
            }
            for k in 0..<width { out.append(UInt8(truncatingIfNeeded: limb.value >> (8 * UInt64(k)))) }
        }
        return out
    }

    /// λ_i = Π_{j≠i} x_j / (x_j − x_i): the weights with f(0) = Σ λ_i f(x_i) for deg f < count.
    /// The points must be distinct and non-zero.
    public static func lagrangeCoefficientsAtZero(points: [UInt32]) -> [PrimeField61] {
        let xs = points.map { PrimeField61(unchecked: UInt64($0)) }
        return xs.indices.map { i in
            var num = PrimeField61.one, den = PrimeField61.one
            for j in xs.indices where j != i {
                num = num * xs[j]
                den = den * (xs[j] - xs[i])
            }
            return num * den.inverse!
        }
    }

    /// Evaluates at `x` the unique polynomial of degree < points.count through the given points
    /// (Lagrange interpolation), one value per limb. Used by tests to show that t − 1 shares plus
    /// *any* candidate secret fit a valid sharing.
    public static func interpolate(_ shares: [ShamirShare], at x: UInt32) -> [PrimeField61] {
        let xs = shares.map { PrimeField61(unchecked: UInt64($0.x)) }
        let target = PrimeField61(unchecked: UInt64(x))
        var result = [PrimeField61](repeating: .zero, count: limbCount)
        for i in xs.indices {
            var w = PrimeField61.one
            for j in xs.indices where j != i { w = w * (target - xs[j]) * (xs[i] - xs[j]).inverse! }
            for l in 0..<limbCount { result[l] = result[l] + w * shares[i].limbs[l] }
        }
        return result
    }

    /// The five limbs of a 32-byte secret.
    static func limbs(of secret: [UInt8]) -> [PrimeField61] {
        var offset = 0
        return limbBytes.map { width in
            var v: UInt64 = 0
            for k in 0..<width { v |= UInt64(secret[offset + k]) << (8 * UInt64(k)) }
            offset += width
            return PrimeField61(unchecked: v)
        }
    }

    /// A uniform element of GF(p): 61 random bits, rejecting the single value p.
    static func uniformElement(using generator: inout some RandomNumberGenerator) -> PrimeField61 {
        while true {
            let v = generator.next() & PrimeField61.modulus
            if v < PrimeField61.modulus { return PrimeField61(unchecked: v) }
        }
    }

    static func validatePoints(_ points: [UInt32], source: String) throws {
        var seen = Set<UInt32>()
        for x in points {
            guard x != 0 else { throw FedCryptoError(.invalidShare, source: source, "share point x must not be 0") }
            guard seen.insert(x).inserted else {
                throw FedCryptoError(.invalidShare, source: source, "share point x = \(x) appears twice; points must be distinct")
            }
        }
    }
}
