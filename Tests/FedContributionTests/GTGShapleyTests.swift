import FedContribution
import Testing

@Suite struct GTGShapleyTests {
    /// No truncation, tight convergence: plain guided Monte Carlo.
    static let untruncated = GTGShapley.Configuration(
        betweenRoundTruncation: 0, withinRoundTruncation: 0, convergenceTolerance: 0.002,
        minimumCycles: 10, maximumCycles: 400, seed: 7)

    @Test(arguments: [2, 3, 4, 5, 6]) func closeToExactOnRandomGames(n: Int) throws {
        var exactGame = try GameFixtures.random(n, seed: 500 + UInt64(n))
        let exact = try ExactShapley().values(of: &exactGame)
        var game = try GameFixtures.random(n, seed: 500 + UInt64(n))
        let estimate = try GTGShapley(Self.untruncated).estimate(&game, stream: 0)
        let scale = exact.map(abs).max() ?? 1
        #expect(zip(estimate.values, exact).allSatisfy { abs($0 - $1) <= 0.05 * scale })
        #expect(estimate.permutations % n == 0)
        #expect(game.evaluations <= 1 << n)
    }

    @Test func closeToExactOnTheGloveGame() throws {
        var game = try GameFixtures.gloves()
        let phi = try GTGShapley(Self.untruncated).values(of: &game)
        #expect(zip(phi, [2.0 / 3, 1.0 / 6, 1.0 / 6]).allSatisfy { abs($0 - $1) < 0.03 })
    }

    @Test func efficientOnEveryPermutationWithoutTruncation() throws {
        // Each walked permutation's marginals sum to v(N) − v(∅), so the estimate does too.
        var game = try GameFixtures.random(5, seed: 3)
        let phi = try GTGShapley(Self.untruncated).values(of: &game)
        let gain = try game.value(of: Coalition.all(5)) - game.value(of: .empty)
        #expect(abs(phi.reduce(0, +) - gain) < 1e-9)
    }

    @Test func sameSeedSameValuesOtherStreamOtherSamples() throws {
        let method = try GTGShapley(.init(betweenRoundTruncation: 0, withinRoundTruncation: 0, maximumCycles: 5, seed: 42))
        var a = try GameFixtures.random(6, seed: 9), b = try GameFixtures.random(6, seed: 9), c = try GameFixtures.random(6, seed: 9)
        let x = try method.estimate(&a, stream: 1), y = try method.estimate(&b, stream: 1), z = try method.estimate(&c, stream: 2)
        #expect(x == y)
        #expect(x.values != z.values)
    }

    @Test func betweenRoundTruncationSkipsAFlatRound() throws {
        // v(N) = v(∅) = 0.5; the inner coalitions differ but the round gained nothing.
        var game = try GameFixtures.game(4) { s in s.isEmpty || s.count == 4 ? 0.5 : Double(s.count) }
        let estimate = try GTGShapley(.init(betweenRoundTruncation: 0.01)).estimate(&game, stream: 0)
        #expect(estimate.skipped)
        #expect(estimate.values == [0, 0, 0, 0])
        #expect(game.evaluations == 2)
    }

    @Test func withinRoundTruncationStopsAfterSaturation() throws {
        // Any single node already reaches v(N) = 1: after the first position every marginal
        // is truncated. Guided sampling puts each node first once a cycle, so φ = 1/4 each,
        // exactly, with only ∅, N and the four singletons evaluated.
        var game = try GameFixtures.game(4) { s in s.isEmpty ? 0 : 1 }
        let estimate = try GTGShapley(.init(withinRoundTruncation: 1e-6, minimumCycles: 2)).estimate(&game, stream: 0)
        #expect(estimate.values == [0.25, 0.25, 0.25, 0.25])
        #expect(estimate.converged)
        #expect(estimate.permutations == 8)
        #expect(game.evaluations == 6)
    }

    @Test func stopsAtTheCycleLimit() throws {
        var game = try GameFixtures.random(4, seed: 11)
        let method = try GTGShapley(.init(withinRoundTruncation: 0, convergenceTolerance: 1e-12, minimumCycles: 2, maximumCycles: 3))
        let estimate = try method.estimate(&game, stream: 0)
        #expect(!estimate.converged)
        #expect(estimate.permutations == 12)
    }

    @Test func invalidConfigurations() {
        let bad: [GTGShapley.Configuration] = [
            .init(betweenRoundTruncation: -1), .init(withinRoundTruncation: .nan), .init(convergenceTolerance: 0),
            .init(minimumCycles: 1), .init(minimumCycles: 5, maximumCycles: 4),
        ]
        for c in bad {
            let error = #expect(throws: ContributionError.self) { try GTGShapley(c) }
            #expect(error?.code == .invalidConfiguration)
        }
    }
}
