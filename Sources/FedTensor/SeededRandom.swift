/// The one source of randomness for machine learning in FedData: initialization, shuffling,
/// sampling, partitioning. Seeded and reproducible; **not** for cryptography (secure
/// aggregation and key generation use the system CSPRNG through FedCrypto, a different type).
///
/// Algorithm: xoshiro256** (Blackman and Vigna, 2018), whose 256-bit state is filled from the
/// 64-bit seed with SplitMix64, as its authors recommend. The same seed gives the same stream
/// on every platform and core count. `derived(stream:)` gives an independent generator for a
/// sub-task (one per node, per epoch, …), so that results do not depend on the order in which
/// concurrent work draws numbers.
public struct SeededRandom: RandomNumberGenerator, Sendable, Equatable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    /// The seed this generator was created from.
    public let seed: UInt64

    /// Creates a generator from a 64-bit seed.
    public init(seed: UInt64) {
        self.seed = seed
        var sm = seed
        s0 = SeededRandom.splitMix64(&sm)
        s1 = SeededRandom.splitMix64(&sm)
        s2 = SeededRandom.splitMix64(&sm)
        s3 = SeededRandom.splitMix64(&sm)
    }

    /// SplitMix64 (Steele, Lea, Flood 2014): advances `state` and returns the next output.
    @inlinable public static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A generator for an independent sub-stream, a pure function of `(seed, stream)`.
    public func derived(stream: UInt64) -> SeededRandom {
        var sm = seed ^ 0x5851_F42D_4C95_7F2D
        let a = SeededRandom.splitMix64(&sm)
        var sm2 = stream &+ a
        return SeededRandom(seed: SeededRandom.splitMix64(&sm2) ^ a)
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 {
        (x << k) | (x >> (64 &- k))
    }

    /// A uniform `Float` in [0, 1) with 24 random bits.
    public mutating func nextFloat() -> Float {
        Float(next() >> 40) * (1.0 / 16_777_216.0)
    }

    /// A uniform `Double` in [0, 1) with 53 random bits.
    public mutating func nextDouble() -> Double {
        Double(next() >> 11) * (1.0 / 9_007_199_254_740_992.0)
    }

    /// A uniform integer in `0..<upperBound` without modulo bias (Lemire's method).
    public mutating func nextInt(below upperBound: Int) -> Int {
        precondition(upperBound > 0, "SeededRandom.nextInt: upper bound \(upperBound) must be positive")
        return Int(next(upperBound: UInt64(upperBound)))
    }

    /// A standard normal sample (Box–Muller, one of the pair; deterministic).
    public mutating func nextNormal() -> Float {
        var u1 = nextDouble()
        while u1 <= Double.leastNonzeroMagnitude { u1 = nextDouble() }
        let u2 = nextDouble()
        return Float((-2 * _log(u1)).squareRoot() * _cos(2 * Double.pi * u2))
    }

    /// A Gamma(shape, 1) sample (Marsaglia–Tsang 2000; boosted for shape < 1).
    public mutating func nextGamma(shape: Double) -> Double {
        precondition(shape > 0, "SeededRandom.nextGamma: shape \(shape) must be positive")
        if shape < 1 {
            let u = max(nextDouble(), Double.leastNonzeroMagnitude)
            return nextGamma(shape: shape + 1) * _pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3.0
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double, v: Double
            repeat {
                x = Double(nextNormal())
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = nextDouble()
            if u < 1 - 0.0331 * x * x * x * x { return d * v }
            if _log(max(u, Double.leastNonzeroMagnitude)) < 0.5 * x * x + d * (1 - v + _log(v)) { return d * v }
        }
    }

    /// A sample from a symmetric or general Dirichlet distribution with parameters `alpha`.
    public mutating func nextDirichlet(_ alpha: [Double]) -> [Double] {
        var g = alpha.map { nextGamma(shape: $0) }
        let total = g.reduce(0, +)
        if total <= 0 {  // every draw underflowed (tiny alpha): put all mass on one category
            g = [Double](repeating: 0, count: alpha.count)
            g[nextInt(below: alpha.count)] = 1
            return g
        }
        return g.map { $0 / total }
    }

    /// Shuffles `array` in place (Fisher–Yates), reproducibly.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            let j = nextInt(below: i + 1)
            if i != j { array.swapAt(i, j) }
        }
    }

    /// A random permutation of `0..<n`.
    public mutating func permutation(_ n: Int) -> [Int] {
        var p = Array(0..<n)
        shuffle(&p)
        return p
    }
}

// Foundation-free libm access (FedTensor stays free of Foundation).
#if canImport(Glibc)
import Glibc
@inline(__always) func _log(_ x: Double) -> Double { Glibc.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Glibc.cos(x) }
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Glibc.pow(x, y) }
#elseif canImport(Musl)
import Musl
@inline(__always) func _log(_ x: Double) -> Double { Musl.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Musl.cos(x) }
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Musl.pow(x, y) }
#elseif canImport(Darwin)
import Darwin
@inline(__always) func _log(_ x: Double) -> Double { Darwin.log(x) }
@inline(__always) func _cos(_ x: Double) -> Double { Darwin.cos(x) }
@inline(__always) func _pow(_ x: Double, _ y: Double) -> Double { Darwin.pow(x, y) }
#endif
