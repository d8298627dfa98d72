@testable import FedPrivacy
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// |a − b| ≤ tolerance·|b| (both +∞ also agree).
func relativelyClose(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
    if a == b { return true }
    return abs(a - b) <= tolerance * abs(b)
}

@Suite struct RDPAccountantTests {
    // MARK: the reference values named in SECURITY-NOTES (ii)

    @Test func canonicalCaseMatchesDPAccounting() throws {
        let g = try RDPAccountant.epsilon(samplingRate: 0.01, noiseMultiplier: 1.1, steps: 10_000, delta: 1e-5)
        #expect(relativelyClose(g.epsilon, 5.632, 0.01))
        #expect(abs(g.epsilon - 5.632010670081592) < 1e-6)
        #expect(g.bestOrder == 4.7)
        #expect(!g.bestOrderAtGridEdge)
        #expect(g.delta == 1e-5)
    }

    @Test func integerGridAndClassicConversion() throws {
        let integer = try RDPAccountant.epsilon(samplingRate: 0.01, noiseMultiplier: 1.1, steps: 10_000, delta: 1e-5,
                                                orders: RDPAccountant.integerOrders)
        #expect(abs(integer.epsilon - 5.654) < 0.001)
        #expect(integer.bestOrder == 5)
        let classic = try RDPAccountant.epsilon(samplingRate: 0.01, noiseMultiplier: 1.1, steps: 10_000, delta: 1e-5,
                                                conversion: .classic)
        #expect(abs(classic.epsilon - 6.279) < 0.001)
    }

    /// TF-Privacy's MNIST tutorial (N = 60 000, batch 256, δ = 10⁻⁵, its order grid): classic
    /// conversion reproduces the published ε; the improved one is smaller.
    @Test(arguments: [
        (1.12, 14_062, 2.922, 2.519),
        (0.6, 7_031, 9.760, 8.777),
        (1.2, 2_343, 1.198, 0.932),
    ])
    func tfPrivacyTutorialRows(z: Double, steps: Int, classic: Double, improved: Double) throws {
        let q = 256.0 / 60_000
        let c = try RDPAccountant.epsilon(samplingRate: q, noiseMultiplier: z, steps: steps, delta: 1e-5,
                                          orders: RDPAccountant.tfPrivacyOrders, conversion: .classic)
        let i = try RDPAccountant.epsilon(samplingRate: q, noiseMultiplier: z, steps: steps, delta: 1e-5,
                                          orders: RDPAccountant.tfPrivacyOrders, conversion: .improved)
        #expect(abs(c.epsilon - classic) < 0.001)
        #expect(abs(i.epsilon - improved) < 0.001)
    }

    // MARK: golden values (dp_accounting_reference.py)

    @Test func perStepRDPMatchesGoldenValues() throws {
        for r in DPAccountingReference.stepRDP {
            let mine = try SubsampledGaussianRDP.rdp(samplingRate: r.q, noiseMultiplier: r.z, order: r.order)
            #expect(relativelyClose(mine, r.rdp, 1e-8), "q \(r.q) z \(r.z) α \(r.order): \(mine) vs dp-accounting \(r.rdp)")
        }
    }

    @Test func epsilonsMatchGoldenValues() throws {
        let grids = ["default": RDPAccountant.defaultOrders, "tf": RDPAccountant.tfPrivacyOrders, "integer": RDPAccountant.integerOrders]
        for r in DPAccountingReference.epsilons {
            let g = try RDPAccountant.epsilon(samplingRate: r.q, noiseMultiplier: r.z, steps: r.steps, delta: r.delta,
                                              orders: grids[r.grid]!, conversion: r.classic ? .classic : .improved)
            #expect(relativelyClose(g.epsilon, r.epsilon, 1e-9), "\(r): ε \(g.epsilon)")
            #expect(g.bestOrder == r.order, "\(r): order \(g.bestOrder)")
        }
    }

