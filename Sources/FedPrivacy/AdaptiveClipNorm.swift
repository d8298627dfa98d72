#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An adaptive clip norm that privately tracks the γ-quantile of the update norms (Andrew,
/// Thakkar, McMahan, Ramaswamy 2021, "Differentially Private Learning with Adaptive Clipping",
/// NeurIPS; tensorflow/privacy `QuantileEstimatorQuery`).
///
/// Each round every participating node k reports b_k = 1 if ‖Δ_k‖ ≤ C (not clipped), else 0.
/// The server centres the bits (b_k − ½, sensitivity ½), adds N(0, σ_b²) to their sum, divides
/// by the *expected* number of clients m and clamps:
///
///     b̄ = clamp((Σ_k (b_k − ½) + N(0, σ_b²)) / m + ½, 0, 1)
///     C ← C · exp(−η · (b̄ − γ))
///
/// If more than a fraction γ of the updates were unclipped, C shrinks; if fewer, it grows.
/// Defaults as TFF's `DifferentiallyPrivateFactory.gaussian_adaptive`: C₀ = 0.1, γ = 0.5,
/// η = 0.2, σ_b = 0.05·m.
///
/// C is kept at Float precision (rounded after each update) so that a checkpoint's Float
/// server state holds it exactly and a resumed run continues bit for bit.
public struct AdaptiveClipNorm: Sendable, Equatable {
    /// The current clip norm C > 0.
    public private(set) var clipNorm: Double
    /// The target quantile γ in [0, 1]: the fraction of updates that should be unclipped.
    public let targetQuantile: Double
    /// The geometric learning rate η ≥ 0.
    public let learningRate: Double
    /// σ_b ≥ 0: the standard deviation of the noise on the sum of the centred bits (count units).
    public let countNoiseStddev: Double
    /// m ≥ 1: the expected number of clients per round (the fixed denominator).
    public let expectedClients: Int

    /// Creates the estimator.
    /// - Parameters:
    ///   - initialClipNorm: C₀, finite and > 0 (default 0.1).
    ///   - targetQuantile: γ in [0, 1] (default 0.5).
    ///   - learningRate: η, finite and ≥ 0 (default 0.2).
    ///   - countNoiseStddev: σ_b, finite and ≥ 0 (default 0.05·m).
    ///   - expectedClients: m ≥ 1.
    /// - Throws: `PrivacyError.invalidArgument` naming the argument out of range.
    public init(initialClipNorm: Double = 0.1, targetQuantile: Double = 0.5, learningRate: Double = 0.2,
                countNoiseStddev: Double? = nil, expectedClients: Int) throws(PrivacyError) {
        try ArgumentCheck.positive(initialClipNorm, "initialClipNorm", of: "adaptive clipping")
        try ArgumentCheck.unitClosed(targetQuantile, "targetQuantile", of: "adaptive clipping")
        try ArgumentCheck.nonNegative(learningRate, "learningRate", of: "adaptive clipping")
        guard expectedClients >= 1 else {
            throw PrivacyError(.invalidArgument, source: "adaptive clipping expectedClients", "expected a whole number ≥ 1, got \(expectedClients)")
        }
        let sigmaB = countNoiseStddev ?? 0.05 * Double(expectedClients)
        try ArgumentCheck.nonNegative(sigmaB, "countNoiseStddev", of: "adaptive clipping")
        clipNorm = Self.storable(initialClipNorm)
        self.targetQuantile = targetQuantile
        self.learningRate = learningRate
        self.countNoiseStddev = sigmaB
        self.expectedClients = expectedClients
    }

    /// The noised, clamped fraction of unclipped updates b̄ (no randomness: the noise is given).
    /// - Parameters:
    ///   - unclippedCount: Σ b_k, the number of reports with ‖Δ_k‖ ≤ C.
    ///   - reports: how many nodes reported (n ≥ unclippedCount).
    ///   - countNoise: the N(0, σ_b²) sample added to Σ (b_k − ½).
    /// - Returns: clamp((unclippedCount − n/2 + countNoise)/m + ½, 0, 1).
    public func unclippedFraction(unclippedCount: Int, reports: Int, countNoise: Double) -> Double {
        let centred = Double(unclippedCount) - Double(reports) / 2 + countNoise
        return min(1, max(0, centred / Double(expectedClients) + 0.5))
    }

