import FedFusion
import Testing

@Suite struct RobustStrategyTests {
    @Test func medianOfThreeNodes() throws {
        // coordinate 0: {1, 3, 5} → 3; coordinate 1: {2, −2, 0} → 0 (sample counts ignored)
        #expect(fuse(CoordinateWiseMedian(), threeNodes) == [3, 0])
        var strategy = CoordinateWiseMedian()
        var global: [Float] = [1, 1]
        runRound(&strategy, threeNodes, global: &global)
        #expect(global == [4, 1])
    }

    @Test func medianOfAnEvenCountAveragesTheMiddleTwo() {
        // with [−7, 8] added: {−7, 1, 3, 5} → (1 + 3)/2 = 2; {−2, 0, 2, 8} → (0 + 2)/2 = 1
        #expect(fuse(CoordinateWiseMedian(), threeNodes + [update("d", [-7, 8])]) == [2, 1])
    }

    @Test func medianOverManyCoordinatesCrossesBlocks() {
        // 1,300 coordinates (three blocks of 512); node i has value i·(j + 1) at j: median is 1·(j + 1).
        let d = 1300
        let updates = (0..<3).map { i in update("n\(i)", (0..<d).map { Float(i * ($0 + 1)) }) }
        #expect(fuse(CoordinateWiseMedian(), updates) == (0..<d).map { Float($0 + 1) })
    }

    @Test func trimmedMeanOfThreeNodes() throws {
        // β = 0.34: t = ⌊0.34·3⌋ = 1 dropped at each end, leaving the median: (3, 0)
        #expect(fuse(try TrimmedMean(beta: 0.34), threeNodes) == [3, 0])
        // β = 0.1: t = ⌊0.3⌋ = 0, the plain mean: ((1 + 3 + 5)/3, (2 − 2 + 0)/3) = (3, 0)
        #expect(fuse(try TrimmedMean(), threeNodes) == [3, 0])
        // four nodes with [−7, 8]; β = 0.1: t = 0: ((1 + 3 + 5 − 7)/4, (2 − 2 + 0 + 8)/4) = (0.5, 2)
        #expect(fuse(try TrimmedMean(), threeNodes + [update("d", [-7, 8])]) == [0.5, 2])
        // β = 0.25: t = 1: ((1 + 3)/2, (0 + 2)/2) = (2, 1)
        #expect(fuse(try TrimmedMean(beta: 0.25), threeNodes + [update("d", [-7, 8])]) == [2, 1])
    }

    @Test(arguments: [(0.1, 10, 1), (0.3, 10, 3), (0.2, 5, 1), (0.49, 3, 1), (0.0, 7, 0), (0.1, 9, 0)])
    func trimCountIsTheFloorOfBetaK(beta: Double, k: Int, t: Int) {
        #expect(TrimmedMean.trimCount(beta: beta, updateCount: k) == t)
    }

    /// Five nodes: four honest around (1, 1), one far outlier.
    /// Squared distances: n0–n1 4, n0–n2 4, n0–n3 2, n1–n2 8, n1–n3 2, n2–n3 2,
    /// bad–n0 200, bad–n1 164, bad–n2 164, bad–n3 162.
    let fiveNodes = [
        update("n0", [0, 0]), update("n1", [2, 0]), update("n2", [0, 2]), update("n3", [1, 1]),
        update("n4", [10, 10]),
    ]

    @Test func krumPicksTheMostCentralUpdate() throws {
        // f = 1, k = 5 > 2f + 2 = 4: sum of the k − f − 2 = 2 nearest squared distances:
        // n0: 2 + 4 = 6; n1: 2 + 4 = 6; n2: 2 + 4 = 6; n3: 2 + 2 = 4; n4: 162 + 164 = 326
        #expect(try Krum.scores(fiveNodes.map(\.delta), assumedByzantine: 1) == [6, 6, 6, 4, 326])
        // the lowest score is n3's (index 3): Δ = (1, 1)
        #expect(fuse(try Krum(), fiveNodes) == [1, 1])
    }

