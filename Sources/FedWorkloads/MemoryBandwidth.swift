/// The machine's memory bandwidth, measured like STREAM's read-only "sum" kernel: one thread
/// sums an array far larger than the last-level cache (`s += a[i]`), and the bytes read per
/// second are reported. This is the ceiling for fusion, which streams node updates from memory.
public enum MemoryBandwidth {
    /// Gigabytes (10⁹ bytes) read per second in the fastest of several passes.
    /// - Parameters:
    ///   - count: floats in the array (default 64 Mi floats, 256 MiB).
    ///   - minSeconds: timing budget (at least 3 passes are timed).
    public static func measureSum(count: Int = 64 << 20, minSeconds: Double = 1) -> Double {
        var a = [Float](repeating: 0, count: count)
        for i in stride(from: 0, to: count, by: 1024) { a[i] = Float(i & 7) }  // touch every page
        var best = Double.infinity, spent = 0.0, passes = 0
        var sink: Float = 0
        while passes < 3 || spent < minSeconds {
            let start = ContinuousClock.now
            sink += sum(a)
            let s = elapsedSeconds(since: start)
            best = min(best, s)
            spent += s
            passes += 1
        }
        precondition(sink.isFinite)
        return Double(count * MemoryLayout<Float>.size) / best / 1e9
    }

    /// The sum of `a`, read as four interleaved streams (its quarters) with SIMD accumulators,
    /// which keeps enough cache misses in flight for one core to approach its bandwidth.
    static func sum(_ a: [Float]) -> Float {
        a.withUnsafeBufferPointer { buf in
            let quarter = buf.count / 4
            let n = quarter / 8
            var s0 = SIMD8<Float>(), s1 = SIMD8<Float>(), s2 = SIMD8<Float>(), s3 = SIMD8<Float>()
            let raw = UnsafeRawPointer(buf.baseAddress!)
            let q = quarter * 4  // bytes per quarter
            for i in 0..<n {
                let p = raw + i * 32
                s0 += p.loadUnaligned(as: SIMD8<Float>.self)
                s1 += p.loadUnaligned(fromByteOffset: q, as: SIMD8<Float>.self)
                s2 += p.loadUnaligned(fromByteOffset: 2 * q, as: SIMD8<Float>.self)
                s3 += p.loadUnaligned(fromByteOffset: 3 * q, as: SIMD8<Float>.self)
            }
            var total = (s0 + s1 + s2 + s3).sum()
            for k in 0..<4 { for i in (k * quarter + n * 8)..<(k * quarter + quarter) { total += buf[i] } }
            for i in (4 * quarter)..<buf.count { total += buf[i] }
            return total
        }
    }
}
