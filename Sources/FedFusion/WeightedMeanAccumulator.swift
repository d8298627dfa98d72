/// The accumulator of the linear strategies: a streaming weighted mean Σ nᵢΔᵢ / Σ nᵢ, where nᵢ
/// is the node's sample count (McMahan et al. 2017). Shared by `FedAvg`, `FedProx`, `FedAvgM`,
/// `FedAdagrad`, `FedAdam`, `FedYogi` and `DynamicFusion`.
///
/// Memory: O(d) for d parameters, whatever the number of updates: one running sum, plus up to
/// three not-yet-folded deltas that are retained (not copied) so that the sum is swept once per
/// four updates (see `WeightedSum`).
public struct WeightedMeanAccumulator: UpdateAccumulator {
    var total: WeightedSum

    /// How many updates have been folded in.
    public private(set) var count = 0

    /// A zero accumulator over `parameterCount` scalars.
    /// - Parameter parameterCount: the model's number of scalars, d.
    public init(parameterCount: Int) {
        total = WeightedSum(parameterCount: parameterCount)
    }

    /// The number of scalars each update must have.
    public var parameterCount: Int { total.parameterCount }

    /// Σ nᵢ over the updates folded in so far.
    public var totalWeight: Double { total.totalWeight }

    /// Folds in one update with weight nᵢ = `sampleCount`. A count ≤ 0 weighs nothing (the
    /// update is counted but does not move the mean); the round engine should reject it first.
    /// - Precondition: `update.delta.count == parameterCount`.
    public mutating func add(_ update: NodeUpdate) {
        add(update.delta, weight: Double(max(0, update.sampleCount)))
    }

    /// Folds in one delta with an explicit weight.
    /// - Parameters:
    ///   - delta: d scalars.
    ///   - weight: finite and ≥ 0.
    /// - Precondition: `delta.count == parameterCount`; `weight` finite and ≥ 0.
    public mutating func add(_ delta: [Float], weight: Double) {
        total.add(delta, weight: weight)
        count += 1
    }

    /// Σ nᵢΔᵢ / Σ nᵢ.
    /// - Throws: `FusionError.cannotFuse` when nothing was folded in or the total weight is 0.
    public func fuse() throws(FusionError) -> [Float] {
        guard count > 0 else {
            throw FusionError(.cannotFuse, source: "weighted mean", "no updates were folded in; expected at least 1")
        }
        guard total.totalWeight > 0 else {
            throw FusionError(.cannotFuse, source: "weighted mean", "all \(count) updates reported 0 samples; expected a positive total weight")
        }
        return total.divided(by: total.totalWeight)
    }

    /// `fuse()`, or nil when it throws.
    public func fusedDelta() -> [Float]? { try? fuse() }

    /// The slow twin of the streaming accumulator: Σ wᵢΔᵢ / Σ wᵢ coordinate by coordinate in
    /// Double, from the whole list. Nil for an empty list or a zero total weight.
    package static func naiveWeightedMean(_ terms: [(delta: [Float], weight: Double)]) -> [Float]? {
        guard let d = terms.first?.delta.count else { return nil }
        let totalWeight = terms.reduce(0.0) { $0 + $1.weight }
        guard totalWeight > 0 else { return nil }
        var mean = [Float](repeating: 0, count: d)
        for j in 0..<d {
            var s = 0.0
            for t in terms { s += t.weight * Double(t.delta[j]) }
            mean[j] = Float(s / totalWeight)
        }
        return mean
    }
}
