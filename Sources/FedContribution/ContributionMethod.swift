/// A way of dividing a game's total utility gain `v(N) − v(∅)` among its players: exact
/// Shapley values, leave-one-out, GTG-Shapley. Methods are small values; `values(overRounds:)`
/// applies any of them to a sequence of per-round games and sums the results.
public protocol ContributionMethod: Sendable {
    /// A short human-readable name for reports, e.g. `exact Shapley`.
    var name: String { get }

    /// Each player's value in one game, indexed by player.
    /// - Parameters:
    ///   - utility: The game; its memo and evaluation count are updated.
    ///   - stream: The random sub-stream for sampling methods (e.g. the round index), so each
    ///     round draws independent but reproducible samples; deterministic methods ignore it.
    /// - Throws: `ContributionError` when the game is too large for the method or a utility is
    ///   not finite.
    func values(of utility: inout CoalitionUtility, stream: UInt64) throws -> [Double]
}

extension ContributionMethod {
    /// Each player's value in one game (random sub-stream 0).
    /// - Parameter utility: The game; its memo and evaluation count are updated.
    /// - Throws: As `values(of:stream:)`.
    public func values(of utility: inout CoalitionUtility) throws -> [Double] {
        try values(of: &utility, stream: 0)
    }

    /// Values per round, and their (weighted) sum over rounds: player `i`'s total is
    /// `Σ_t weight_t · φ_i(t)`. Round `t` uses random sub-stream `t`.
    /// - Parameters:
    ///   - rounds: One game per round (e.g. from `RoundReconstruction.utility(evaluate:)`), all
    ///     over the same players.
    ///   - roundWeights: One finite weight per round; `nil` weighs every round 1.
    /// - Returns: The totals, the per-round values and the number of utility evaluations used.
    /// - Throws: `ContributionError.invalidConfiguration` for no rounds, rounds with different
    ///   player counts, or weights of the wrong count or not finite; errors of `values(of:stream:)`.
    public func values(overRounds rounds: [CoalitionUtility], roundWeights: [Double]? = nil) throws -> ContributionValues {
        guard let first = rounds.first else {
            throw ContributionError(.invalidConfiguration, source: name, "no rounds; expected at least one round's game")
        }
        let n = first.playerCount
        for (t, r) in rounds.enumerated() where r.playerCount != n {
            throw ContributionError(
                .invalidConfiguration, source: "\(name), round \(t)",
                "game has \(r.playerCount) players; expected \(n) like round 0")
        }
        let weights = roundWeights ?? [Double](repeating: 1, count: rounds.count)
        guard weights.count == rounds.count else {
            throw ContributionError(
                .invalidConfiguration, source: "\(name) round weights",
                "\(weights.count) weights; expected one per round (\(rounds.count))")
        }
        if let t = weights.firstIndex(where: { !$0.isFinite }) {
            throw ContributionError(
                .invalidConfiguration, source: "\(name) round weights",
                "weight of round \(t) is \(weights[t]); expected a finite number")
        }
        var totals = [Double](repeating: 0, count: n)
        var perRound: [[Double]] = []
        var evaluations = 0, requests = 0
        for (t, game) in rounds.enumerated() {
            var g = game
            let before = (g.evaluations, g.requests)
            let phi = try values(of: &g, stream: UInt64(t))
            evaluations += g.evaluations - before.0
            requests += g.requests - before.1
            for i in 0..<n { totals[i] += weights[t] * phi[i] }
            perRound.append(phi)
        }
        return ContributionValues(
            method: name, values: totals, perRound: perRound, roundWeights: weights,
            utilityEvaluations: evaluations, utilityRequests: requests)
    }
}
