/// Any accumulator behind one concrete type, for `AnyFusionStrategy`.
///
/// Mutation goes through the existential in place (no copy of the accumulator's running sum
/// per update); one dynamic call per update, none per scalar.
public struct AnyUpdateAccumulator: UpdateAccumulator {
    /// The wrapped accumulator.
    public private(set) var base: any UpdateAccumulator

    /// Wraps `base` (an `AnyUpdateAccumulator` is not wrapped twice).
    /// - Parameter base: the accumulator to wrap.
    public init(_ base: some UpdateAccumulator) {
        if let erased = base as? AnyUpdateAccumulator {
            self = erased
        } else {
            self.base = base
        }
    }

    /// Folds one update into the wrapped accumulator.
    public mutating func add(_ update: NodeUpdate) { base.add(update) }

    /// The wrapped accumulator's count.
    public var count: Int { base.count }

    /// The wrapped accumulator's fused delta.
    public func fusedDelta() -> [Float]? { base.fusedDelta() }

    /// The fused delta, or the reason there is none: FedFusion's accumulators say why (too few
    /// updates for Krum, zero total weight, …); others get a generic `cannotFuse`.
    /// - Throws: `FusionError.cannotFuse`.
    public func fuse() throws(FusionError) -> [Float] {
        if let explaining = base as? any ExplainingAccumulator { return try explaining.fuse() }
        guard let fused = base.fusedDelta() else {
            throw FusionError(.cannotFuse, source: "\(type(of: base))", "the accumulator produced no fused delta from \(base.count) updates")
        }
        return fused
    }
}

/// An accumulator whose `fuse()` throws a `FusionError` saying why there is no fused delta.
protocol ExplainingAccumulator: UpdateAccumulator {
    func fuse() throws(FusionError) -> [Float]
}

extension WeightedMeanAccumulator: ExplainingAccumulator {}
extension BufferedAccumulator: ExplainingAccumulator {}
extension RobustAccumulator: ExplainingAccumulator {}
