#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What local differential privacy did to one update before it left the node.
public struct LocalPrivacyReport: Sendable, Equatable {
    /// The clipping outcome (norm before clipping, factor, whether clipped).
    public var clip: ClipOutcome
    /// The standard deviation σ of the Gaussian noise added to every scalar.
    public var noiseStandardDeviation: Double
}

/// Local differential privacy on a node (as Flower's `LocalDpMod`): the update is clipped to
/// L2 norm C and Gaussian noise is added *before* it leaves the node, so each update is
/// private on its own, without trusting the server. The cost: the noise in an average of n
/// updates shrinks only as 1/√n (central DP-FedAvg's as 1/n).
///
/// Calibration, with sensitivity Δ = C:
/// - `.gaussianMechanism(epsilon:delta:)`: the classic Gaussian mechanism (Dwork and Roth 2014,
///   Thm A.1), σ = Δ·√(2 ln(1.25/δ))/ε, (ε, δ)-DP for one release, valid for ε < 1;
///   Flower's `add_localdp_gaussian_noise_to_params`.
/// - `.noiseMultiplier(z)`: σ = z·C, for a caller who accounts with the RDP accountant
///   (q = 1: each node's own update is always "sampled").
public struct LocalDifferentialPrivacy: Sendable, Equatable {
    /// How the noise is calibrated.
    public enum Calibration: Sendable, Equatable {
        /// σ = C·√(2 ln(1.25/δ))/ε, with ε in (0, 1) and δ in (0, 1).
        case gaussianMechanism(epsilon: Double, delta: Double)
        /// σ = z·C, with z finite and ≥ 0.
        case noiseMultiplier(Double)
    }

    /// The clipper (C).
    public let clipper: UpdateClipper
    /// The calibration asked for.
    public let calibration: Calibration
    /// σ, the noise standard deviation per scalar.
    public let noiseStandardDeviation: Double

    /// Creates the node-side mechanism.
    /// - Parameters:
    ///   - clipNorm: C, finite and > 0.
    ///   - calibration: how σ is chosen.
    /// - Throws: `PrivacyError.invalidArgument` naming `clipNorm`, `epsilon` (expected (0, 1)),
    ///   `delta` (expected (0, 1)) or `noiseMultiplier` (expected ≥ 0) when out of range.
    public init(clipNorm: Double, calibration: Calibration) throws(PrivacyError) {
        clipper = try UpdateClipper(clipNorm: clipNorm)
        self.calibration = calibration
        switch calibration {
        case .gaussianMechanism(let epsilon, let delta):
            noiseStandardDeviation = try Self.gaussianMechanismStandardDeviation(sensitivity: clipNorm, epsilon: epsilon, delta: delta)
        case .noiseMultiplier(let z):
            try ArgumentCheck.nonNegative(z, "noiseMultiplier", of: "local DP")
            noiseStandardDeviation = z * clipNorm
        }
    }

    /// The classic Gaussian mechanism's σ = Δ·√(2 ln(1.25/δ))/ε.
    /// - Parameters:
    ///   - sensitivity: Δ, finite and > 0.
    ///   - epsilon: ε in (0, 1) (the theorem's range).
    ///   - delta: δ in (0, 1).
    /// - Throws: `PrivacyError.invalidArgument` naming the argument out of range.
    public static func gaussianMechanismStandardDeviation(sensitivity: Double, epsilon: Double, delta: Double) throws(PrivacyError) -> Double {
        try ArgumentCheck.positive(sensitivity, "sensitivity", of: "local DP")
        guard epsilon > 0, epsilon < 1 else {
            throw PrivacyError(.invalidArgument, source: "local DP epsilon",
                               "expected a number in (0, 1) (the classic Gaussian mechanism holds only for ε < 1; use a noise multiplier and the RDP accountant for larger ε), got \(epsilon)")
        }
        try ArgumentCheck.unitOpen(delta, "delta", of: "local DP")
        return sensitivity * (2 * log(1.25 / delta)).squareRoot() / epsilon
    }

    /// Clips `update` to norm C, then adds N(0, σ²) to every scalar.
    /// - Parameters:
    ///   - update: the node's update (trained minus global parameters), changed in place.
    ///   - generator: the source of the noise.
    /// - Returns: what was done.
    @discardableResult
    public func privatize<G: RandomNumberGenerator>(_ update: inout [Float], using generator: inout G) -> LocalPrivacyReport {
        let clip = clipper.clip(&update)
        GaussianNoise.add(standardDeviation: noiseStandardDeviation, to: &update, using: &generator)
        return LocalPrivacyReport(clip: clip, noiseStandardDeviation: noiseStandardDeviation)
    }
}
