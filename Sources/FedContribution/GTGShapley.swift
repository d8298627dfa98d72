import FedTensor

/// GTG-Shapley (Liu, Chen, Zhou, Liu, Yang, Yu, "GTG-Shapley: Efficient and Accurate
/// Participant Contribution Evaluation in Federated Learning", ACM TIST 13(4), 2022):
/// Monte Carlo permutation sampling of one round's Shapley values, with
///
/// - **between-round truncation**: a round whose total gain `|v(N) − v(∅)|` is below
///   `betweenRoundTruncation` gives every node 0 (two evaluations);
/// - **guided sampling**: permutations come in cycles of `n`; in a cycle every node takes the
///   first position once, the rest in random order, so every node's solo marginal is sampled;
/// - **within-round truncation**: walking a permutation, once `|v(N) − v(prefix)|` is below
///   `withinRoundTruncation` the remaining marginals are taken as 0 without evaluating;
/// - **convergence**: after each cycle (from `minimumCycles` on) the relative change of the
///   running estimate, `Σ_i |φ_i − φ_i^prev| / Σ_i |φ_i|`, is compared with
///   `convergenceTolerance`; sampling stops below it or after `maximumCycles`.
///
/// Utilities are memoised by `CoalitionUtility`, so a prefix met again costs nothing. The
/// sampling is seeded: the same seed and stream give the same values. Per-round values are
/// summed over rounds by `values(overRounds:roundWeights:)` (round `t` uses stream `t`).
public struct GTGShapley: ContributionMethod {
    /// The truncation thresholds, convergence rule and seed.
    public struct Configuration: Sendable, Equatable {
        /// ε_b: skip a round whose total gain `|v(N) − v(∅)|` is below this (absolute, in utility units).
        public var betweenRoundTruncation: Double
        /// ε_w: stop walking a permutation once `|v(N) − v(prefix)|` is below this.
        public var withinRoundTruncation: Double
        /// Stop when the relative change of the estimate over one cycle is below this.
        public var convergenceTolerance: Double
        /// Cycles (of `n` permutations each) sampled before convergence is checked; at least 2.
        public var minimumCycles: Int
        /// The most cycles sampled in one round.
        public var maximumCycles: Int
        /// The seed of the permutation sampler.
        public var seed: UInt64

        /// Creates a configuration.
        /// - Parameters:
        ///   - betweenRoundTruncation: ε_b, ≥ 0 (0 never skips a round).
        ///   - withinRoundTruncation: ε_w, ≥ 0 (0 never truncates a permutation).
        ///   - convergenceTolerance: Relative change that counts as converged, > 0.
        ///   - minimumCycles: Cycles before the convergence check, ≥ 2.
        ///   - maximumCycles: Cycle limit, ≥ `minimumCycles`.
        ///   - seed: Sampler seed.
        public init(
            betweenRoundTruncation: Double = 0.001, withinRoundTruncation: Double = 0.001,
            convergenceTolerance: Double = 0.01, minimumCycles: Int = 3, maximumCycles: Int = 50,
            seed: UInt64 = 0
        ) {
            self.betweenRoundTruncation = betweenRoundTruncation
            self.withinRoundTruncation = withinRoundTruncation
            self.convergenceTolerance = convergenceTolerance
            self.minimumCycles = minimumCycles
            self.maximumCycles = maximumCycles
            self.seed = seed
        }
    }

    /// One round's estimate and how it was reached.
    public struct RoundEstimate: Sendable, Equatable {
        /// Each player's estimated Shapley value in this round.
        public var values: [Double]
        /// Whether between-round truncation skipped the round (all values 0).
        public var skipped: Bool
        /// The number of permutations walked.
        public var permutations: Int
        /// Whether sampling stopped by the convergence rule (false: it hit `maximumCycles`, or skipped).
        public var converged: Bool
    }

    /// The configuration.
    public let configuration: Configuration

