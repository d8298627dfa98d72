import FedFusion
import FedTensor

/// Central differential privacy for any linear fusion strategy: DP-FedAvg (McMahan, Ramage,
/// Talwar, Zhang 2018, "Learning Differentially Private Recurrent Language Models", ICLR) with
/// fixed or adaptive clipping (Andrew et al. 2021), wrapped around FedAvg or a server optimizer
/// (FedAvgM, FedAdam, FedYogi, FedAdagrad, FedProx, dynamic fusion).
///
/// Per round, with m the expected clients per round and C the clip norm:
/// 1. `nodeInstructions` tells the nodes `dp_clip_norm` = C: they clip their own update (which
///    secure aggregation requires, since the server then sees only the sum) and report
///    `metrics["dp_unclipped"]` (1 if ‖Δ‖ ≤ C before clipping, else 0).
/// 2. The accumulator (`DPFedAvgAccumulator`) clips again (a no-op for honest nodes), weighs
///    every update 1 and divides by the fixed m: Δ̄ = Σ clipped Δ_k / m, sensitivity C/m.
/// 3. `apply` adds N(0, (z_Δ·C/m)²) to every coordinate, with the noise drawn from
///    `SeededRandom(seed: seed).derived(stream: round)` (so a resumed run adds the same noise),
///    updates C when clipping is adaptive, then lets the base strategy take its server step
///    with the noised Δ̄.
///
/// Privacy: each round is one Poisson-subsampled Gaussian step with q = m / population and the
/// total noise multiplier z (the accountant's input; with adaptive clipping the update gets
/// z_Δ = (z⁻² − (2σ_b)⁻²)^(−½) ≥ z and the clipped count the rest). This assumes the nodes of a
/// round are sampled independently with probability q; `privacySpent(rounds:delta:)` gives the
/// guarantee, and `wouldExceedBudget(afterRound:)` checks it against a budget. The noise seed
/// must stay secret from anyone who sees the model.
///
/// With adaptive clipping the fused delta handed from the accumulator to `apply` carries two
/// more scalars (Σ b_k and n, see `DPFedAvgAccumulator`); the secure-aggregation path builds the
/// same layout with `fusedDelta(fromSecureSum:totalWeight:count:)`.
///
/// Robust strategies (median, trimmed mean, Krum, Multi-Krum) are refused: DP-FedAvg's
/// sensitivity bound needs a linear mean. Buffered asynchronous strategies (FedBuff) are refused
/// too: the accountant assumes synchronous sampled rounds.
public struct DifferentialPrivacyStrategy<Base: FusionStrategy>: FusionStrategy {
    /// The metric key of the clip norm sent to the nodes.
    public static var clipNormInstruction: String { DPFedAvgAccumulator.clipNormInstruction }
    /// The server-state key holding C (one Float).
    public static var clipNormStateKey: String { "dp_clip_norm" }
    /// The strategies that cannot be wrapped, by name: robust statistics are not linear means.
    public static var robustStrategyNames: [String] { ["median", "trimmed-mean", "krum", "multi-krum"] }

    /// The wrapped strategy, with its server state.
    public private(set) var base: Base
    /// The total noise multiplier z (the accountant's input), ≥ 0.
    public let noiseMultiplier: Double
    /// z_Δ, the noise multiplier of the update: z with fixed clipping, (z⁻² − (2σ_b)⁻²)^(−½)
    /// with adaptive clipping.
    public let updateNoiseMultiplier: Double
    /// m, the expected number of clients per round (the fixed denominator), ≥ 1.
    public let expectedClientsPerRound: Int
    /// The number of nodes in the federation, ≥ m.
    public let population: Int
    /// The seed of the noise.
    public let seed: UInt64
    /// The clipping policy, with the current C.
    public private(set) var clipping: ClippingPolicy
    /// The budget `wouldExceedBudget(afterRound:)` checks, if one was given.
    public let budget: PrivacyBudget?
    /// The Rényi orders of the accountant.
    public let orders: [Double]
    /// RDP of one round at each order.
    private let roundRDP: [Double]

