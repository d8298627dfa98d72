import FedSecureAggregation
import Testing

@Suite struct HararyGraphTests {
    let seed = (0..<32).map { UInt8($0) }

    @Test(arguments: [(10, 4), (11, 6), (100, 28), (7, 6), (8, 7)])
    func everyNodeHasDegreeNeighboursSymmetrically(n: Int, k: Int) throws {
        let g = try HararyGraph(nodeCount: n, degree: k, seed: seed)
        for a in 0..<n {
            let ns = g.neighbours(of: a)
            #expect(ns.count == k)
            #expect(!ns.contains(a))
            #expect(Set(ns).count == k)
            for b in 0..<n { #expect(g.areNeighbours(a, b) == ns.contains(b)) }
            for b in ns { #expect(g.neighbours(of: b).contains(a)) }
        }
    }

    @Test func sameSeedSameGraphOtherSeedOtherGraph() throws {
        let a = try HararyGraph(nodeCount: 50, degree: 6, seed: seed)
        #expect(a == (try HararyGraph(nodeCount: 50, degree: 6, seed: seed)))
        let b = try HararyGraph(nodeCount: 50, degree: 6, seed: seed.reversed())
        #expect((0..<50).contains { a.neighbours(of: $0) != b.neighbours(of: $0) })
    }

    // Without the permutation node i's neighbours would be i±1, i±2; the permutation scatters them.
    @Test func labelsArePermuted() throws {
        let g = try HararyGraph(nodeCount: 100, degree: 4, seed: seed)
        let ringLike = (0..<100).filter { i in g.neighbours(of: i) == [(i + 98) % 100, (i + 99) % 100, (i + 1) % 100, (i + 2) % 100].sorted() }
        #expect(ringLike.count < 10)
    }

    @Test func badDegreesAreErrors() {
        #expect(throws: SecureAggregationError.self) { try HararyGraph(nodeCount: 10, degree: 3, seed: seed) }
        #expect(throws: SecureAggregationError.self) { try HararyGraph(nodeCount: 10, degree: 10, seed: seed) }
        #expect(throws: SecureAggregationError.self) { try HararyGraph(nodeCount: 10, degree: 0, seed: seed) }
        #expect(throws: SecureAggregationError.self) { try HararyGraph(nodeCount: 1, degree: 0, seed: seed) }
        #expect(throws: SecureAggregationError.self) { try HararyGraph(nodeCount: 10, degree: 4, seed: [1, 2]) }
    }
}

@Suite struct ParameterFinderTests {
    typealias Model = SecureAggregationParameterFinder.ThreatModel

    // fcp graph_parameter_finder_test.cc (SECURITY-NOTES §(i) 3): degree exact, threshold ≤ listed.
    static let table: [(Int, Double, Double, Model, Int, Int)] = [
        (100, 0.33, 0.33, .semiHonest, 68, 34),
        (1_000, 0.33, 0.33, .semiHonest, 286, 150),
        (10_000, 0.33, 0.33, .semiHonest, 422, 221),
        (1_000_000, 0.33, 0.33, .semiHonest, 518, 270),
        (1_000, 0.05, 0.33, .semiHonest, 72, 24),
        (10_000, 0.05, 0.33, .semiHonest, 86, 29),
        (1_000_000, 0.05, 0.33, .semiHonest, 102, 34),
        (1_000, 0.05, 0.33, .semiMalicious, 398, 223),
        (1_000, 0.33, 0.05, .semiHonest, 78, 60),
        (1_000, 0.3, 0.3, .semiMalicious, 872, 584),
        (10, 0.05, 0.33, .semiHonest, 4, 2),
        (100, 0.05, 0.33, .semiHonest, 28, 6),
        (100, 0.45, 0.45, .semiHonest, 92, 46),
        (10, 0.33, 0.33, .semiHonest, 8, 4),
        (100, 0.3, 0.3, .semiMalicious, 92, 62),
    ]

    @Test(arguments: 0..<table.count)
    func matchesFcpTable(row: Int) throws {
        let (n, adversarial, dropout, model, degree, threshold) = Self.table[row]
        let p = try SecureAggregationParameterFinder.parameters(nodeCount: n, adversarialRate: adversarial, dropoutRate: dropout, threatModel: model)
        #expect(p.degree == degree, "n=\(n) a=\(adversarial) d=\(dropout)")
        #expect(p.threshold <= threshold && p.threshold >= 2, "n=\(n) a=\(adversarial) d=\(dropout)")
    }

    @Test func infeasibleRatesAreErrors() {
        #expect(throws: SecureAggregationError.self) { try SecureAggregationParameterFinder.parameters(nodeCount: 100, adversarialRate: 0.5, dropoutRate: 0.5) }
        #expect(throws: SecureAggregationError.self) {
            try SecureAggregationParameterFinder.parameters(nodeCount: 100, adversarialRate: 0.3, dropoutRate: 0.35, threatModel: .semiMalicious)
        }
        #expect(throws: SecureAggregationError.self) { try SecureAggregationParameterFinder.parameters(nodeCount: 0, adversarialRate: 0, dropoutRate: 0) }
    }

    @Test func smallFederationsFallBackToTheCompleteGraph() throws {
        // n = 3: the finder only tries degrees below n − 1 = 2, so none; complete graph, t = max(2, ⌊0.67·3⌋).
        let p = try SecureAggregationConfiguration.recommendedGraph(nodeCount: 3, adversarialRate: 0.05, dropoutRate: 0.33)
        #expect(p.degree == 2)
        #expect(p.threshold == 2)
        #expect(throws: SecureAggregationError.self) { try SecureAggregationParameterFinder.parameters(nodeCount: 3, adversarialRate: 0.05, dropoutRate: 0.33) }
    }
}
