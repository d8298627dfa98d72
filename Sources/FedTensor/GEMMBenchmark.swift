/// One GEMM shape to benchmark. Names are M×K×N for `C[M×N] = op(A)[M×K] · op(B)[K×N]`,
/// prefixed `gemm-`, then `tn-` (Aᵀ·B), `nt-` (A·Bᵀ) or `tt-` when operands are transposed.
public struct GEMMBenchmarkShape: Sendable, Equatable {
    /// The shape's name, e.g. `gemm-tn-784x32x200`.
    public var name: String
    /// `A` is stored K×M and used transposed.
    public var transA: Bool
    /// `B` is stored N×K and used transposed.
    public var transB: Bool
    /// Rows of C.
    public var m: Int
    /// The inner dimension.
    public var k: Int
    /// Columns of C.
    public var n: Int

    /// Creates a shape; the name defaults to the `gemm-[tn-|nt-|tt-]MxKxN` form.
    public init(name: String? = nil, transA: Bool = false, transB: Bool = false, m: Int, k: Int, n: Int) {
        let prefix = transA || transB ? "\(transA ? "t" : "n")\(transB ? "t" : "n")-" : ""
        self.name = name ?? "gemm-\(prefix)\(m)x\(k)x\(n)"
        self.transA = transA
        self.transB = transB
        self.m = m
        self.k = k
        self.n = n
    }

    /// Parses a name of the `gemm-[tn-|nt-|tt-]MxKxN` form; `nil` for anything else.
    public init?(name: String) {
        var parts = name.split(separator: "-").map(String.init)
        guard parts.first == "gemm", parts.count == 2 || parts.count == 3 else { return nil }
        var transA = false, transB = false
        if parts.count == 3 {
            let flags = Array(parts[1])
            guard flags.count == 2, flags.allSatisfy({ $0 == "n" || $0 == "t" }) else { return nil }
            transA = flags[0] == "t"
            transB = flags[1] == "t"
            parts.remove(at: 1)
        }
        let sizes = parts[1].split(separator: "x").compactMap { Int($0) }
        guard sizes.count == 3, sizes.allSatisfy({ $0 > 0 }) else { return nil }
        self.init(name: name, transA: transA, transB: transB, m: sizes[0], k: sizes[1], n: sizes[2])
    }
}

/// The outcome of timing one GEMM shape.
public struct GEMMBenchmarkResult: Sendable, Equatable {
    /// The shape's name.
    public var name: String
    /// Rows of C.
    public var m: Int
    /// The inner dimension.
    public var k: Int
    /// Columns of C.
    public var n: Int
    /// Threads allowed (`GEMM.threadCount` when not given).
    public var threads: Int
    /// The micro-kernel variant used.
    public var kernel: GEMM.Kernel
    /// 2·M·N·K / `seconds`, in 10⁹ floating-point operations per second.
    public var gflops: Double
    /// Seconds per multiply in the fastest timed repeat.
    public var seconds: Double
    /// Multiplies timed in total (warm-up excluded).
    public var iterations: Int
}

/// Times `GEMM.multiply` (the `feddata bench gemm` command); compare with `scripts/bench_numpy.py`.
public enum GEMMBenchmark {
    /// The shapes compared with NumPy: a large square one, and the 2NN training shapes
    /// (forward, weight gradient Aᵀ·B, input gradient A·Bᵀ).
    public static let standardShapes: [GEMMBenchmarkShape] = [
        GEMMBenchmarkShape(m: 1024, k: 1024, n: 1024),
        GEMMBenchmarkShape(m: 32, k: 784, n: 200),
        GEMMBenchmarkShape(transA: true, m: 784, k: 32, n: 200),
        GEMMBenchmarkShape(transB: true, m: 32, k: 200, n: 784),
    ]