    /// Wraps a linear strategy.
    /// - Parameters:
    ///   - base: the strategy whose server step receives the noised mean (FedAvg, FedAvgM,
    ///     FedAdam, FedYogi, FedAdagrad, FedProx, dynamic; also behind `AnyFusionStrategy`).
    ///   - noiseMultiplier: the total z, finite and ≥ 0.
    ///   - clipping: `.fixed(clipNorm:)` or `.adaptive(AdaptiveClipNorm)`; an adaptive
    ///     estimator's `expectedClients` must equal `expectedClientsPerRound`.
    ///   - expectedClientsPerRound: m ≥ 1.
    ///   - population: the number of nodes, ≥ m (the sampling rate is m / population).
    ///   - seed: the seed of the noise.
    ///   - budget: the (ε, δ) budget for `wouldExceedBudget(afterRound:)` (optional).
    ///   - orders: the accountant's order grid (default `RDPAccountant.defaultOrders`).
    /// - Throws: `PrivacyError.unsupportedStrategy` for a robust or buffered base or one already
    ///   wrapped; `PrivacyError.invalidArgument` naming the argument out of range, including a
    ///   noise multiplier z ≥ 2σ_b with adaptive clipping.
    public init(wrapping base: Base, noiseMultiplier: Double, clipping: ClippingPolicy, expectedClientsPerRound: Int,
                population: Int, seed: UInt64, budget: PrivacyBudget? = nil,
                orders: [Double] = RDPAccountant.defaultOrders) throws(PrivacyError) {
        let source = "DP-FedAvg"
        if Self.robustStrategyNames.contains(base.name) {
            throw PrivacyError(.unsupportedStrategy, source: "\(source) base strategy \(base.name)",
                               "DP-FedAvg needs a linear mean of clipped updates (its sensitivity bound); a robust rule (median, trimmed-mean, krum, multi-krum) is not one. Expected fedavg, fedprox, fedavgm, fedadagrad, fedadam, fedyogi or dynamic")
        }
        if base.name.hasPrefix("dp-") {
            throw PrivacyError(.unsupportedStrategy, source: "\(source) base strategy \(base.name)", "is already differentially private; wrap the plain strategy once")
        }
        guard base.mode == .synchronous else {
            throw PrivacyError(.unsupportedStrategy, source: "\(source) base strategy \(base.name)",
                               "runs buffered asynchronous rounds; DP-FedAvg and its accountant need synchronous rounds with sampled nodes")
        }
        try ArgumentCheck.nonNegative(noiseMultiplier, "noiseMultiplier", of: source)
        guard expectedClientsPerRound >= 1 else {
            throw PrivacyError(.invalidArgument, source: "\(source) expectedClientsPerRound", "expected a whole number ≥ 1, got \(expectedClientsPerRound)")
        }
        guard population >= expectedClientsPerRound else {
            throw PrivacyError(.invalidArgument, source: "\(source) population",
                               "expected at least the expected clients per round (\(expectedClientsPerRound)), got \(population)")
        }
        switch clipping {
        case .fixed(let c):
            try ArgumentCheck.positive(c, "clipNorm", of: source)
            updateNoiseMultiplier = noiseMultiplier
        case .adaptive(let a):
            guard a.expectedClients == expectedClientsPerRound else {
                throw PrivacyError(.invalidArgument, source: "\(source) adaptive clipping expectedClients",
                                   "expected the strategy's expected clients per round (\(expectedClientsPerRound)), got \(a.expectedClients)")
            }
            updateNoiseMultiplier = try AdaptiveClipNorm.updateNoiseMultiplier(totalNoiseMultiplier: noiseMultiplier, countNoiseStddev: a.countNoiseStddev)
        }
        let q = Double(expectedClientsPerRound) / Double(population)
        roundRDP = try RDPAccountant.stepRDP(samplingRate: q, noiseMultiplier: noiseMultiplier, orders: try RDPAccountant(orders: orders).orders)
        self.base = base
        self.noiseMultiplier = noiseMultiplier
        self.expectedClientsPerRound = expectedClientsPerRound
        self.population = population
        self.seed = seed
        self.clipping = clipping
        self.budget = budget
        self.orders = orders
    }

    /// `dp-` and the base's name, e.g. `dp-fedavg`.
    public var name: String { "dp-\(base.name)" }

    /// The base's time window.
    public var roundTimeWindow: Duration? { base.roundTimeWindow }

    /// The current clip norm C.
    public var clipNorm: Double { clipping.clipNorm }

    /// q = m / population, the accountant's sampling rate.
    public var samplingRate: Double { Double(expectedClientsPerRound) / Double(population) }

    /// The standard deviation of the noise `apply` adds to each coordinate of the mean this
    /// round: z_Δ·C/m.
    public var noiseStandardDeviation: Double { updateNoiseMultiplier * clipNorm / Double(expectedClientsPerRound) }

    /// The base's instructions plus `dp_clip_norm` = C.
    public func nodeInstructions(round: Int) -> [String: Double] {
        var instructions = base.nodeInstructions(round: round)
        instructions[Self.clipNormInstruction] = clipNorm
        // Secure aggregation: each node weighs 1 (DP-FedAvg's estimator), and with adaptive
        // clipping appends its unclipped bit to the vector it masks.
        instructions[Self.unitWeightInstruction] = 1
        if isAdaptive { instructions[Self.appendUnclippedBitInstruction] = 1 }
        return instructions
    }