    @Test func heterogeneousCompositionMatchesGoldenValue() throws {
        let events = try [
            SubsampledGaussianEvent(samplingRate: 0.01, noiseMultiplier: 1.1, steps: 5000),
            SubsampledGaussianEvent(samplingRate: 0.02, noiseMultiplier: 1.5, steps: 3000),
            SubsampledGaussianEvent(samplingRate: 0.005, noiseMultiplier: 0.9, steps: 2000),
        ]
        let g = try RDPAccountant.epsilon(events: events, delta: 1e-5)
        #expect(relativelyClose(g.epsilon, DPAccountingReference.heterogeneous.epsilon, 1e-9))
        #expect(g.bestOrder == DPAccountingReference.heterogeneous.order)
        // Composition is additive and order-free: the events in reverse, one at a time.
        var accountant = try RDPAccountant()
        for e in events.reversed() { accountant.compose(e) }
        #expect(relativelyClose(try accountant.privacySpent(delta: 1e-5).epsilon, g.epsilon, 1e-12))
    }

    @Test func composingStepsIsMultiplyingRDP() throws {
        var a = try RDPAccountant()
        for _ in 0..<10 { try a.compose(samplingRate: 0.01, noiseMultiplier: 1.1, steps: 1000) }
        let b = try RDPAccountant.epsilon(samplingRate: 0.01, noiseMultiplier: 1.1, steps: 10_000, delta: 1e-5)
        #expect(relativelyClose(try a.privacySpent(delta: 1e-5).epsilon, b.epsilon, 1e-12))
    }

    // MARK: slow twins

    /// The log-space binomial sum against the same sum in plain Double (small α, where nothing
    /// overflows).
    @Test(arguments: [(0.01, 1.1), (0.3, 2.0), (0.5, 0.9), (0.9, 3.0)])
    func integerOrderAgreesWithPlainSum(q: Double, z: Double) {
        for alpha in 2...12 {
            let logSpace = SubsampledGaussianRDP.logAInteger(q: q, z: z, alpha: alpha)
            let plain = log(SubsampledGaussianRDP.naiveAInteger(q: q, z: z, alpha: alpha))
            #expect(relativelyClose(logSpace, plain, 1e-10), "α \(alpha): \(logSpace) vs \(plain)")
        }
    }

    /// The two-series method at whole orders equals the binomial expansion.
    @Test func fractionalMethodAtWholeOrdersEqualsIntegerMethod() {
        for (q, z) in [(0.01, 1.1), (0.2, 1.5), (0.001, 0.7)] {
            for alpha in [2, 3, 5, 8, 20] {
                let frac = SubsampledGaussianRDP.logAFractional(q: q, z: z, alpha: Double(alpha))
                let int = SubsampledGaussianRDP.logAInteger(q: q, z: z, alpha: alpha)
                #expect(relativelyClose(frac, int, 1e-9), "q \(q) z \(z) α \(alpha): \(frac) vs \(int)")
            }
        }
    }

    /// Both methods against numerical integration of A_α = E[(1 − q + q·e^{(2x−1)/(2z²)})^α].
    /// Whole orders agree to 10⁻⁹. Fractional orders add the series' terms in absolute value
    /// (as dp-accounting does), an upper bound: never below the integral, and above it by at
    /// most 0.05 % of log A here (measured: 4.6·10⁻⁴ at α = 2.5 and 3.3, 6·10⁻⁶ at α = 4.7).
    @Test(arguments: [(0.01, 1.1, 4.7), (0.01, 1.1, 2.5), (0.1, 2.0, 3.3), (0.05, 1.5, 6.0), (0.2, 1.0, 2.0), (0.01, 1.1, 3.0)])
    func seriesAgreeWithNumericalIntegration(q: Double, z: Double, alpha: Double) {
        let logIntegral = log(SubsampledGaussianRDP.numericalA(q: q, z: z, alpha: alpha))
        if alpha == alpha.rounded() {
            let series = SubsampledGaussianRDP.logAInteger(q: q, z: z, alpha: Int(alpha))
            #expect(relativelyClose(series, logIntegral, 1e-9), "log A_α: series \(series) vs integral \(logIntegral)")
        } else {
            let series = SubsampledGaussianRDP.logAFractional(q: q, z: z, alpha: alpha)
            #expect(series >= logIntegral * (1 - 1e-12), "log A_α: series \(series) below integral \(logIntegral)")
            #expect(relativelyClose(series, logIntegral, 1e-3), "log A_α: series \(series) vs integral \(logIntegral)")
        }
    }

