@testable import FedPrivacy
import FedTensor
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Mean and (population) variance of `v`, in Double.
func meanAndVariance(_ v: [Float]) -> (mean: Double, variance: Double) {
    let n = Double(v.count)
    let mean = v.reduce(0.0) { $0 + Double($1) } / n
    let variance = v.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / n
    return (mean, variance)
}

@Suite struct UpdateClipperTests {
    @Test func clipsALongUpdateToC() throws {
        let clipper = try UpdateClipper(clipNorm: 1)
        var v: [Float] = [3, 4]
        let outcome = clipper.clip(&v)
        #expect(outcome == ClipOutcome(norm: 5, factor: 0.2, wasClipped: true))
        #expect(abs(v[0] - 0.6) < 1e-7 && abs(v[1] - 0.8) < 1e-7)
    }

    @Test func leavesAShortUpdateAlone() throws {
        let clipper = try UpdateClipper(clipNorm: 1)
        var v: [Float] = [0.3, 0.4]
        let outcome = clipper.clip(&v)
        #expect(!outcome.wasClipped && outcome.factor == 1 && abs(outcome.norm - 0.5) < 1e-7)
        #expect(v == [0.3, 0.4])
    }

    /// Flower's `clip_inputs_inplace` divides by the norm; ours leaves a zero update alone.
    @Test func zeroUpdateIsNotDividedByZero() throws {
        var v = [Float](repeating: 0, count: 5)
        let outcome = try UpdateClipper(clipNorm: 0.5).clip(&v)
        #expect(outcome == ClipOutcome(norm: 0, factor: 1, wasClipped: false))
        #expect(v.allSatisfy { $0 == 0 })
    }

    @Test func normAgreesWithPlainSum() {
        var random = SeededRandom(seed: 7)
        let v = (0..<1001).map { _ in random.nextNormal() }
        let plain = v.map { Double($0) * Double($0) }.reduce(0, +).squareRoot()
        #expect(abs(UpdateClipper.l2Norm(v) - plain) < 1e-12 * plain)
        #expect(UpdateClipper.l2Norm([]) == 0)
    }

    @Test(arguments: [0.0, -1.0, Double.nan, Double.infinity])
    func invalidClipNormIsNamed(c: Double) {
        #expect {
            try UpdateClipper(clipNorm: c)
        } throws: { error in
            (error as? PrivacyError).map { $0.code == .invalidArgument && $0.source.hasSuffix("clipNorm") } ?? false
        }
    }
}

@Suite struct AdaptiveClipNormTests {
    /// m = 10, γ = ½, η = 0.2, C₀ = 1; 8 of 10 unclipped, no noise: b̄ = (8 − 5)/10 + ½ = 0.8,
    /// C = exp(−0.2·(0.8 − 0.5)) = exp(−0.06) = 0.941764533584…
    @Test func handComputedStep() throws {
        var a = try AdaptiveClipNorm(initialClipNorm: 1, expectedClients: 10)
        #expect(a.countNoiseStddev == 0.5)
        let b = a.unclippedFraction(unclippedCount: 8, reports: 10, countNoise: 0)
        #expect(abs(b - 0.8) < 1e-15)
        a.update(unclippedFraction: b)
        #expect(a.clipNorm == Double(Float(0.9417645335842487)))
        // With count noise +1: b̄ = (3 + 1)/10 + ½ = 0.9; C ← C·exp(−0.2·0.4) = C·0.923116346…
        let b2 = a.unclippedFraction(unclippedCount: 8, reports: 10, countNoise: 1)
        #expect(abs(b2 - 0.9) < 1e-15)
        a.update(unclippedFraction: b2)
        #expect(abs(a.clipNorm - 0.9417645335842487 * 0.9231163463866358) < 3e-7)
    }

    /// The denominator is the expected m, not the number that reported, and b̄ is clamped.
    @Test func fixedDenominatorAndClamp() throws {
        let a = try AdaptiveClipNorm(initialClipNorm: 1, expectedClients: 10)
        #expect(abs(a.unclippedFraction(unclippedCount: 3, reports: 4, countNoise: 0) - 0.6) < 1e-15)
        #expect(a.unclippedFraction(unclippedCount: 10, reports: 10, countNoise: 5) == 1)
        #expect(a.unclippedFraction(unclippedCount: 0, reports: 10, countNoise: -5) == 0)
    }

    @Test func allClippedIncreasesC() throws {
        var a = try AdaptiveClipNorm(initialClipNorm: 1, expectedClients: 10)
        var random = SeededRandom(seed: 1)
        for _ in 0..<5 {
            let before = a.clipNorm
            let b = a.update(unclippedCount: 0, reports: 10, using: &random)
            #expect(b < 0.5)
            #expect(a.clipNorm > before)
        }
    }

    @Test func noneClippedDecreasesC() throws {
        var a = try AdaptiveClipNorm(initialClipNorm: 1, expectedClients: 10)
        var random = SeededRandom(seed: 2)
        for _ in 0..<5 {
            let before = a.clipNorm
            let b = a.update(unclippedCount: 10, reports: 10, using: &random)
            #expect(b > 0.5)
            #expect(a.clipNorm < before)
        }
    }

