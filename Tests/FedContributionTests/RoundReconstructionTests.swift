import FedContribution
import Testing

@Suite struct RoundReconstructionTests {
    // θ = [1, 1]; Δ0 = [2, 0] (w 1), Δ1 = [0, 4] (w 3).
    static func round() throws -> RoundReconstruction {
        try RoundReconstruction(round: 2, globalModel: [1, 1], updates: [[2, 0], [0, 4]], weights: [1, 3])
    }

    @Test func coalitionModelsByHand() throws {
        let r = try Self.round()
        #expect(r.model(for: .empty) == [1, 1])
        #expect(r.model(for: try Coalition([0])) == [3, 1])
        #expect(r.model(for: try Coalition([1])) == [1, 5])
        // θ + (1·[2,0] + 3·[0,4]) / 4 = [1.5, 4]
        #expect(r.model(for: try Coalition([0, 1])) == [1.5, 4])
    }

    @Test func serverLearningRateScalesTheFusedUpdate() throws {
        let r = try RoundReconstruction(globalModel: [1, 1], updates: [[2, 0], [0, 4]], weights: [1, 3], serverLearningRate: 0.5)
        #expect(r.model(for: .all(2)) == [1.25, 2.5])
    }

    @Test func utilityEvaluatesTheCoalitionModel() throws {
        var u = try Self.round().utility { theta in Double(theta[0] + theta[1]) }
        #expect(try u.value(of: .empty) == 2)
        #expect(try u.value(of: [0, 1]) == 5.5)
        #expect(u.playerCount == 2)
    }

    @Test func badRoundsAreErrors() {
        let cases: [(String, () throws -> RoundReconstruction)] = [
            ("node 1", { try RoundReconstruction(globalModel: [0, 0], updates: [[1, 1], [1]]) }),
            ("node 0", { try RoundReconstruction(globalModel: [0], updates: [[.nan]]) }),
            ("global model", { try RoundReconstruction(globalModel: [.infinity], updates: [[1]]) }),
            ("node 1", { try RoundReconstruction(globalModel: [0], updates: [[1], [1]], weights: [1, 0]) }),
            ("weights", { try RoundReconstruction(globalModel: [0], updates: [[1], [1]], weights: [1]) }),
            ("round 0", { try RoundReconstruction(globalModel: [0], updates: []) }),
            ("server learning rate", { try RoundReconstruction(globalModel: [0], updates: [[1]], serverLearningRate: .nan) }),
        ]
        for (source, make) in cases {
            let error = #expect(throws: ContributionError.self) { try make() }
            #expect(error?.code == .invalidRound)
            #expect(error?.source.contains(source) == true, "\(error?.source ?? "none") should name \(source)")
        }
    }
}