    /// Creates the method.
    /// - Parameter configuration: Thresholds, convergence rule and seed.
    /// - Throws: `ContributionError.invalidConfiguration` for a negative or non-finite threshold,
    ///   a tolerance ≤ 0, `minimumCycles` < 2 or `maximumCycles` < `minimumCycles`.
    public init(_ configuration: Configuration = Configuration()) throws {
        let c = configuration
        for (value, option) in [(c.betweenRoundTruncation, "betweenRoundTruncation"), (c.withinRoundTruncation, "withinRoundTruncation")] {
            guard value.isFinite, value >= 0 else {
                throw ContributionError(.invalidConfiguration, source: "GTGShapley \(option)", "\(value); expected a finite number ≥ 0")
            }
        }
        guard c.convergenceTolerance.isFinite, c.convergenceTolerance > 0 else {
            throw ContributionError(
                .invalidConfiguration, source: "GTGShapley convergenceTolerance",
                "\(c.convergenceTolerance); expected a finite number > 0")
        }
        guard c.minimumCycles >= 2 else {
            throw ContributionError(.invalidConfiguration, source: "GTGShapley minimumCycles", "\(c.minimumCycles); expected ≥ 2")
        }
        guard c.maximumCycles >= c.minimumCycles else {
            throw ContributionError(
                .invalidConfiguration, source: "GTGShapley maximumCycles",
                "\(c.maximumCycles); expected ≥ minimumCycles (\(c.minimumCycles))")
        }
        self.configuration = configuration
    }

    /// `GTG-Shapley`.
    public var name: String { "GTG-Shapley" }

    /// One round's estimated Shapley values.
    /// - Parameters:
    ///   - utility: The round's game.
    ///   - stream: The random sub-stream (e.g. the round index).
    /// - Throws: Utility errors.
    public func values(of utility: inout CoalitionUtility, stream: UInt64) throws -> [Double] {
        try estimate(&utility, stream: stream).values
    }

    /// One round's estimate with its diagnostics.
    /// - Parameters:
    ///   - utility: The round's game.
    ///   - stream: The random sub-stream (e.g. the round index).
    /// - Throws: Utility errors.
    public func estimate(_ utility: inout CoalitionUtility, stream: UInt64) throws -> RoundEstimate {
        let n = utility.playerCount
        let c = configuration
        let all = Coalition.all(n)
        let vEmpty = try utility.value(of: .empty)
        let vAll = try utility.value(of: all)
        if abs(vAll - vEmpty) < c.betweenRoundTruncation {
            return RoundEstimate(values: [Double](repeating: 0, count: n), skipped: true, permutations: 0, converged: false)
        }
        var rng = SeededRandom(seed: c.seed).derived(stream: stream)
        var sums = [Double](repeating: 0, count: n)
        var permutations = 0
        var previous: [Double]? = nil
        for cycle in 1...c.maximumCycles {
            for first in 0..<n {
                // Guided sampling: `first` leads, the others follow in random order.
                var order = [first] + (0..<n).filter { $0 != first }
                var tail = Array(order[1...])
                rng.shuffle(&tail)
                order.replaceSubrange(1..., with: tail)
                var prefix = Coalition.empty
                var vPrev = vEmpty
                for p in order {
                    if abs(vAll - vPrev) < c.withinRoundTruncation { break }  // remaining marginals 0
                    prefix = prefix.adding(p)
                    let v = try utility.value(of: prefix)
                    sums[p] += v - vPrev
                    vPrev = v
                }
                permutations += 1
            }
            let estimate = sums.map { $0 / Double(permutations) }
            if cycle >= c.minimumCycles, let prev = previous {
                let change = zip(estimate, prev).reduce(0) { $0 + abs($1.0 - $1.1) }
                let scale = estimate.reduce(0) { $0 + abs($1) }
                if change <= c.convergenceTolerance * scale {
                    return RoundEstimate(values: estimate, skipped: false, permutations: permutations, converged: true)
                }
            }
            previous = estimate
        }
        return RoundEstimate(
            values: sums.map { $0 / Double(permutations) }, skipped: false, permutations: permutations, converged: false)
    }
}