    /// z_Δ = (z⁻² − (2σ_b)⁻²)^(−½): z = 0.6, σ_b = 0.5 gives (1/0.36 − 1)^(−½) = 0.75;
    /// z = 1, σ_b = 5 gives 1/√0.99.
    @Test func noiseSplit() throws {
        #expect(abs(try AdaptiveClipNorm.updateNoiseMultiplier(totalNoiseMultiplier: 0.6, countNoiseStddev: 0.5) - 0.75) < 1e-12)
        #expect(abs(try AdaptiveClipNorm.updateNoiseMultiplier(totalNoiseMultiplier: 1, countNoiseStddev: 5) - 1 / 0.99.squareRoot()) < 1e-12)
        #expect(try AdaptiveClipNorm.updateNoiseMultiplier(totalNoiseMultiplier: 0, countNoiseStddev: 0) == 0)
    }

    @Test(arguments: [(1.0, 0.5), (2.0, 0.5), (0.5, 0.0)])
    func noiseSplitNeedsZBelowTwiceSigmaB(z: Double, sigmaB: Double) {
        #expect {
            try AdaptiveClipNorm.updateNoiseMultiplier(totalNoiseMultiplier: z, countNoiseStddev: sigmaB)
        } throws: { error in
            guard let e = error as? PrivacyError else { return false }
            return e.code == .invalidArgument && e.source.hasSuffix("totalNoiseMultiplier") && e.message.contains("z < 2σ_b")
        }
    }

    @Test func invalidSettingsAreNamed() {
        #expect(throws: PrivacyError.self) { try AdaptiveClipNorm(initialClipNorm: 0, expectedClients: 10) }
        #expect(throws: PrivacyError.self) { try AdaptiveClipNorm(targetQuantile: 1.5, expectedClients: 10) }
        #expect(throws: PrivacyError.self) { try AdaptiveClipNorm(learningRate: -1, expectedClients: 10) }
        #expect(throws: PrivacyError.self) { try AdaptiveClipNorm(countNoiseStddev: .nan, expectedClients: 10) }
        #expect(throws: PrivacyError.self) { try AdaptiveClipNorm(expectedClients: 0) }
    }
}

@Suite struct GaussianNoiseTests {
    /// 200 000 samples with σ = 2: the sample variance's standard error is σ²·√(2/n) ≈ 0.013,
    /// so ±2 % (0.08) is about six standard errors; the mean's is σ/√n ≈ 0.0045.
    @Test func varianceAndMeanMatchSigma() {
        var v = [Float](repeating: 0, count: 200_000)
        var random = SeededRandom(seed: 42)
        GaussianNoise.add(standardDeviation: 2, to: &v, using: &random)
        let (mean, variance) = meanAndVariance(v)
        #expect(abs(mean) < 0.03)
        #expect(abs(variance - 4) < 0.08)
        // A normal, not just the right variance: about 68.27 % within one σ (s.e. ≈ 0.1 %).
        let within = Double(v.filter { abs($0) < 2 }.count) / Double(v.count)
        #expect(abs(within - 0.6827) < 0.006)
    }

    @Test func sameSeedSameNoiseDifferentSeedDifferentNoise() {
        var a: [Float] = [1, 2, 3], b: [Float] = [1, 2, 3], c: [Float] = [1, 2, 3]
        var r1 = SeededRandom(seed: 9), r2 = SeededRandom(seed: 9), r3 = SeededRandom(seed: 10)
        GaussianNoise.add(standardDeviation: 1, to: &a, using: &r1)
        GaussianNoise.add(standardDeviation: 1, to: &b, using: &r2)
        GaussianNoise.add(standardDeviation: 1, to: &c, using: &r3)
        #expect(a == b)
        #expect(a != c)
        #expect(a != [1, 2, 3])
    }

    @Test func zeroSigmaChangesNothingAndDrawsNothing() {
        var v: [Float] = [1, -2]
        var random = SeededRandom(seed: 3)
        GaussianNoise.add(standardDeviation: 0, to: &v, using: &random)
        #expect(v == [1, -2])
        #expect(random == SeededRandom(seed: 3))
    }

    /// Any RandomNumberGenerator works (here the system one), with the right spread.
    @Test func worksWithAnyGenerator() {
        var v = [Float](repeating: 0, count: 50_001)
        var system = SystemRandomNumberGenerator()
        GaussianNoise.add(standardDeviation: 0.5, to: &v, using: &system)
        #expect(abs(meanAndVariance(v).variance - 0.25) < 0.01)
    }
}

@Suite struct LocalDifferentialPrivacyTests {
    /// σ = C·√(2 ln(1.25/δ))/ε: C = 1, ε = 0.5, δ = 10⁻⁵ gives √(2 ln 125 000)/0.5 = 9.689610525…
    @Test func gaussianMechanismCalibration() throws {
        let ldp = try LocalDifferentialPrivacy(clipNorm: 1, calibration: .gaussianMechanism(epsilon: 0.5, delta: 1e-5))
        #expect(abs(ldp.noiseStandardDeviation - 9.689610525210778) < 1e-9)
        let twice = try LocalDifferentialPrivacy(clipNorm: 2, calibration: .gaussianMechanism(epsilon: 0.5, delta: 1e-5))
        #expect(abs(twice.noiseStandardDeviation - 2 * 9.689610525210778) < 1e-9)
    }