    /// One geometric step: C ← C·exp(−η(b̄ − γ)), rounded to Float precision and kept within
    /// the positive normal Floats.
    /// - Parameter unclippedFraction: b̄ in [0, 1] (from `unclippedFraction(unclippedCount:reports:countNoise:)`).
    public mutating func update(unclippedFraction: Double) {
        clipNorm = Self.storable(clipNorm * exp(-learningRate * (unclippedFraction - targetQuantile)))
    }

    /// One round: draws the count noise N(0, σ_b²) from `generator`, computes b̄ and updates C.
    /// - Parameters:
    ///   - unclippedCount: Σ b_k.
    ///   - reports: n, the number of nodes that reported.
    ///   - generator: the source of the count noise (one Box–Muller pair is drawn).
    /// - Returns: b̄, the noised fraction used.
    @discardableResult
    public mutating func update<G: RandomNumberGenerator>(unclippedCount: Int, reports: Int, using generator: inout G) -> Double {
        let noise = countNoiseStddev * GaussianNoise.standardNormalPair(using: &generator).0
        let fraction = unclippedFraction(unclippedCount: unclippedCount, reports: reports, countNoise: noise)
        update(unclippedFraction: fraction)
        return fraction
    }

    /// Sets C from a checkpoint (rounded to Float precision).
    /// - Precondition: `value` is finite and > 0 (the strategy checks it).
    mutating func restore(clipNorm value: Double) {
        precondition(value.isFinite && value > 0, "clip norm must be finite and > 0, got \(value)")
        clipNorm = Self.storable(value)
    }

    /// The update noise multiplier z_Δ when a total noise multiplier z is split between the
    /// update and the clipped-count query (Andrew et al. 2021, §3; TFF
    /// `adaptive_clip_noise_params`): the two Gaussian queries compose like one with
    /// z⁻² = z_Δ⁻² + (2σ_b)⁻² (the count query has sensitivity ½), so
    ///
    ///     z_Δ = (z⁻² − (2σ_b)⁻²)^(−½),  which needs z < 2σ_b.
    ///
    /// Account with z. z = 0 gives 0 (no noise anywhere).
    /// - Parameters:
    ///   - totalNoiseMultiplier: z, finite and ≥ 0.
    ///   - countNoiseStddev: σ_b, finite and ≥ 0.
    /// - Returns: z_Δ ≥ z.
    /// - Throws: `PrivacyError.invalidArgument` naming `totalNoiseMultiplier` when z ≥ 2σ_b (the
    ///   count query alone would already use the whole budget) or either is out of range.
    public static func updateNoiseMultiplier(totalNoiseMultiplier z: Double, countNoiseStddev sigmaB: Double) throws(PrivacyError) -> Double {
        try ArgumentCheck.nonNegative(z, "totalNoiseMultiplier", of: "adaptive clipping noise split")
        try ArgumentCheck.nonNegative(sigmaB, "countNoiseStddev", of: "adaptive clipping noise split")
        guard z > 0 else { return 0 }
        guard z < 2 * sigmaB else {
            throw PrivacyError(.invalidArgument, source: "adaptive clipping noise split totalNoiseMultiplier",
                               "expected z < 2σ_b = \(2 * sigmaB) (the clipped-count noise), got z = \(z); raise countNoiseStddev (default 0.05 × expected clients) or lower the noise multiplier")
        }
        return 1 / (1 / (z * z) - 1 / (4 * sigmaB * sigmaB)).squareRoot()
    }

    /// `value` rounded to Float and kept in [smallest normal Float, largest finite Float].
    static func storable(_ value: Double) -> Double {
        Double(min(Float.greatestFiniteMagnitude, max(Float.leastNormalMagnitude, Float(value))))
    }
}
