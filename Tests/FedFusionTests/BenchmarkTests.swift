import FedFusion
import Testing
#if canImport(Glibc)
import Glibc
#endif

@Suite struct BenchmarkTests {
    @Test func measureReportsPositiveRates() {
        let r = FusionBenchmark.measureWeightedMean(updateCount: 3, parameterCount: 1000, minSeconds: 0)
        #expect(r.name == "weighted-mean-3x1000")
        #expect(r.rounds >= 3)
        #expect(r.gigabytesPerSecond > 0 && r.readCeilingGigabytesPerSecond > 0 && r.seconds > 0)
    }

    /// The real measurement, off by default (it allocates 400 MB). Run it in a release build:
    /// `FEDFUSION_BENCH=1 swift test -c release --filter FedFusionTests.BenchmarkTests`.
    @Test(.enabled(if: getenv("FEDFUSION_BENCH") != nil))
    func weightedMeanThroughput() {
        let r = FusionBenchmark.measureWeightedMean(updateCount: 100, parameterCount: 1_000_000, minSeconds: 2)
        print("\(r.name): accumulate \(r.gigabytesPerSecond) GB/s of update data (\(r.seconds * 1e3) ms per 100 adds, fuse \(r.fuseSeconds * 1e3) ms); read ceiling \(r.readCeilingGigabytesPerSecond) GB/s; ratio \(r.gigabytesPerSecond / r.readCeilingGigabytesPerSecond); \(r.rounds) rounds")
        #expect(r.gigabytesPerSecond > 0)
    }
}
