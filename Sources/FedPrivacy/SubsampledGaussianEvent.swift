/// `steps` rounds (or steps) of the Poisson-subsampled Gaussian mechanism with the same
/// sampling rate and noise multiplier: what the RDP accountant composes.
public struct SubsampledGaussianEvent: Sendable, Equatable {
    /// q in [0, 1]: each record's (client's) probability of being in a step.
    public let samplingRate: Double
    /// z ≥ 0: the noise standard deviation divided by the sensitivity (the clip norm).
    public let noiseMultiplier: Double
    /// How many such steps, ≥ 0.
    public let steps: Int

    /// Creates an event.
    /// - Parameters:
    ///   - samplingRate: q in [0, 1].
    ///   - noiseMultiplier: z, finite and ≥ 0.
    ///   - steps: ≥ 0.
    /// - Throws: `PrivacyError.invalidArgument` naming `samplingRate`, `noiseMultiplier` or
    ///   `steps` when NaN or out of range.
    public init(samplingRate: Double, noiseMultiplier: Double, steps: Int) throws(PrivacyError) {
        try SubsampledGaussianRDP.checkArguments(samplingRate: samplingRate, noiseMultiplier: noiseMultiplier)
        try ArgumentCheck.count(steps, "steps", of: "RDP accountant")
        self.samplingRate = samplingRate
        self.noiseMultiplier = noiseMultiplier
        self.steps = steps
    }
}
