/// Measures SecAgg+ against plain aggregation for n nodes and m parameters: wall time of one
/// whole in-process round (quantize, four stages with every message encoded and decoded, unmask,
/// decode) against summing n float32 vectors, and bytes on the wire against 4·m per node.
/// The command line exposes it as `feddata bench secagg` (names `secagg-<n>x<m>`).
public enum SecureAggregationBenchmark {
    /// The named cases.
    public static let standardNames = ["secagg-100x100000", "secagg-100x1000000"]

    /// One measurement.
    public struct Report: Sendable, CustomStringConvertible {
        /// `secagg-<n>x<m>`.
        public var name: String
        /// n.
        public var nodeCount: Int
        /// m, parameters per node.
        public var parameterCount: Int
        /// k and t used.
        public var degree: Int
        /// t.
        public var threshold: Int
        /// Nodes that dropped before sending their masked input.
        public var dropouts: Int
        /// Seconds for the SecAgg+ round (all n clients and the server, sequentially in one process).
        public var secureSeconds: Double
        /// Seconds to sum the n float32 vectors in the clear.
        public var plainSeconds: Double
        /// secureSeconds / plainSeconds.
        public var timeRatio: Double
        /// All SecAgg+ bytes: client → server plus server → client.
        public var secureBytes: Int
        /// Client → server bytes alone.
        public var secureClientBytes: Int
        /// Plain bytes: 4·m per surviving node (float32 upload; dropped nodes send nothing).
        public var plainBytes: Int
        /// secureBytes / plainBytes.
        public var bytesRatio: Double
        /// Largest |SecAgg mean − plain mean| over coordinates (≤ 2c/L plus float rounding).
        public var maxAbsoluteError: Double
        /// 2c/L, the quantization bound.
        public var errorBound: Double

        public var description: String {
            "\(name): n=\(nodeCount) m=\(parameterCount) k=\(degree) t=\(threshold) dropouts=\(dropouts) " +
            "time_ratio=\(timeRatio) (secagg \(secureSeconds)s, plain \(plainSeconds)s) " +
            "bytes_ratio=\(bytesRatio) (secagg \(secureBytes) B, plain \(plainBytes) B) max_error=\(maxAbsoluteError) bound=\(errorBound)"
        }
    }

    /// Parses `secagg-<n>x<m>`; nil for other names.
    public static func parse(name: String) -> (nodeCount: Int, parameterCount: Int)? {
        guard name.hasPrefix("secagg-") else { return nil }
        let parts = name.dropFirst("secagg-".count).split(separator: "x")
        guard parts.count == 2, let n = Int(parts[0]), let m = Int(parts[1]), n >= 2, m >= 1 else { return nil }
        return (n, m)
    }

    /// Runs a named case (`secagg-100x100000`, …).
    /// - Throws: ``SecureAggregationError`` (`invalidConfiguration`) for an unknown name, or the round's error.
    public static func run(named name: String, seed: UInt64 = 1) throws -> Report {
        guard let (n, m) = parse(name: name) else {
            throw SecureAggregationError(.invalidConfiguration, stage: .setup, "benchmark name \"\(name)\": expected secagg-<nodes>x<parameters>, e.g. secagg-100x100000")
        }
        return try run(nodeCount: n, parameterCount: m, seed: seed)
    }

    /// Runs one measurement.
    /// - Parameters:
    ///   - nodeCount: n ≥ 2.
    ///   - parameterCount: m ≥ 1.
    ///   - dropoutRate: fraction of nodes that drop before sending their masked input (default 0).
    ///   - seed: seeds the synthetic deltas, weights and stochastic rounding (not the crypto).
    /// - Throws: ``SecureAggregationError`` for invalid sizes or a failed round.
    public static func run(nodeCount n: Int, parameterCount m: Int, dropoutRate: Double = 0, seed: UInt64 = 1) throws -> Report {
        let graph = try SecureAggregationConfiguration.recommendedGraph(nodeCount: n, adversarialRate: 0.05, dropoutRate: max(dropoutRate, 0.33))
        var rng = SplitMix64(seed: seed)
        var graphSeed = [UInt8]()
        for _ in 0..<4 { withUnsafeBytes(of: rng.next()) { graphSeed.append(contentsOf: $0) } }
        let ids = (0..<n).map { UInt64($0 + 1) }
        let config = try SecureAggregationConfiguration(federationID: "bench", roundID: 1, participants: ids, degree: graph.degree,
                                                        threshold: graph.threshold, bitWidth: 32, vectorLength: m + 1, graphSeed: graphSeed)
        let quantizer = try UpdateQuantizer(nodeCount: n)
        var updates = [UInt64: (delta: [Float], weight: Int)]()
        for id in ids {
            let delta = (0..<m).map { _ in Float(Double(rng.next() >> 11) * 0x1p-53 * 2 - 1) }
            updates[id] = (delta, 1 + Int(rng.next() % 100))
        }
        let dropCount = Int(dropoutRate * Double(n))
        var dropouts = [UInt64: SecureAggregationSession.Dropout]()
        for id in ids.suffix(dropCount) { dropouts[id] = .beforeMaskedInput }

        let clock = ContinuousClock()
        var secure: (mean: [Float], totalWeight: Int, result: SecureAggregationSession.Result)? = nil
        let secureTime = try clock.measure {
            secure = try SecureAggregationSession.runWeightedMean(configuration: config, quantizer: quantizer, updates: updates,
                                                                  dropouts: dropouts, using: &rng)
        }
        // Plain: the weighted sum of float32 vectors a server without SecAgg computes.
        let survivors = ids.filter { dropouts[$0] == nil }
        var plain = [Float](repeating: 0, count: m)
        var weight: Float = 0
        let plainTime = clock.measure {
            for id in survivors {
                let (delta, w) = updates[id]!
                let fw = Float(w)
                plain.withUnsafeMutableBufferPointer { acc in
                    delta.withUnsafeBufferPointer { d in for i in 0..<m { acc[i] += fw * d[i] } }
                }
                weight += fw
            }
            for i in 0..<m { plain[i] /= weight }
        }
        let s = secure!
        var maxError = 0.0
        for i in 0..<m { maxError = max(maxError, Double(abs(s.mean[i] - plain[i]))) }
        let secureBytes = s.result.clientBytes + s.result.serverBytes
        let plainBytes = 4 * m * survivors.count
        let secs = seconds(secureTime), plainSecs = max(seconds(plainTime), 1e-9)
        return Report(name: "secagg-\(n)x\(m)", nodeCount: n, parameterCount: m, degree: config.degree, threshold: config.threshold,
                      dropouts: dropCount, secureSeconds: secs, plainSeconds: plainSecs, timeRatio: secs / plainSecs,
                      secureBytes: secureBytes, secureClientBytes: s.result.clientBytes, plainBytes: plainBytes,
                      bytesRatio: Double(secureBytes) / Double(plainBytes), maxAbsoluteError: maxError, errorBound: quantizer.errorBound)
    }

    static func seconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return Double(s) + Double(atto) * 1e-18
    }
}

/// SplitMix64: the benchmark's seeded (non-cryptographic) generator for synthetic data and
/// stochastic rounding.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
