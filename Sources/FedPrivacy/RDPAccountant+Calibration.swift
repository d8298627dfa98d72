/// A noise multiplier found for a privacy target, with the guarantee it gives.
public struct CalibratedNoise: Sendable, Equatable {
    /// The smallest noise multiplier z (to within the search tolerance) whose ε is at most the target.
    public var noiseMultiplier: Double
    /// The (ε, δ) guarantee at `noiseMultiplier` (ε ≤ the target).
    public var guarantee: PrivacyGuarantee
}

extension RDPAccountant {
    /// The largest noise multiplier the calibration searches before giving up.
    public static let maximumSearchedNoiseMultiplier = 1e6

    /// The noise multiplier z for a target ε: the accountant's inverse, by bisection on z
    /// (as Opacus's `get_noise_multiplier`). ε falls as z grows (each order's RDP does), so the
    /// search brackets z by doubling from 1 and then halves the bracket until it is at most
    /// `tolerance` wide. The result z satisfies ε(z) ≤ target < ε(z − tolerance).
    ///
    /// - Parameters:
    ///   - targetEpsilon: ε > 0, finite.
    ///   - samplingRate: q in [0, 1].
    ///   - steps: ≥ 0.
    ///   - delta: δ in (0, 1).
    ///   - orders: the grid (default `defaultOrders`).
    ///   - conversion: default `.improved`.
    ///   - tolerance: the absolute precision of z, > 0 (default 10⁻⁴).
    /// - Returns: z and its guarantee; z = 0 when no noise is needed (q = 0 or no steps).
    /// - Throws: `PrivacyError.invalidArgument` naming the argument out of range;
    ///   `PrivacyError.unreachable` when even z = `maximumSearchedNoiseMultiplier` gives more
    ///   than the target.
    public static func noiseMultiplier(targetEpsilon: Double, samplingRate: Double, steps: Int, delta: Double,
                                       orders: [Double] = defaultOrders, conversion: RDPConversion = .improved,
                                       tolerance: Double = 1e-4) throws(PrivacyError) -> CalibratedNoise {
        try ArgumentCheck.positive(targetEpsilon, "targetEpsilon", of: "noise calibration")
        try ArgumentCheck.positive(tolerance, "tolerance", of: "noise calibration")
        try ArgumentCheck.unitOpen(delta, "delta", of: "noise calibration")
        _ = try RDPAccountant(orders: orders)
        func guarantee(_ z: Double) throws(PrivacyError) -> PrivacyGuarantee {
            try epsilon(samplingRate: samplingRate, noiseMultiplier: z, steps: steps, delta: delta, orders: orders, conversion: conversion)
        }
        let atZero = try guarantee(0)
        if atZero.epsilon <= targetEpsilon { return CalibratedNoise(noiseMultiplier: 0, guarantee: atZero) }
        var low = 0.0
        var high = 1.0
        var atHigh = try guarantee(high)
        while atHigh.epsilon > targetEpsilon {
            low = high
            high *= 2
            guard high <= maximumSearchedNoiseMultiplier else {
                throw PrivacyError(.unreachable, source: "noise calibration",
                                   "no noise multiplier up to \(maximumSearchedNoiseMultiplier) gives ε ≤ \(targetEpsilon) at δ = \(delta) for q = \(samplingRate) and \(steps) steps")
            }
            atHigh = try guarantee(high)
        }
        while high - low > tolerance {
            let middle = (low + high) / 2
            let atMiddle = try guarantee(middle)
            if atMiddle.epsilon <= targetEpsilon {
                high = middle
                atHigh = atMiddle
            } else {
                low = middle
            }
        }
        return CalibratedNoise(noiseMultiplier: high, guarantee: atHigh)
    }

    /// The most steps a budget allows: the largest T with ε(T) ≤ `epsilon` (ε grows with T).
    ///
    /// - Parameters:
    ///   - epsilon: the budget's ε > 0, finite.
    ///   - samplingRate: q in [0, 1].
    ///   - noiseMultiplier: z ≥ 0.
    ///   - delta: δ in (0, 1).
    ///   - orders: the grid (default `defaultOrders`).
    ///   - conversion: default `.improved`.
    ///   - limit: the largest answer searched, ≥ 0 (default 10⁹): the result is `limit` when even
    ///     that many steps fit the budget (for q = 0, any number does).
    /// - Returns: T in 0…limit (0 when even one step exceeds the budget).
    /// - Throws: `PrivacyError.invalidArgument` naming the argument out of range.
    public static func maximumSteps(epsilon budget: Double, samplingRate: Double, noiseMultiplier: Double, delta: Double,
                                    orders: [Double] = defaultOrders, conversion: RDPConversion = .improved,
                                    limit: Int = 1_000_000_000) throws(PrivacyError) -> Int {
        try ArgumentCheck.positive(budget, "epsilon", of: "step budget")
        try ArgumentCheck.unitOpen(delta, "delta", of: "step budget")
        try ArgumentCheck.count(limit, "limit", of: "step budget")
        let step = try stepRDP(samplingRate: samplingRate, noiseMultiplier: noiseMultiplier, orders: try RDPAccountant(orders: orders).orders)
        func fits(_ steps: Int) -> Bool {
            let rdp = step.map { $0 == 0 ? 0 : Double(steps) * $0 }
            return conversion.guarantee(rdp: rdp, orders: orders, delta: delta).epsilon <= budget
        }
        guard limit > 0, fits(1) else { return 0 }
        if fits(limit) { return limit }
        // fits(low) and !fits(high).
        var low = 1, high = 2
        while high < limit && fits(high) {
            low = high
            high = min(limit, high * 2)
        }
        while high - low > 1 {
            let middle = low + (high - low) / 2
            if fits(middle) { low = middle } else { high = middle }
        }
        return low
    }
}
