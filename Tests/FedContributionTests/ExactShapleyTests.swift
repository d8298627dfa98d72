import FedContribution
import Testing

@Suite struct ExactShapleyTests {
    @Test func threePlayerGameByHand() throws {
        var u = try GameFixtures.threePlayer()
        let phi = try ExactShapley().values(of: &u)
        #expect(zip(phi, [2.0, 3, 4]).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(u.evaluations == 8)  // 2^3
    }

    @Test func gloveGameByHand() throws {
        var u = try GameFixtures.gloves()
        let phi = try ExactShapley().values(of: &u)
        #expect(zip(phi, [2.0 / 3, 1.0 / 6, 1.0 / 6]).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test func additiveGameGivesEachPlayerItsOwnValue() throws {
        let a = [3.0, -1.5, 0.25, 7, 0]
        var u = try GameFixtures.game(5) { s in s.reduce(0) { $0 + a[$1] } + 10 }  // v(∅) = 10
        let phi = try ExactShapley().values(of: &u)
        #expect(zip(phi, a).allSatisfy { abs($0 - $1) < 1e-12 })
    }

    @Test func symmetricPlayersAreEqual() throws {
        // v(S) = |S|²: all four players symmetric, each gets 16/4 = 4.
        var u = try GameFixtures.game(4) { s in Double(s.count * s.count) }
        let phi = try ExactShapley().values(of: &u)
        #expect(phi.allSatisfy { abs($0 - 4) < 1e-12 })
        // Players 1 and 2 symmetric (same weight) in a weighted game; 0 and 3 differ.
        let w = [1.0, 2, 2, 5]
        var g = try GameFixtures.game(4) { s in s.reduce(0) { $0 + w[$1] }.squareRoot() }
        let psi = try ExactShapley().values(of: &g)
        #expect(abs(psi[1] - psi[2]) < 1e-12)
        #expect(psi[0] < psi[1] && psi[2] < psi[3])
    }

    @Test func nullPlayerGetsZero() throws {
        // Player 2 never changes the utility.
        var u = try GameFixtures.game(4) { s in
            let t = s.filter { $0 != 2 }
            return Double(t.count * t.count) + (t.contains(0) ? 1 : 0)
        }
        let phi = try ExactShapley().values(of: &u)
        #expect(abs(phi[2]) < 1e-12)
        #expect(phi[0] > 0 && phi[1] > 0 && phi[3] > 0)
    }

    @Test(arguments: [1, 2, 5, 6]) func efficiency(n: Int) throws {
        var u = try GameFixtures.random(n, seed: UInt64(n))
        let phi = try ExactShapley().values(of: &u)
        let gain = try u.value(of: Coalition.all(n)) - u.value(of: .empty)
        #expect(abs(phi.reduce(0, +) - gain) < 1e-12)
    }

    /// The subset formula against its slow twin, the average over all n! orderings.
    @Test(arguments: [1, 3, 5, 6]) func subsetFormulaMatchesAllOrderings(n: Int) throws {
        var u = try GameFixtures.random(n, seed: 100 + UInt64(n))
        let fast = try ExactShapley().values(of: &u)
        var v = try GameFixtures.random(n, seed: 100 + UInt64(n))
        let slow = try ExactShapley().valuesByPermutations(of: &v)
        #expect(zip(fast, slow).allSatisfy { abs($0 - $1) < 1e-12 })
        #expect(v.evaluations == 1 << n)  // memoised: each coalition once
    }

    @Test func tooManyPlayersIsAnErrorBeforeAnyEvaluation() throws {
        var u = try GameFixtures.game(ExactShapley.maximumPlayers + 1) { _ in 0 }
        let error = #expect(throws: ContributionError.self) { try ExactShapley().values(of: &u) }
        #expect(error?.code == .unsupportedSize)
        #expect(error?.description.contains("at most 16 players") == true)
        #expect(u.evaluations == 0)
        var v = try GameFixtures.game(ExactShapley.maximumPlayersByPermutation + 1) { _ in 0 }
        #expect(throws: ContributionError.self) { try ExactShapley().valuesByPermutations(of: &v) }
    }
}