    @Test func noiseMultiplierCalibration() throws {
        let ldp = try LocalDifferentialPrivacy(clipNorm: 2, calibration: .noiseMultiplier(0.5))
        #expect(ldp.noiseStandardDeviation == 1)
    }

    @Test func clipsThenNoises() throws {
        let ldp = try LocalDifferentialPrivacy(clipNorm: 1, calibration: .noiseMultiplier(0.1))
        var update: [Float] = [3, 4]
        var random = SeededRandom(seed: 5)
        let report = ldp.privatize(&update, using: &random)
        #expect(report.clip.wasClipped && report.clip.norm == 5 && report.noiseStandardDeviation == 0.1)
        // The same as clipping, then adding noise from the same generator state.
        var expected: [Float] = [0.6, 0.8]
        var again = SeededRandom(seed: 5)
        GaussianNoise.add(standardDeviation: 0.1, to: &expected, using: &again)
        #expect(update == expected)
        #expect(update != [0.6, 0.8])
    }

    @Test func noiseHasTheCalibratedSpread() throws {
        let ldp = try LocalDifferentialPrivacy(clipNorm: 1, calibration: .noiseMultiplier(3))
        var update = [Float](repeating: 0, count: 100_000)
        var random = SeededRandom(seed: 11)
        ldp.privatize(&update, using: &random)
        #expect(abs(meanAndVariance(update).variance - 9) < 0.25)
    }

    @Test func zeroNoiseMultiplierOnlyClips() throws {
        let ldp = try LocalDifferentialPrivacy(clipNorm: 1, calibration: .noiseMultiplier(0))
        var update: [Float] = [0, 2]
        var random = SeededRandom(seed: 1)
        ldp.privatize(&update, using: &random)
        #expect(update == [0, 1])
    }

    @Test(arguments: [
        (1.0, LocalDifferentialPrivacy.Calibration.gaussianMechanism(epsilon: 1, delta: 1e-5), "epsilon"),
        (1.0, .gaussianMechanism(epsilon: 2, delta: 1e-5), "epsilon"),
        (1.0, .gaussianMechanism(epsilon: 0, delta: 1e-5), "epsilon"),
        (1.0, .gaussianMechanism(epsilon: 0.5, delta: 0), "delta"),
        (1.0, .gaussianMechanism(epsilon: 0.5, delta: 1), "delta"),
        (1.0, .noiseMultiplier(-1), "noiseMultiplier"),
        (1.0, .noiseMultiplier(.nan), "noiseMultiplier"),
        (0.0, .noiseMultiplier(1), "clipNorm"),
    ])
    func invalidSettingsAreNamed(clipNorm: Double, calibration: LocalDifferentialPrivacy.Calibration, argument: String) {
        #expect {
            try LocalDifferentialPrivacy(clipNorm: clipNorm, calibration: calibration)
        } throws: { error in
            (error as? PrivacyError).map { $0.code == .invalidArgument && $0.source.hasSuffix(argument) } ?? false
        }
    }
}

@Suite struct NodeSideClippingTests {
    @Test func clipsAndReportsWhenInstructed() throws {
        var delta: [Float] = [3, 4]
        var metrics: [String: Double] = ["train_loss": 0.5]
        let outcome = try NodeSideClipping.apply(instructions: ["dp_clip_norm": 1, "proximal_mu": 0.1], to: &delta, metrics: &metrics)
        #expect(outcome?.wasClipped == true)
        #expect(metrics == ["train_loss": 0.5, "dp_unclipped": 0])
        #expect(abs(delta[0] - 0.6) < 1e-7)
        var short: [Float] = [0.1]
        try NodeSideClipping.apply(instructions: ["dp_clip_norm": 1], to: &short, metrics: &metrics)
        #expect(metrics["dp_unclipped"] == 1 && short == [0.1])
    }

    @Test func doesNothingWithoutTheInstruction() throws {
        var delta: [Float] = [3, 4]
        var metrics: [String: Double] = [:]
        #expect(try NodeSideClipping.apply(instructions: [:], to: &delta, metrics: &metrics) == nil)
        #expect(delta == [3, 4] && metrics.isEmpty)
    }

    @Test(arguments: [0.0, -1.0, Double.nan, Double.infinity])
    func badInstructionIsNamed(c: Double) {
        var delta: [Float] = [3, 4]
        var metrics: [String: Double] = [:]
        #expect {
            try NodeSideClipping.apply(instructions: ["dp_clip_norm": c], to: &delta, metrics: &metrics)
        } throws: { error in
            (error as? PrivacyError)?.source == "round instruction dp_clip_norm"
        }
        #expect(delta == [3, 4])
    }
}