    @Test func krumOnThreeNodesBreaksTiesByNodeID() throws {
        // f = 0, one nearest neighbour: a–b 4 + 16 = 20, a–c 16 + 4 = 20, b–c 4 + 4 = 8;
        // scores a 20, b 8, c 8: b and c tie, and b has the smaller id: Δ = (3, −2)
        #expect(try Krum.scores(threeNodes.map(\.delta), assumedByzantine: 0) == [20, 8, 8])
        #expect(fuse(try Krum(assumedByzantine: 0), threeNodes) == [3, -2])
        #expect(fuse(try Krum(assumedByzantine: 0), threeNodes.reversed()) == [3, -2])
    }

    @Test func multiKrumAveragesTheBestScored() throws {
        // three nodes, f = 0, m = k − f = 3: the plain mean ((1 + 3 + 5)/3, 0) = (3, 0)
        #expect(fuse(try MultiKrum(assumedByzantine: 0), threeNodes) == [3, 0])
        // m = 2: b and c: ((3 + 5)/2, (−2 + 0)/2) = (4, −1)
        #expect(fuse(try MultiKrum(assumedByzantine: 0, selectionCount: 2), threeNodes) == [4, -1])
        // five nodes, f = 1, m = 4: n3, n0, n1, n2: ((1 + 0 + 2 + 0)/4, (1 + 0 + 0 + 2)/4) = (0.75, 0.75)
        #expect(fuse(try MultiKrum(), fiveNodes) == [0.75, 0.75])
        // m = 2: n3 (4) and n0 (6, smallest id among the 6s): (0.5, 0.5)
        #expect(fuse(try MultiKrum(selectionCount: 2), fiveNodes) == [0.5, 0.5])
        // m = 9 is capped at k − f = 4
        #expect(fuse(try MultiKrum(selectionCount: 9), fiveNodes) == [0.75, 0.75])
    }

    @Test func krumNeedsMoreThanTwoFPlusTwoUpdates() throws {
        let four = Array(fiveNodes.prefix(4))
        #expect(fuse(try Krum(), four) == nil)
        #expect(fuse(try MultiKrum(), four) == nil)
        var accumulator = try Krum().makeAccumulator(parameterCount: 2, version: 0)
        for u in four { accumulator.add(u) }
        #expect(throws: FusionError(.cannotFuse, source: "krum", "with f = 1 assumed Byzantine, Krum needs more than 2f + 2 = 4 updates; got 4")) {
            try accumulator.fuse()
        }
    }

    @Test func aHugeAssumedByzantineCountFailsTheRoundWithoutOverflow() throws {
        #expect(fuse(try Krum(assumedByzantine: .max), fiveNodes) == nil)
        #expect(fuse(try MultiKrum(assumedByzantine: .max), fiveNodes) == nil)
    }

    @Test func emptyRoundsDoNotFuse() throws {
        #expect(fuse(CoordinateWiseMedian(), []) == nil)
        #expect(fuse(try TrimmedMean(), []) == nil)
        #expect(fuse(try Krum(), []) == nil)
        #expect(fuse(try MultiKrum(), []) == nil)
    }

    /// Four honest nodes near (1.5, 1.5) and one that sends the honest direction flipped and ×10.
    /// FedAvg: ((1 + 2 + 1 + 2 − 15)/5, …) = (−1.8, −1.8), pulled past zero toward the attacker.
    @Test(arguments: ["median", "trimmed-mean", "krum", "multi-krum", "fedavg"])
    func robustRulesResistOneSignFlippedUpdate(name: String) throws {
        let honest: [[Float]] = [[1, 2], [2, 1], [1, 1], [2, 2]]
        let updates = honest.enumerated().map { update("h\($0.offset)", $0.element) } + [update("x", [-15, -15])]
        let options = name == "trimmed-mean" ? ["beta": "0.2"] : [:]
        let fused = try #require(fuse(StrategyCatalog.make(name: name, options: options), updates))
        if name == "fedavg" {
            #expect(fused == [-1.8, -1.8])
        } else {
            // within the honest range [1, 2] in both coordinates: median (1, 1); trimmed mean
            // (t = 1) (4/3, 4/3); Krum one honest update; Multi-Krum the honest mean (1.5, 1.5)
            #expect(fused.allSatisfy { $0 >= 1 && $0 <= 2 }, "\(name) fused \(fused)")
        }
    }
}