    /// More training shapes: the 2NN's other layers and the CNN's im2col GEMMs with their
    /// gradients (M×K×N as above).
    public static let trainingShapes: [GEMMBenchmarkShape] = [
        GEMMBenchmarkShape(m: 32, k: 200, n: 200),
        GEMMBenchmarkShape(m: 32, k: 200, n: 10),
        GEMMBenchmarkShape(m: 32 * 28 * 28, k: 25, n: 32),
        GEMMBenchmarkShape(transA: true, m: 25, k: 32 * 28 * 28, n: 32),
        GEMMBenchmarkShape(m: 32 * 14 * 14, k: 800, n: 64),
        GEMMBenchmarkShape(transA: true, m: 800, k: 32 * 14 * 14, n: 64),
        GEMMBenchmarkShape(transB: true, m: 32 * 14 * 14, k: 64, n: 800),
        GEMMBenchmarkShape(m: 32, k: 3136, n: 512),
        GEMMBenchmarkShape(transA: true, m: 3136, k: 32, n: 512),
        GEMMBenchmarkShape(transB: true, m: 32, k: 512, n: 3136),
    ]

    /// Times one shape: a warm-up, then seven repeats of about `minSeconds / 7` each; reports
    /// the fastest repeat (the least disturbed on a shared machine).
    ///
    /// - Parameters:
    ///   - name: the label to report.
    ///   - transA, transB, m, k, n: the shape (M×K×N, as in `GEMMBenchmarkShape`).
    ///   - threads: threads allowed; `nil` for `GEMM.threadCount`.
    ///   - minSeconds: total time to spend timing, warm-up excluded.
    ///   - kernel: the micro-kernel variant; `nil` for `GEMM.Kernel.best`.
    public static func measure(
        name: String, transA: Bool, transB: Bool, m: Int, k: Int, n: Int,
        threads: Int?, minSeconds: Double, kernel: GEMM.Kernel? = nil
    ) -> GEMMBenchmarkResult {
        precondition(m > 0 && k > 0 && n > 0, "GEMMBenchmark.measure: sizes must be positive, got \(m)×\(k)×\(n)")
        let threadCount = threads ?? GEMM.threadCount
        let kernel = kernel ?? GEMM.Kernel.best
        var random = SeededRandom(seed: 42)
        let a = (0..<(m * k)).map { _ in random.nextFloat() - 0.5 }
        let b = (0..<(k * n)).map { _ in random.nextFloat() - 0.5 }
        var c = [Float](repeating: 0, count: m * n)

        let clock = ContinuousClock()
        let repeats = 7
        var best = Double.infinity
        var iterations = 0
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    let (aBase, bBase, cBase) = (a.baseAddress!, b.baseAddress!, c.baseAddress!)
                    let call = {
                        GEMM.multiply(
                            transA: transA, transB: transB, m: m, n: n, k: k,
                            a: aBase, lda: transA ? m : k, b: bBase, ldb: transB ? k : n,
                            c: cBase, ldc: n)
                    }
                    GEMM.withKernel(kernel) {
                        GEMM.withThreadCount(threadCount) {
                            // Warm-up: caches, packing buffers, worker threads.
                            let warmUp = clock.now
                            repeat { call() } while seconds(clock.now - warmUp) < min(0.05, minSeconds / 4)
                            for _ in 0..<repeats {
                                var calls = 0
                                let start = clock.now
                                var elapsed = 0.0
                                repeat {
                                    call()
                                    calls += 1
                                    elapsed = seconds(clock.now - start)
                                } while elapsed < minSeconds / Double(repeats)
                                iterations += calls
                                best = min(best, elapsed / Double(calls))
                            }
                        }
                    }
                }
            }
        }
        return GEMMBenchmarkResult(
            name: name, m: m, k: k, n: n, threads: threadCount, kernel: kernel,
            gflops: 2 * Double(m) * Double(n) * Double(k) / best / 1e9, seconds: best, iterations: iterations)
    }

    /// Times `shape`; see `measure(name:transA:transB:m:k:n:threads:minSeconds:kernel:)`.
    public static func measure(
        _ shape: GEMMBenchmarkShape, threads: Int?, minSeconds: Double, kernel: GEMM.Kernel? = nil
    ) -> GEMMBenchmarkResult {
        measure(name: shape.name, transA: shape.transA, transB: shape.transB, m: shape.m, k: shape.k,
                n: shape.n, threads: threads, minSeconds: minSeconds, kernel: kernel)
    }

    private static func seconds(_ duration: Duration) -> Double {
        let parts = duration.components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
