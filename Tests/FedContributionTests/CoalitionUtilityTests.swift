import FedContribution
import Testing

@Suite struct CoalitionUtilityTests {
    @Test func coalitionMembersAndBits() throws {
        let c = try Coalition([3, 0, 5])
        #expect(c.bits == 0b101001)
        #expect(c.members == [0, 3, 5])
        #expect(c.count == 3)
        #expect(c.contains(3) && !c.contains(1))
        #expect(c.adding(1).members == [0, 1, 3, 5])
        #expect(c.removing(0).members == [3, 5])
        #expect(Coalition.all(3).bits == 0b111)
        #expect(Coalition.all(64).count == 64)
        #expect(c.description == "{0, 3, 5}")
    }

    @Test func badCoalitionsAreErrors() {
        #expect(throws: ContributionError.self) { try Coalition([1, 1]) }
        #expect(throws: ContributionError.self) { try Coalition([64]) }
        #expect(throws: ContributionError.self) { try Coalition([-1]) }
    }

    @Test func memoisesAndCountsEvaluations() throws {
        var u = try GameFixtures.threePlayer()
        #expect(try u.value(of: [1, 0]) == 4)
        #expect(try u.value(of: [0, 1]) == 4)
        #expect(try u.value(of: Coalition(bits: 0b011)) == 4)
        #expect(u.evaluations == 1)
        #expect(u.requests == 3)
        #expect(try u.value(of: .empty) == 0)
        #expect(u.evaluations == 2)
    }

    @Test func evaluatorSeesSortedMembers() throws {
        var u = try CoalitionUtility(playerCount: 4) { members in
            members == members.sorted() ? Double(members.count) : -1
        }
        #expect(try u.value(of: [3, 1, 2]) == 3)
    }

    @Test func playerOutsideTheGameIsAnError() throws {
        var u = try GameFixtures.threePlayer()
        let error = #expect(throws: ContributionError.self) { try u.value(of: [0, 3]) }
        #expect(error?.code == .invalidCoalition)
        #expect(error?.description.contains("outside 0..<3") == true)
        #expect(u.evaluations == 0)
    }

    @Test func nonFiniteUtilityIsAnError() throws {
        var u = try CoalitionUtility(playerCount: 2) { s in s.count == 2 ? .nan : 1 }
        let error = #expect(throws: ContributionError.self) { try u.value(of: [0, 1]) }
        #expect(error?.code == .nonFiniteUtility)
        #expect(error?.description.contains("{0, 1}") == true)
    }

    @Test(arguments: [0, 65]) func unsupportedPlayerCounts(n: Int) {
        let error = #expect(throws: ContributionError.self) { try CoalitionUtility(playerCount: n) { _ in 0 } }
        #expect(error?.code == .unsupportedSize)
    }
}
