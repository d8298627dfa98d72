import FedTensor

/// The outcome of timing the weighted-mean accumulate loop.
public struct FusionBenchmarkResult: Sendable, Equatable {
    /// The benchmark's name, e.g. `weighted-mean-100x1000000`.
    public var name: String
    /// Updates folded in per round, k.
    public var updateCount: Int
    /// Scalars per update, d.
    public var parameterCount: Int
    /// k·d·4 bytes of update data read / `seconds`, in 10⁹ bytes per second.
    public var gigabytesPerSecond: Double
    /// Seconds to fold in the k updates, fastest timed round (the final division excluded).
    public var seconds: Double
    /// Seconds for the final Σ/W pass of that round (`fuse()`).
    public var fuseSeconds: Double
    /// The same update bytes merely read (an integer sum over four interleaved streams, which
    /// keeps more cache misses in flight than one stream does), in 10⁹ bytes per second, measured
    /// in the same run: the ceiling to compare `gigabytesPerSecond` with on a shared machine.
    public var readCeilingGigabytesPerSecond: Double
    /// Rounds timed.
    public var rounds: Int
}

/// Times `WeightedMeanAccumulator.add` against memory bandwidth (a `feddata bench` target).
/// The k updates (400 MB for 100 × 1,000,000) are far larger than the last-level cache, so each
/// round streams them from memory; the running sum stays in cache.
public enum FusionBenchmark {
    /// Folds `updateCount` random updates of `parameterCount` scalars into a fresh accumulator,
    /// round after round for at least `minSeconds`, and reports the fastest round.
    /// - Parameters:
    ///   - updateCount: k ≥ 1 (default 100).
    ///   - parameterCount: d ≥ 1 (default 1,000,000).
    ///   - minSeconds: timing budget (default 1; at least 3 rounds are timed).
    ///   - seed: for the random updates.
    public static func measureWeightedMean(updateCount: Int = 100, parameterCount: Int = 1_000_000, minSeconds: Double = 1, seed: UInt64 = 1) -> FusionBenchmarkResult {
        precondition(updateCount >= 1 && parameterCount >= 1, "updateCount and parameterCount must be ≥ 1")
        var rng = SeededRandom(seed: seed)
        let updates = (0..<updateCount).map { i in
            NodeUpdate(nodeID: "node-\(i)", delta: (0..<parameterCount).map { _ in rng.nextFloat() - 0.5 }, sampleCount: 1 + i % 7, baseVersion: 0)
        }
        let clock = ContinuousClock()
        var best = Double.infinity, bestFuse = Double.infinity, rounds = 0, spent = 0.0
        var checksum: Float = 0
        while rounds < 3 || spent < minSeconds {
            var accumulator = WeightedMeanAccumulator(parameterCount: parameterCount)
            let start = clock.now
            for u in updates { accumulator.add(u) }
            let added = clock.now
            let fused = accumulator.fusedDelta()
            let end = clock.now
            checksum += fused?[rounds % parameterCount] ?? 0
            let addSeconds = seconds(added - start)
            if addSeconds < best {
                best = addSeconds
                bestFuse = seconds(end - added)
            }
            spent += seconds(end - start)
            rounds += 1
        }
        var bestRead = Double.infinity
        for _ in 0..<max(3, rounds / 2) {
            let start = clock.now
            var bits: UInt32 = 0
            for u in updates { bits &+= readAll(u.delta) }
            bestRead = min(bestRead, seconds(clock.now - start))
            checksum += Float(bits >> 31)  // 0 or 1: uses the read so that it is not optimized away
        }
        precondition(checksum.isFinite, "the benchmark's fused deltas must be finite")
        let bytes = Double(updateCount) * Double(parameterCount) * Double(MemoryLayout<Float>.size)
        return FusionBenchmarkResult(
            name: "weighted-mean-\(updateCount)x\(parameterCount)", updateCount: updateCount, parameterCount: parameterCount,
            gigabytesPerSecond: bytes / best / 1e9, seconds: best, fuseSeconds: bestFuse,
            readCeilingGigabytesPerSecond: bytes / bestRead / 1e9, rounds: rounds)
    }

    /// A wrapping integer sum of `x`'s bit patterns, read as four interleaved streams.
    static func readAll(_ x: [Float]) -> UInt32 {
        x.withUnsafeBufferPointer { f in
            f.withMemoryRebound(to: UInt32.self) { b in
                let q = b.count / 4
                var s0: UInt32 = 0, s1: UInt32 = 0, s2: UInt32 = 0, s3: UInt32 = 0
                for i in 0..<q {
                    s0 &+= b[i]
                    s1 &+= b[i + q]
                    s2 &+= b[i + 2 * q]
                    s3 &+= b[i + 3 * q]
                }
                for i in (4 * q)..<b.count { s0 &+= b[i] }
                return s0 &+ s1 &+ s2 &+ s3
            }
        }
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
