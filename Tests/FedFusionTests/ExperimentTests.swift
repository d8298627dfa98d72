import Testing
import FedFusion
import FedTensor
#if canImport(Glibc)
import Glibc
#endif

// TEMPORARY: Float vs Double running sum, direct vs erased accumulator.
@Suite struct ExperimentTests {
    @Test(.enabled(if: getenv("FEDFUSION_BENCH") != nil))
    func compare() throws {
        let k = 100, d = 1_000_000
        var rng = SeededRandom(seed: 3)
        let updates = (0..<k).map { i in NodeUpdate(nodeID: "n\(i)", delta: (0..<d).map { _ in rng.nextFloat() - 0.5 }, sampleCount: 1 + i % 7, baseVersion: 0) }
        let clock = ContinuousClock()
        func secs(_ x: Duration) -> Double { Double(x.components.seconds) + Double(x.components.attoseconds) * 1e-18 }
        let gb = Double(k * d * 4) / 1e9
        for _ in 0..<3 {
            // Double sum
            var best = Double.infinity
            for _ in 0..<4 {
                var sum = [Double](repeating: 0, count: d)
                let t0 = clock.now
                for u in updates {
                    let w = Double(u.sampleCount)
                    sum.withUnsafeMutableBufferPointer { s in
                        u.delta.withUnsafeBufferPointer { x in
                            let so = s.baseAddress!, xo = x.baseAddress!
                            for i in 0..<d { so[i] += w * Double(xo[i]) }
                        }
                    }
                }
                best = min(best, secs(clock.now - t0))
                #expect(sum[7].isFinite)
            }
            print("double sum: \(gb / best) GB/s")
            // Float, direct
            best = .infinity
            for _ in 0..<4 {
                var a = WeightedMeanAccumulator(parameterCount: d)
                let t0 = clock.now
                for u in updates { a.add(u) }
                best = min(best, secs(clock.now - t0))
                #expect(a.count == k)
            }
            print("float direct: \(gb / best) GB/s")
            // Float, erased
            best = .infinity
            let strategy = try StrategyCatalog.make(name: "fedavg")
            for _ in 0..<4 {
                var a = strategy.makeAccumulator(parameterCount: d, version: 0)
                let t0 = clock.now
                for u in updates { a.add(u) }
                best = min(best, secs(clock.now - t0))
                #expect(a.count == k)
            }
            print("float erased: \(gb / best) GB/s")
        }
        // accuracy: Float sum vs Double sum vs exact-ish (Double naive)
        let terms = updates.prefix(100).map { ($0.delta, Double($0.sampleCount)) }
        var a = WeightedMeanAccumulator(parameterCount: d)
        for t in terms { a.add(t.0, weight: t.1) }
        let fast = a.fusedDelta()!
        let naive = WeightedMeanAccumulator.naiveWeightedMean(terms.map { (delta: $0.0, weight: $0.1) })!
        var maxErr: Float = 0, maxAbs: Float = 0
        for i in 0..<d { maxErr = max(maxErr, abs(fast[i] - naive[i])); maxAbs = max(maxAbs, abs(naive[i])) }
        print("max abs error float-sum vs double: \(maxErr) (max |mean| \(maxAbs))")
    }
}
