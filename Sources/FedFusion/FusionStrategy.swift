import FedTensor

/// Folds a round's updates into one fused delta as they arrive, one at a time.
///
/// Linear strategies (FedAvg and its server-optimizer variants, FedBuff) keep one running sum:
/// memory O(model size) however many nodes report. Robust statistics that need every update
/// at once (coordinate-wise median, trimmed mean, Krum) keep the round's updates: O(updates per
/// round × model size), bounded by the number of nodes selected per round.
public protocol UpdateAccumulator: Sendable {
    /// Folds one validated update in.
    /// - Precondition: `update.delta.count` is the accumulator's parameter count.
    mutating func add(_ update: NodeUpdate)
    /// How many updates have been folded in.
    var count: Int { get }
    /// The fused delta of everything folded in, or nil if nothing was (or nothing usable).
    func fusedDelta() -> [Float]?
}

/// How a strategy's rounds are driven by the round engine.
public enum FusionMode: Sendable, Equatable {
    /// Classic rounds: select, wait for the selected nodes (or the quorum, or the deadline), fuse.
    case synchronous
    /// Buffered asynchronous fusion: nodes train continuously; the server fuses and publishes
    /// a new global version every `bufferSize` updates (FedBuff).
    case buffered(bufferSize: Int)
}

/// A federated fusion strategy: a small value holding its plain configuration and any server
/// state (server-optimizer moments), in the manner of Flower's strategies.
///
/// The round engine asks it what to tell the selected nodes, folds the arriving updates into
/// its accumulator, and finally lets it move the global parameters. Failed and dropped nodes
/// are passed in explicitly.
public protocol FusionStrategy: Sendable {
    /// The accumulator this strategy folds updates into.
    associatedtype Accumulator: UpdateAccumulator

    /// A short identifier such as `fedavg` or `multi-krum`.
    var name: String { get }

    /// How the engine drives rounds for this strategy (default: synchronous).
    var mode: FusionMode { get }

    /// For dynamic fusion: the time window after a round starts within which updates are fused;
    /// later ones count as failures ("timed out"). Nil (the default): wait for the quorum.
    var roundTimeWindow: Duration? { get }

    /// Instructions added to each selected node's training configuration for this round
    /// (e.g. FedProx's `proximal_mu`, dynamic fusion's participation threshold). Default: none.
    func nodeInstructions(round: Int) -> [String: Double]

    /// A fresh accumulator for one round (or one buffer) over `parameterCount` scalars.
    /// - Parameter version: the current global version, for staleness-aware weighting.
    func makeAccumulator(parameterCount: Int, version: Int) -> Accumulator

    /// Applies the fused delta to the global parameters (the server step).
    ///
    /// - Parameters:
    ///   - global: the global parameters, updated in place.
    ///   - fused: the accumulator's fused delta.
    ///   - round: the round (or global version) being completed.
    ///   - failures: the selected nodes that did not contribute, and why.
    mutating func apply(fused: [Float], to global: inout [Float], round: Int, failures: [NodeFailure])

    /// The server state that `apply` carries between rounds (momentum, Adam moments), as named
    /// flat vectors: what a checkpoint must hold besides the model for an exact resume.
    /// Default: none (stateless strategies).
    var serverState: [String: [Float]] { get }

    /// Restores state saved from `serverState` (a resumed run).
    /// - Throws: `FusionError.invalidOption` naming the unknown key or the wrong length.
    mutating func restoreServerState(_ state: [String: [Float]], parameterCount: Int) throws(FusionError)

    /// The fused delta when secure aggregation hides the individual updates and the server
    /// learns only their weighted mean (weights: the nodes' sample counts, or 1 each when the
    /// strategy's instructions say `secure_aggregation_unit_weight`).
    ///
    /// - Parameters:
    ///   - secureMean: Σ wₖ·Δₖ / Σ wₖ over the updates that made it into the secure sum.
    ///   - totalWeight: Σ wₖ.
    ///   - count: how many updates the sum holds.
    /// - Returns: what the accumulator's `fusedDelta()` would have given for those updates, or
    ///   nil when the strategy needs the individual updates (median, trimmed mean, Krum) and so
    ///   cannot work with secure aggregation. Default: nil; strategies fusing by a weighted mean
    ///   (`WeightedMeanAccumulator`) return `secureMean`.
    func fusedDelta(secureMean: [Float], totalWeight: Double, count: Int) -> [Float]?
}

extension FusionStrategy {
    /// Default: this strategy needs every update; it cannot fuse a secure aggregate.
    public func fusedDelta(secureMean: [Float], totalWeight: Double, count: Int) -> [Float]? { nil }

    /// Whether the strategy can work with secure aggregation (it fuses by a weighted mean).
    public var supportsSecureAggregation: Bool {
        mode == .synchronous && fusedDelta(secureMean: [0], totalWeight: 1, count: 1) != nil
    }
}

extension FusionStrategy where Accumulator == WeightedMeanAccumulator {
    /// A weighted-mean strategy fuses a secure aggregate exactly as its accumulator would.
    public func fusedDelta(secureMean: [Float], totalWeight: Double, count: Int) -> [Float]? { secureMean }
}

extension FusionStrategy {
    public var serverState: [String: [Float]] { [:] }

    public mutating func restoreServerState(_ state: [String: [Float]], parameterCount: Int) throws(FusionError) {
        if let key = state.keys.sorted().first {
            throw FusionError(.invalidOption, source: "\(name) server state", "this strategy keeps no server state, but the checkpoint holds '\(key)'")
        }
    }

    /// Checks a saved state holds exactly `keys`, each of `parameterCount` floats (or all empty: not started yet).
    func checkServerState(_ state: [String: [Float]], keys: [String], parameterCount: Int) throws(FusionError) {
        for key in state.keys.sorted() where !keys.contains(key) {
            throw FusionError(.invalidOption, source: "\(name) server state", "unknown key '\(key)'; expected \(keys.joined(separator: ", "))")
        }
        for key in keys {
            let n = state[key]?.count ?? 0
            guard n == 0 || n == parameterCount else {
                throw FusionError(.invalidOption, source: "\(name) server state '\(key)'", "has \(n) floats; expected \(parameterCount) (the model's size) or none")
            }
        }
    }
}

extension FusionStrategy {
    public var mode: FusionMode { .synchronous }
    public var roundTimeWindow: Duration? { nil }
    public func nodeInstructions(round: Int) -> [String: Double] { [:] }
}
