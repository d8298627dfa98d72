import FedContribution
import FedTensor
import Testing

/// A real (tiny) federation: linear least squares y = x·w* + noise, w* = (1, −2, 0.5), five
/// nodes of 20 examples each, FedAvg over 10 rounds of 5 local gradient steps. Node 4 does not
/// train: its update is pure Gaussian noise. Utility: negative validation MSE.
struct LeastSquaresFederation {
    static let truth: [Double] = [1, -2, 0.5]
    static let rounds = 10
    let nodes: Int
    var noisyNode: Int { nodes - 1 }

    let reconstructions: [RoundReconstruction]
    let validation: (x: [[Double]], y: [Double])

    static func sample(_ count: Int, _ rng: inout SeededRandom) -> (x: [[Double]], y: [Double]) {
        var xs: [[Double]] = [], ys: [Double] = []
        for _ in 0..<count {
            let x = (0..<3).map { _ in Double(rng.nextNormal()) }
            xs.append(x)
            ys.append(zip(x, truth).reduce(0) { $0 + $1.0 * $1.1 } + 0.1 * Double(rng.nextNormal()))
        }
        return (xs, ys)
    }

    static func mse(_ theta: [Float], _ data: (x: [[Double]], y: [Double])) -> Double {
        var total = 0.0
        for (x, y) in zip(data.x, data.y) {
            let r = zip(x, theta).reduce(0) { $0 + $1.0 * Double($1.1) } - y
            total += r * r
        }
        return total / Double(data.y.count)
    }

    /// Five steps of gradient descent on the node's MSE from θ; returns the update.
    static func localUpdate(_ theta: [Float], _ data: (x: [[Double]], y: [Double])) -> [Float] {
        var w = theta.map(Double.init)
        for _ in 0..<5 {
            var grad = [0.0, 0, 0]
            for (x, y) in zip(data.x, data.y) {
                let r = zip(x, w).reduce(0) { $0 + $1.0 * $1.1 } - y
                for j in 0..<3 { grad[j] += 2 * r * x[j] / Double(data.y.count) }
            }
            for j in 0..<3 { w[j] -= 0.05 * grad[j] }
        }
        return zip(w, theta).map { Float($0 - Double($1)) }
    }

    /// - Parameters: nodes: federation size (the last node is the noisy one); noise: its update's std.
    init(nodes: Int = 5, noise: Float = 0.5, seed: UInt64 = 2022) throws {
        self.nodes = nodes
        var rng = SeededRandom(seed: seed)
        let local = (0..<nodes).map { _ in Self.sample(20, &rng) }
        validation = Self.sample(50, &rng)
        var theta: [Float] = [0, 0, 0]
        var recs: [RoundReconstruction] = []
        for t in 0..<Self.rounds {
            let updates = (0..<nodes).map { i in
                i == nodes - 1 ? (0..<3).map { _ in noise * rng.nextNormal() } : Self.localUpdate(theta, local[i])
            }
            let r = try RoundReconstruction(round: t, globalModel: theta, updates: updates)
            recs.append(r)
            theta = r.model(for: .all(nodes))  // FedAvg over everyone, noise included
        }
        reconstructions = recs
    }

    func games() -> [CoalitionUtility] {
        let v = validation
        return reconstructions.map { r in r.utility { theta in -Self.mse(theta, v) } }
    }
}

@Suite struct FederatedLeastSquaresTests {
    /// Seed 7, noise std 0.2: every method ranks the noisy node last with a negative value and
    /// every honest node positive (measured: exact ≈ (2.24, 1.96, 2.47, 3.19, −1.93), 320
    /// evaluations; GTG within 0.09 of it; leave-one-out ≈ (0.28, 0.14, 0.38, 0.78, −1.41)).
    @Test func noisyNodeIsNegativeAndHonestNodesPositive() throws {
        let federation = try LeastSquaresFederation(nodes: 5, noise: 0.2, seed: 7)
        let games = federation.games()
        let exact = try ExactShapley().values(overRounds: games)
        let gtg = try GTGShapley().values(overRounds: games)
        let loo = try LeaveOneOut().values(overRounds: games)
        for result in [exact, gtg, loo] {
            #expect(result.values[4] < 0, "\(result.method): noisy node \(result.values[4])")
            #expect(result.values[0..<4].allSatisfy { $0 > 0 }, "\(result.method): \(result.values)")
        }
        let scale = exact.values.map(abs).max() ?? 1
        #expect(zip(gtg.values, exact.values).allSatisfy { abs($0 - $1) <= 0.05 * scale }, "\(gtg.values) vs \(exact.values)")
        #expect(exact.utilityEvaluations == 10 * 32)
        #expect(loo.utilityEvaluations == 10 * 6)
    }

    /// Over other seeds, noise levels and sizes the noisy node is still the lowest and negative
    /// for every method and GTG stays within 5% of exact Shapley; leave-one-out alone may give
    /// a weak honest node a slightly negative value (seed 2022: node 0 gets −0.11).
    @Test(arguments: [(5, Float(0.5), UInt64(2022)), (5, 0.5, 1), (6, 0.3, 3)])
    func noisyNodeIsLowestAcrossFederations(nodes: Int, noise: Float, seed: UInt64) throws {
        let federation = try LeastSquaresFederation(nodes: nodes, noise: noise, seed: seed)
        let games = federation.games()
        let exact = try ExactShapley().values(overRounds: games)
        let gtg = try GTGShapley().values(overRounds: games)
        let loo = try LeaveOneOut().values(overRounds: games)
        for result in [exact, gtg, loo] {
            let noisy = result.values[nodes - 1]
            #expect(noisy < 0 && result.values.dropLast().allSatisfy { $0 > noisy }, "\(result.method): \(result.values)")
        }
        for result in [exact, gtg] { #expect(result.values.dropLast().allSatisfy { $0 > 0 }) }
        let scale = exact.values.map(abs).max() ?? 1
        #expect(zip(gtg.values, exact.values).allSatisfy { abs($0 - $1) <= 0.05 * scale }, "\(gtg.values) vs \(exact.values)")
        // Efficiency per round: exact values sum to each round's gain v(N) − v(∅).
        for (t, game) in games.enumerated() {
            var g = game
            let gain = try g.value(of: .all(nodes)) - g.value(of: .empty)
            #expect(abs(exact.perRound[t].reduce(0, +) - gain) < 1e-9)
        }
    }

    /// On 10 nodes GTG needs fewer model evaluations than enumeration (measured: 6,291 vs
    /// 10 × 2^10 = 10,240) and still finds the noisy node.
    @Test func gtgEvaluatesFewerCoalitionsOnTenNodes() throws {
        let federation = try LeastSquaresFederation(nodes: 10, noise: 0.3, seed: 3)
        let games = federation.games()
        let gtg = try GTGShapley().values(overRounds: games)
        #expect(gtg.utilityEvaluations < 10 * 1024)
        #expect(gtg.values[9] < 0 && gtg.values.dropLast().allSatisfy { $0 > 0 })
    }
}
