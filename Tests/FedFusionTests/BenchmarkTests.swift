import Testing
import FedFusion
#if canImport(Glibc)
import Glibc
#endif

/// Throughput of the weighted-mean accumulate loop. Off by default (it allocates 400 MB);
/// run it in a release build: `FEDFUSION_BENCH=1 swift test -c release --filter BenchmarkTests`.
@Suite struct BenchmarkTests {
    @Test(.enabled(if: getenv("FEDFUSION_BENCH") != nil))
    func weightedMeanThroughput() {
        let r = FusionBenchmark.measureWeightedMean(updateCount: 100, parameterCount: 1_000_000, minSeconds: 2)
        print("\(r.name): \(r.gigabytesPerSecond) GB/s of update data, \(r.seconds * 1e3) ms per round of adds, fuse \(r.fuseSeconds * 1e3) ms, \(r.rounds) rounds")
        #expect(r.gigabytesPerSecond > 0)
    }
}
