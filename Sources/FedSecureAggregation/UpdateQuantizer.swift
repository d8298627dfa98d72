/// Encodes a node's model delta and sample count as words of Z_{2^b} so that the modular sum of
/// n encodings decodes to the weighted mean, and never wraps.
///
/// Encoding (Flower's `[w, w·x]` trick, weight last): with clipping range c, weight
/// w ∈ 1 … maxWeight (larger weights are capped) and L quantization levels,
///
///     word_i = stochasticRound( w · (clamp(x_i, −c, c) + c) / (2c) · L ),   i < m
///     word_m = w
///
/// so word_i ≤ w·L. L is the largest power of two with n · maxWeight · L < 2^b, hence the sum of
/// n words never reaches 2^b. Decoding the sum S (total weight W = S_m):
///
///     mean_i = S_i · 2c / (L · W) − c.
///
/// **Error bound.** Each stochastic rounding moves its word by less than 1 and is unbiased, so
/// |S_i − exact| < (number of nodes) ≤ W (weights are ≥ 1), and
/// |decoded_i − Σ w_k clamp(x_k,i) / W| < 2c / L per coordinate; the expected error is 0.
public struct UpdateQuantizer: Sendable, Hashable {
    /// n, the most inputs that will be summed.
    public let nodeCount: Int
    /// b, bits per word.
    public let bitWidth: Int
    /// c: coordinates are clamped to [−c, c].
    public let clippingRange: Float
    /// The largest weight (larger ones are capped to it).
    public let maxWeight: Int
    /// L, quantization levels (a power of two).
    public let levels: UInt64

    /// Chooses L for the given sizes.
    /// - Parameters:
    ///   - nodeCount: n ≥ 1.
    ///   - bitWidth: b, 1 … 32 (default 32).
    ///   - clippingRange: c > 0 (default 8, as Flower).
    ///   - maxWeight: ≥ 1 (default 1000).
    /// - Throws: ``SecureAggregationError`` (`invalidConfiguration`) for out-of-range values or when
    ///   n · maxWeight ≥ 2^b (not even one level fits).
    public init(nodeCount: Int, bitWidth: Int = 32, clippingRange: Float = 8, maxWeight: Int = 1000) throws {
        func bad(_ m: String) -> SecureAggregationError { SecureAggregationError(.invalidConfiguration, stage: .setup, "quantizer: \(m)") }
        guard nodeCount >= 1 else { throw bad("node count must be ≥ 1, got \(nodeCount)") }
        guard (1...32).contains(bitWidth) else { throw bad("bit width must be 1 … 32, got \(bitWidth)") }
        guard clippingRange.isFinite && clippingRange > 0 else { throw bad("clipping range must be finite and > 0, got \(clippingRange)") }
        guard maxWeight >= 1 else { throw bad("max weight must be ≥ 1, got \(maxWeight)") }
        let capacity = (UInt64(1) << UInt64(bitWidth)) - 1
        let perLevel = UInt64(nodeCount).multipliedReportingOverflow(by: UInt64(maxWeight))
        guard !perLevel.overflow, perLevel.partialValue <= capacity else {
            throw bad("\(nodeCount) nodes × max weight \(maxWeight) do not fit in \(bitWidth) bits")
        }
        let maxLevels = capacity / perLevel.partialValue
        var l: UInt64 = 1
        while l * 2 <= maxLevels { l *= 2 }
        self.nodeCount = nodeCount
        self.bitWidth = bitWidth
        self.clippingRange = clippingRange
        self.maxWeight = maxWeight
        self.levels = l
    }

    /// The per-coordinate bound on |decoded − true weighted mean of clamped values|: 2c / L.
    public var errorBound: Double { 2 * Double(clippingRange) / Double(levels) }

    /// Words per encoded vector for `parameterCount` parameters (one more, for the weight).
    public func encodedLength(parameterCount: Int) -> Int { parameterCount + 1 }

    /// Encodes `values` with weight `weight`, rounding stochastically with randomness from `generator`.
    /// - Throws: ``SecureAggregationError`` (`invalidInput`) for a non-finite value (naming its
    ///   index) or a weight < 1.
    public func encode(_ values: [Float], weight: Int, using generator: inout some RandomNumberGenerator) throws -> [UInt32] {
        guard weight >= 1 else {
            throw SecureAggregationError(.invalidInput, stage: .setup, "quantizer: weight must be ≥ 1 (a sample count), got \(weight)")
        }
        if let i = values.firstIndex(where: { !$0.isFinite }) {
            throw SecureAggregationError(.invalidInput, stage: .setup, "quantizer: value \(i) is \(values[i]), expected a finite number")
        }
        let w = min(weight, maxWeight)
        let c = Double(clippingRange)
        let scale = Double(w) * Double(levels) / (2 * c)
        let top = Double(UInt64(w) * levels)
        var out = [UInt32](repeating: 0, count: values.count + 1)
        for (i, x) in values.enumerated() {
            let v = min(max((min(max(Double(x), -c), c) + c) * scale, 0), top)
            let f = v.rounded(.down)
            let u = Double(generator.next() >> 11) * 0x1p-53 // uniform in [0, 1)
            out[i] = UInt32(f + (u < v - f ? 1 : 0))
        }
        out[values.count] = UInt32(w)
        return out
    }

    /// Decodes the exact modular sum of encodings into the weighted mean and the total weight.
    /// - Throws: ``SecureAggregationError`` (`invalidInput`) for an empty sum, a total weight of 0
    ///   or above n · maxWeight, or a coordinate above W · L (the sum is not a sum of encodings).
    public func decode(sum: [UInt32]) throws -> (mean: [Float], totalWeight: Int) {
        guard let last = sum.last else {
            throw SecureAggregationError(.invalidInput, stage: .completed, "quantizer: empty sum, expected parameters and a weight word")
        }
        let w = UInt64(last)
        guard w >= 1 && w <= UInt64(nodeCount) * UInt64(maxWeight) else {
            throw SecureAggregationError(.invalidInput, stage: .completed, "quantizer: total weight \(w) is outside 1 … \(nodeCount * maxWeight)")
        }
        let top = w * levels
        let c = Double(clippingRange)
        let scale = 2 * c / (Double(levels) * Double(w))
        var mean = [Float](repeating: 0, count: sum.count - 1)
        for i in 0..<(sum.count - 1) {
            guard UInt64(sum[i]) <= top else {
                throw SecureAggregationError(.invalidInput, stage: .completed, "quantizer: sum word \(i) is \(sum[i]), above W·L = \(top)")
            }
            mean[i] = Float(Double(sum[i]) * scale - c)
        }
        return (mean, Int(w))
    }
}
