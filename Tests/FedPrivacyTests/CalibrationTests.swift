@testable import FedPrivacy
import Testing

@Suite struct CalibrationTests {
    /// The inverse of the canonical case: ε = 5.63 needs z a little above 1.1 (z = 1.1 gives 5.632).
    @Test func noiseMultiplierRoundTrip() throws {
        let tolerance = 1e-4
        let found = try RDPAccountant.noiseMultiplier(targetEpsilon: 5.63, samplingRate: 0.01, steps: 10_000, delta: 1e-5, tolerance: tolerance)
        #expect(found.noiseMultiplier > 1.1 && found.noiseMultiplier < 1.101)
        let at = try RDPAccountant.epsilon(samplingRate: 0.01, noiseMultiplier: found.noiseMultiplier, steps: 10_000, delta: 1e-5)
        #expect(at.epsilon <= 5.63)
        #expect(at == found.guarantee)
        let below = try RDPAccountant.epsilon(samplingRate: 0.01, noiseMultiplier: found.noiseMultiplier - tolerance, steps: 10_000, delta: 1e-5)
        #expect(below.epsilon > 5.63)
    }

    @Test(arguments: [(1.0, 0.004, 5000), (8.0, 0.1, 100), (0.5, 1.0, 1)])
    func noiseMultiplierRoundTripElsewhere(target: Double, q: Double, steps: Int) throws {
        let found = try RDPAccountant.noiseMultiplier(targetEpsilon: target, samplingRate: q, steps: steps, delta: 1e-5, tolerance: 1e-3)
        #expect(found.guarantee.epsilon <= target)
        let below = try RDPAccountant.epsilon(samplingRate: q, noiseMultiplier: found.noiseMultiplier - 1e-3, steps: steps, delta: 1e-5)
        #expect(below.epsilon > target)
    }

    @Test func noNoiseNeededWithoutSamplingOrSteps() throws {
        #expect(try RDPAccountant.noiseMultiplier(targetEpsilon: 1, samplingRate: 0, steps: 100, delta: 1e-5).noiseMultiplier == 0)
        #expect(try RDPAccountant.noiseMultiplier(targetEpsilon: 1, samplingRate: 0.5, steps: 0, delta: 1e-5).noiseMultiplier == 0)
    }

    /// A million unsampled Gaussian releases cannot reach ε = 10⁻⁹ with z ≤ 10⁶.
    @Test func unreachableTargetIsAnError() {
        #expect {
            try RDPAccountant.noiseMultiplier(targetEpsilon: 1e-9, samplingRate: 1, steps: 1_000_000, delta: 1e-5)
        } throws: { error in
            (error as? PrivacyError)?.code == .unreachable
        }
    }

    @Test func invalidCalibrationArgumentsAreNamed() {
        #expect(throws: PrivacyError.self) { try RDPAccountant.noiseMultiplier(targetEpsilon: 0, samplingRate: 0.1, steps: 1, delta: 1e-5) }
        #expect(throws: PrivacyError.self) { try RDPAccountant.noiseMultiplier(targetEpsilon: .nan, samplingRate: 0.1, steps: 1, delta: 1e-5) }
        #expect(throws: PrivacyError.self) { try RDPAccountant.noiseMultiplier(targetEpsilon: 1, samplingRate: 1.1, steps: 1, delta: 1e-5) }
        #expect(throws: PrivacyError.self) { try RDPAccountant.noiseMultiplier(targetEpsilon: 1, samplingRate: 0.1, steps: -1, delta: 1e-5) }
        #expect(throws: PrivacyError.self) { try RDPAccountant.noiseMultiplier(targetEpsilon: 1, samplingRate: 0.1, steps: 1, delta: 2) }
        #expect(throws: PrivacyError.self) { try RDPAccountant.noiseMultiplier(targetEpsilon: 1, samplingRate: 0.1, steps: 1, delta: 1e-5, tolerance: 0) }
        #expect(throws: PrivacyError.self) { try RDPAccountant.maximumSteps(epsilon: -1, samplingRate: 0.1, noiseMultiplier: 1, delta: 1e-5) }
    }

    /// The canonical case spends 5.632 in 10 000 steps: a budget just above allows ≥ 10 000 steps,
    /// and the answer is exactly the last that fits.
    @Test func maximumStepsForABudget() throws {
        let budget = try RDPAccountant.epsilon(samplingRate: 0.01, noiseMultiplier: 1.1, steps: 10_000, delta: 1e-5).epsilon
        #expect(abs(budget - 5.632) < 0.001)
        let steps = try RDPAccountant.maximumSteps(epsilon: budget, samplingRate: 0.01, noiseMultiplier: 1.1, delta: 1e-5)
        #expect(steps >= 10_000 && steps < 10_100)
        #expect(try RDPAccountant.epsilon(samplingRate: 0.01, noiseMultiplier: 1.1, steps: steps, delta: 1e-5).epsilon <= budget)
        #expect(try RDPAccountant.epsilon(samplingRate: 0.01, noiseMultiplier: 1.1, steps: steps + 1, delta: 1e-5).epsilon > budget)
    }

    @Test func maximumStepsEdges() throws {
        // Nothing fits when one step already exceeds the budget; anything fits without sampling.
        #expect(try RDPAccountant.maximumSteps(epsilon: 0.01, samplingRate: 1, noiseMultiplier: 0.5, delta: 1e-5) == 0)
        #expect(try RDPAccountant.maximumSteps(epsilon: 1, samplingRate: 0, noiseMultiplier: 1, delta: 1e-5, limit: 1000) == 1000)
    }
}
