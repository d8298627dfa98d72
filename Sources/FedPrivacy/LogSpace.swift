#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Arithmetic on numbers kept as their logarithms, for the accountant's sums of terms that
/// would overflow or underflow a `Double` (exp(k²/2z²) for k up to 1024).
enum LogSpace {
    /// log(eˣ + eʸ), exact when either is −∞.
    static func add(_ x: Double, _ y: Double) -> Double {
        let (a, b) = x < y ? (x, y) : (y, x)
        if a == -.infinity { return b }
        return log1p(exp(a - b)) + b
    }

    /// log(C(n, k)) = log Γ(n + 1) − log Γ(k + 1) − log Γ(n − k + 1), for real n ≥ 0 and whole
    /// 0 ≤ k ≤ n. (For fractional n and k > n
    /// the binomial can be negative; the fractional-order series builds it by products instead.)
    static func logBinomial(_ n: Double, _ k: Double) -> Double {
        logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1)
    }

    /// log|Γ(x)|, through the re-entrant `lgamma_r` (plain `lgamma` writes the global `signgam`,
    /// a data race when accountants run on several threads).
    static func logGamma(_ x: Double) -> Double {
        var sign: Int32 = 0
        return lgamma_r(x, &sign)
    }

    /// log(erfc(x)), accurate for every x: `erfc` itself while it is a normal number (x < 25),
    /// then the asymptotic series erfc(x) = e^{−x²}/(x√π)·(1 − 1/(2x²) + 3/(2x²)² − 15/(2x²)³ + …),
    /// whose terms at x ≥ 25 fall below 10⁻¹⁶ after six (erfc underflows near x = 26.5).
    static func logErfc(_ x: Double) -> Double {
        if x < asymptoticThreshold { return log(erfc(x)) }
        return logErfcAsymptotic(x)
    }

    /// Where `logErfc` switches from `erfc` to the asymptotic series.
    static let asymptoticThreshold = 25.0

    /// The asymptotic series of log(erfc(x)) for large positive x (see `logErfc`), summed until
    /// its terms stop shrinking or fall below 10⁻¹⁷ (the slow twin `log(erfc(x))` agrees to
    /// 10⁻¹³ relative for 10 ≤ x ≤ 25; tested).
    static func logErfcAsymptotic(_ x: Double) -> Double {
        let inverse2x2 = 1 / (2 * x * x)
        var term = 1.0
        var sum = 1.0
        var k = 1
        while k < 40 {
            let next = -term * Double(2 * k - 1) * inverse2x2
            if abs(next) >= abs(term) || abs(next) < 1e-17 { break }
            term = next
            sum += term
            k += 1
        }
        return -x * x - log(x) - 0.5 * log(Double.pi) + log(sum)
    }
}