    /// The instruction telling secure-aggregation nodes to weigh their update 1.
    public static var unitWeightInstruction: String { "secure_aggregation_unit_weight" }
    /// The instruction telling secure-aggregation nodes to append their unclipped bit.
    public static var appendUnclippedBitInstruction: String { "dp_append_unclipped_bit" }

    /// Secure aggregation's weighted mean (each node weighing 1) in the layout `apply` expects;
    /// nil when the mean is not one `fusedDelta(fromSecureSum:totalWeight:count:)` accepts.
    public func fusedDelta(secureMean: [Float], totalWeight: Double, count: Int) -> [Float]? {
        let n = Float(count)
        return try? fusedDelta(fromSecureSum: secureMean.map { $0 * n }, totalWeight: totalWeight, count: count)
    }

    /// A DP-FedAvg accumulator with this round's C and the fixed m.
    public func makeAccumulator(parameterCount: Int, version: Int) -> DPFedAvgAccumulator {
        DPFedAvgAccumulator(parameterCount: parameterCount, clipNorm: clipNorm, expectedClients: expectedClientsPerRound,
                            reportsUnclippedCount: isAdaptive)
    }

    /// Whether clipping is adaptive (the fused delta then carries the two counts).
    public var isAdaptive: Bool {
        if case .adaptive = clipping { return true }
        return false
    }

    /// Adds N(0, (z_Δ·C/m)²) to the mean, updates an adaptive C from the unclipped count, then
    /// applies the base's server step to the noised mean.
    /// - Parameters:
    ///   - fused: the accumulator's output: d scalars, then Σ b_k and n with adaptive clipping.
    ///   - global: the global parameters (d scalars), updated in place.
    ///   - round: the round being completed (it selects the noise stream).
    ///   - failures: passed on to the base.
    /// - Precondition: `fused.count` is `global.count` (+ 2 with adaptive clipping).
    public mutating func apply(fused: [Float], to global: inout [Float], round: Int, failures: [NodeFailure]) {
        let d = global.count
        let trailer = isAdaptive ? DPFedAvgAccumulator.countTrailerLength : 0
        precondition(fused.count == d + trailer,
                     "DP-FedAvg fused delta has \(fused.count) scalars; expected \(d + trailer) (the model's \(d)\(trailer > 0 ? " and the unclipped count and the number of reports" : ""))")
        var noised = Array(fused[0..<d])
        let roundRandom = SeededRandom(seed: seed).derived(stream: UInt64(bitPattern: Int64(round)))
        var noiseRandom = roundRandom
        GaussianNoise.add(standardDeviation: noiseStandardDeviation, to: &noised, using: &noiseRandom)
        if case .adaptive(var estimator) = clipping {
            var countRandom = roundRandom.derived(stream: 1)
            estimator.update(unclippedCount: Int(fused[d]), reports: Int(fused[d + 1]), using: &countRandom)
            clipping = .adaptive(estimator)
        }
        base.apply(fused: noised, to: &global, round: round, failures: failures)
    }

    /// The base's server state plus `dp_clip_norm` (C, one Float; C is kept at Float precision,
    /// so the checkpoint holds it exactly).
    public var serverState: [String: [Float]] {
        var state = base.serverState
        state[Self.clipNormStateKey] = [Float(clipNorm)]
        return state
    }

    /// Restores C and the base's state.
    /// - Throws: `FusionError.invalidOption` when `dp_clip_norm` is not one finite positive
    ///   Float, differs from a fixed clip norm, is missing from a non-empty state with adaptive
    ///   clipping, or the base refuses its part. Nothing changes when it throws.
    public mutating func restoreServerState(_ state: [String: [Float]], parameterCount: Int) throws(FusionError) {
        var baseState = state
        let saved = baseState.removeValue(forKey: Self.clipNormStateKey)
        let source = "\(name) server state '\(Self.clipNormStateKey)'"
        var restoredClipping = clipping
        if let saved {
            guard saved.count == 1, let value = saved.first, value.isFinite, value > 0 else {
                throw FusionError(.invalidOption, source: source, "expected one finite Float > 0 (the clip norm), got \(saved)")
            }
            switch clipping {
            case .fixed(let c):
                guard Float(c) == value else {
                    throw FusionError(.invalidOption, source: source, "the checkpoint's clip norm \(value) differs from the configured fixed clip norm \(c)")
                }
            case .adaptive(var estimator):
                estimator.restore(clipNorm: Double(value))
                restoredClipping = .adaptive(estimator)
            }
        } else if isAdaptive && !state.isEmpty {
            throw FusionError(.invalidOption, source: source, "missing; an adaptive-clipping checkpoint must hold the clip norm")
        }
        var restoredBase = base
        try restoredBase.restoreServerState(baseState, parameterCount: parameterCount)
        base = restoredBase
        clipping = restoredClipping
    }

