/// Any fusion strategy behind one concrete type, so that a strategy can be chosen at run time
/// (`StrategyCatalog.make(name:options:)`) and handed to generic code such as the round engine.
/// Its accumulator is an `AnyUpdateAccumulator` wrapping the strategy's own.
public struct AnyFusionStrategy: FusionStrategy {
    /// The wrapped strategy, with its server state.
    public private(set) var base: any FusionStrategy

    /// Wraps `strategy` (an `AnyFusionStrategy` is not wrapped twice).
    /// - Parameter strategy: the strategy to wrap.
    public init(_ strategy: some FusionStrategy) {
        if let erased = strategy as? AnyFusionStrategy {
            self = erased
        } else {
            base = strategy
        }
    }

    /// The wrapped strategy's name.
    public var name: String { base.name }

    /// The wrapped strategy's mode.
    public var mode: FusionMode { base.mode }

    /// The wrapped strategy's time window.
    public var roundTimeWindow: Duration? { base.roundTimeWindow }

    /// The wrapped strategy's node instructions.
    public func nodeInstructions(round: Int) -> [String: Double] { base.nodeInstructions(round: round) }

    /// The wrapped strategy's accumulator, type-erased.
    public func makeAccumulator(parameterCount: Int, version: Int) -> AnyUpdateAccumulator {
        AnyUpdateAccumulator(base.makeAccumulator(parameterCount: parameterCount, version: version))
    }

    /// The wrapped strategy's server step (its state, such as momentum, is kept in `base`).
    public mutating func apply(fused: [Float], to global: inout [Float], round: Int, failures: [NodeFailure]) {
        base.apply(fused: fused, to: &global, round: round, failures: failures)
    }

    /// The wrapped strategy's server state.
    public var serverState: [String: [Float]] { base.serverState }

    /// Restores the wrapped strategy's server state.
    public mutating func restoreServerState(_ state: [String: [Float]], parameterCount: Int) throws(FusionError) {
        try base.restoreServerState(state, parameterCount: parameterCount)
    }

    public func fusedDelta(secureMean: [Float], totalWeight: Double, count: Int) -> [Float]? {
        base.fusedDelta(secureMean: secureMean, totalWeight: totalWeight, count: count)
    }
}
