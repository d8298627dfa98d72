import FedContribution
import Testing

@Suite struct LeaveOneOutTests {
    @Test func threePlayerGameByHand() throws {
        var u = try GameFixtures.threePlayer()
        #expect(try LeaveOneOut().values(of: &u) == [3, 4, 5])
        #expect(u.evaluations == 4)  // n + 1
    }

    @Test func redundantPlayersGetZero() throws {
        // Gloves: without player 0 no pair (loses 1); without 1 or 2 the other still pairs.
        var u = try GameFixtures.gloves()
        #expect(try LeaveOneOut().values(of: &u) == [1, 0, 0])
    }

    @Test func additiveGameGivesEachPlayerItsOwnValue() throws {
        let a = [3.0, -1.5, 0.25]
        var u = try GameFixtures.game(3) { s in s.reduce(0) { $0 + a[$1] } }
        #expect(try LeaveOneOut().values(of: &u) == a)
    }

    @Test func summedOverWeightedRounds() throws {
        let rounds = [try GameFixtures.threePlayer(), try GameFixtures.gloves()]
        let result = try LeaveOneOut().values(overRounds: rounds, roundWeights: [1, 10])
        #expect(result.method == "leave-one-out")
        #expect(result.perRound == [[3, 4, 5], [1, 0, 0]])
        #expect(result.values == [13, 4, 5])
        #expect(result.utilityEvaluations == 8)
    }

    @Test func roundErrors() throws {
        let r = [try GameFixtures.threePlayer()]
        #expect(throws: ContributionError.self) { try LeaveOneOut().values(overRounds: []) }
        #expect(throws: ContributionError.self) { try LeaveOneOut().values(overRounds: r, roundWeights: [1, 2]) }
        #expect(throws: ContributionError.self) { try LeaveOneOut().values(overRounds: r, roundWeights: [.infinity]) }
        let mixed = [try GameFixtures.threePlayer(), try GameFixtures.game(4) { _ in 0 }]
        let error = #expect(throws: ContributionError.self) { try LeaveOneOut().values(overRounds: mixed) }
        #expect(error?.source == "leave-one-out, round 1")
    }
}