    /// The fused delta of the secure-aggregation path, where the server learns only the sum of
    /// the nodes' clipped deltas (each node weighs 1): sum / m, in the layout `apply` expects.
    ///
    /// With fixed clipping `sum` is the d summed delta scalars. With adaptive clipping each
    /// node appends its unclipped bit b_k (1 or 0) to its masked vector, so `sum` has d + 1
    /// scalars, the last being Σ b_k; the result is then [sum₀/m … sum_{d−1}/m, Σ b_k, count].
    /// The server cannot re-clip here: the nodes' own clipping (`dp_clip_norm`) is what bounds
    /// the sensitivity.
    /// - Parameters:
    ///   - sum: the unmasked sum.
    ///   - totalWeight: the sum's total weight; each node weighs 1, so it must equal `count`.
    ///   - count: n ≥ 1, the number of nodes in the sum.
    /// - Throws: `PrivacyError.invalidArgument` naming `count` (expected ≥ 1), `totalWeight`
    ///   (expected = count), `sum` (a non-finite scalar, too short) or the unclipped count
    ///   (expected a whole number in 0…count).
    public func fusedDelta(fromSecureSum sum: [Float], totalWeight: Double, count: Int) throws(PrivacyError) -> [Float] {
        let source = "DP-FedAvg secure sum"
        guard count >= 1 else {
            throw PrivacyError(.invalidArgument, source: "\(source) count", "expected at least 1 node in the sum, got \(count)")
        }
        guard totalWeight == Double(count) else {
            throw PrivacyError(.invalidArgument, source: "\(source) totalWeight",
                               "expected \(count) (DP-FedAvg weighs each of the \(count) nodes 1), got \(totalWeight)")
        }
        if let bad = sum.firstIndex(where: { !$0.isFinite }) {
            throw PrivacyError(.invalidArgument, source: "\(source) scalar \(bad)", "expected a finite number, got \(sum[bad])")
        }
        guard isAdaptive else { return DPFedAvgAccumulator.divide(sum, by: expectedClientsPerRound) }
        guard let bits = sum.last else {
            throw PrivacyError(.invalidArgument, source: source, "is empty; with adaptive clipping expected the d delta scalars and the unclipped count")
        }
        let unclipped = bits.rounded()
        guard abs(bits - unclipped) < 0.01, unclipped >= 0, unclipped <= Float(count) else {
            throw PrivacyError(.invalidArgument, source: "\(source) unclipped count (last scalar)",
                               "expected a whole number in 0…\(count) (the sum of the nodes' unclipped bits), got \(bits)")
        }
        return DPFedAvgAccumulator.divide(sum.dropLast(), by: expectedClientsPerRound) + [unclipped, Float(count)]
    }

    /// The (ε, δ) spent after `rounds` rounds: the RDP accountant with q = m / population and
    /// the total noise multiplier z.
    /// - Parameters:
    ///   - rounds: ≥ 0.
    ///   - delta: δ in (0, 1).
    /// - Throws: `PrivacyError.invalidArgument` naming `rounds` or `delta` when out of range.
    public func privacySpent(rounds: Int, delta: Double) throws(PrivacyError) -> PrivacyGuarantee {
        try ArgumentCheck.count(rounds, "rounds", of: "DP-FedAvg privacy")
        try ArgumentCheck.unitOpen(delta, "delta", of: "DP-FedAvg privacy")
        let rdp = roundRDP.map { $0 == 0 || rounds == 0 ? 0 : Double(rounds) * $0 }
        return RDPConversion.improved.guarantee(rdp: rdp, orders: orders, delta: delta)
    }

    /// Whether running round `round` (so `round` rounds in all) would spend more than the budget.
    /// Ask before a round; stop when it answers true.
    /// - Parameter round: the round about to run, ≥ 0.
    /// - Throws: `PrivacyError.invalidArgument` when no budget was configured or `round` < 0.
    public func wouldExceedBudget(afterRound round: Int) throws(PrivacyError) -> Bool {
        guard let budget else {
            throw PrivacyError(.invalidArgument, source: "DP-FedAvg budget", "no (ε, δ) budget was configured; pass budget: to init")
        }
        return try privacySpent(rounds: round, delta: budget.delta).epsilon > budget.epsilon
    }
}
