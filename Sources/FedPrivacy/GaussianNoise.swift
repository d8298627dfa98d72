#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Gaussian noise for the Gaussian mechanism, from a caller-supplied generator: FedTensor's
/// `SeededRandom` (reproducible, so a resumed run adds exactly the same noise) or any other
/// `RandomNumberGenerator`. The same generator state gives the same noise.
///
/// Samples come from the Box–Muller transform in Double, both values of each pair used, then
/// rounded once to Float when added. (Floating-point Gaussian samplers leak a little through
/// their low bits, Mironov 2012; a discrete Gaussian is the remedy when that matters.) The
/// privacy of seeded noise rests on the seed staying secret from whoever sees the result.
public enum GaussianNoise {
    /// A uniform Double in (0, 1] from 53 random bits.
    @inline(__always)
    static func uniformOpenClosed<G: RandomNumberGenerator>(_ generator: inout G) -> Double {
        Double((generator.next() >> 11) + 1) * 0x1p-53
    }

    /// A pair of independent standard normal samples (Box–Muller).
    public static func standardNormalPair<G: RandomNumberGenerator>(using generator: inout G) -> (Double, Double) {
        let u1 = uniformOpenClosed(&generator)
        let u2 = uniformOpenClosed(&generator)
        let r = (-2 * log(u1)).squareRoot()
        let theta = 2 * Double.pi * u2
        return (r * cos(theta), r * sin(theta))
    }

    /// Adds independent N(0, σ²) noise to every scalar of `vector`.
    /// - Parameters:
    ///   - standardDeviation: σ, finite and ≥ 0 (0 leaves the vector unchanged and draws nothing).
    ///   - vector: the values, changed in place.
    ///   - generator: the source of randomness, advanced by one 64-bit draw per scalar (rounded up to even).
    /// - Precondition: σ is finite and ≥ 0 (callers validate it: `LocalDifferentialPrivacy`,
    ///   `DifferentialPrivacyStrategy`).
    public static func add<G: RandomNumberGenerator>(standardDeviation sigma: Double, to vector: inout [Float], using generator: inout G) {
        precondition(sigma.isFinite && sigma >= 0, "noise standard deviation must be finite and ≥ 0, got \(sigma)")
        guard sigma > 0 else { return }
        vector.withUnsafeMutableBufferPointer { p in
            var i = 0
            while i < p.count {
                let (a, b) = standardNormalPair(using: &generator)
                p[i] = Float(Double(p[i]) + sigma * a)
                if i + 1 < p.count { p[i + 1] = Float(Double(p[i + 1]) + sigma * b) }
                i += 2
            }
        }
    }
}