    /// The asymptotic log erfc against log(erfc(x)) where erfc is still a normal number.
    @Test func logErfcAsymptoticAgreesWithErfc() {
        for x in stride(from: 10.0, through: 25.0, by: 0.5) {
            let direct = log(erfc(x))
            #expect(relativelyClose(LogSpace.logErfcAsymptotic(x), direct, 1e-13), "x \(x)")
        }
        // Beyond the underflow of erfc: finite and decreasing like −x².
        let far = LogSpace.logErfc(40)
        #expect(far.isFinite && abs(far - (-1600 - log(40) - 0.5 * log(Double.pi))) < 1e-3)
    }

    // MARK: special cases and bad input

    @Test func specialCases() throws {
        // q = 0: nothing is ever released about anyone.
        #expect(try RDPAccountant.epsilon(samplingRate: 0, noiseMultiplier: 1, steps: 1000, delta: 1e-5).epsilon == 0)
        #expect(try SubsampledGaussianRDP.rdp(samplingRate: 0, noiseMultiplier: 0, order: 3) == 0)
        // z = 0: no privacy.
        #expect(try RDPAccountant.epsilon(samplingRate: 0.01, noiseMultiplier: 0, steps: 1, delta: 1e-5).epsilon == .infinity)
        // q = 1: the plain Gaussian mechanism, RDP(α) = α/(2z²).
        #expect(try SubsampledGaussianRDP.rdp(samplingRate: 1, noiseMultiplier: 2, order: 3) == 3.0 / 8)
        #expect(try SubsampledGaussianRDP.rdp(samplingRate: 1, noiseMultiplier: 2, order: 4.5) == 4.5 / 8)
        // No steps: ε = 0.
        #expect(try RDPAccountant.epsilon(samplingRate: 0.5, noiseMultiplier: 0, steps: 0, delta: 1e-5).epsilon == 0)
    }

    @Test func bestOrderAtGridEdgeIsFlagged() throws {
        // Very little noise: the best order is the smallest one.
        let low = try RDPAccountant.epsilon(samplingRate: 1, noiseMultiplier: 0.3, steps: 1000, delta: 1e-5)
        #expect(low.bestOrder == 1.1 && low.bestOrderAtGridEdge)
        // Lots of noise, one step: the largest.
        let high = try RDPAccountant.epsilon(samplingRate: 1, noiseMultiplier: 200, steps: 1, delta: 1e-5, orders: [2, 3, 4])
        #expect(high.bestOrder == 4 && high.bestOrderAtGridEdge)
    }

    @Test(arguments: [
        (-0.1, 1.0, 10, 1e-5, "samplingRate"), (1.5, 1.0, 10, 1e-5, "samplingRate"), (.nan, 1.0, 10, 1e-5, "samplingRate"),
        (0.1, -1.0, 10, 1e-5, "noiseMultiplier"), (0.1, .nan, 10, 1e-5, "noiseMultiplier"), (0.1, .infinity, 10, 1e-5, "noiseMultiplier"),
        (0.1, 1.0, -1, 1e-5, "steps"),
        (0.1, 1.0, 10, 0, "delta"), (0.1, 1.0, 10, 1, "delta"), (0.1, 1.0, 10, .nan, "delta"),
    ])
    func invalidArgumentsAreNamed(q: Double, z: Double, steps: Int, delta: Double, argument: String) {
        #expect {
            try RDPAccountant.epsilon(samplingRate: q, noiseMultiplier: z, steps: steps, delta: delta)
        } throws: { error in
            guard let e = error as? PrivacyError else { return false }
            return e.code == .invalidArgument && e.source.hasSuffix(argument) && e.message.contains("expected")
        }
    }

    @Test func invalidOrdersAreNamed() {
        #expect(throws: PrivacyError.self) { try RDPAccountant(orders: []) }
        #expect(throws: PrivacyError.self) { try RDPAccountant(orders: [2, 1]) }
        #expect(throws: PrivacyError.self) { try RDPAccountant(orders: [2, .nan]) }
        #expect(throws: PrivacyError.self) { try SubsampledGaussianRDP.rdp(samplingRate: 0.1, noiseMultiplier: 1, order: 0.5) }
    }

    @Test func defaultGridIsDPAccountings() {
        let g = RDPAccountant.defaultOrders
        #expect(g.count == 99 + 53 + 4)
        #expect(g.first == 1.1 && g[98] == 10.9 && g[99] == 11 && g[151] == 63 && g.suffix(4) == [128, 256, 512, 1024])
    }
}
