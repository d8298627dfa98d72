import Synchronization
import Testing

@testable import FedTensor

/// One GEMM call to check: sizes are M×K×N (C[M×N] = alpha · op(A)[M×K] · op(B)[K×N] + beta · C).
struct GEMMCase: Sendable, CustomTestStringConvertible {
    var m: Int
    var k: Int
    var n: Int
    var transA = false
    var transB = false
    var alpha: Float = 1
    var beta: Float = 0
    /// Extra elements per row beyond the row length (lda, ldb, ldc larger than needed).
    var pad = 0

    var testDescription: String {
        "\(transA ? "t" : "n")\(transB ? "t" : "n") \(m)×\(k)×\(n) alpha \(alpha) beta \(beta) pad \(pad)"
    }
}

/// The operands of a case, filled from a seeded generator; padding holds NaN (A, B: must not
/// be used) or a sentinel (C: must not be written).
struct GEMMOperands {
    static let sentinel: Float = 12345
    let spec: GEMMCase
    let lda: Int, ldb: Int, ldc: Int
    let a: [Float], b: [Float]
    var c: [Float]

    init(_ spec: GEMMCase, seed: UInt64 = 1) {
        self.spec = spec
        var random = SeededRandom(seed: seed)
        let (aRows, aCols) = spec.transA ? (spec.k, spec.m) : (spec.m, spec.k)
        let (bRows, bCols) = spec.transB ? (spec.n, spec.k) : (spec.k, spec.n)
        lda = aCols + spec.pad
        ldb = bCols + spec.pad
        ldc = spec.n + spec.pad
        func matrix(rows: Int, cols: Int, stride: Int, padValue: Float) -> [Float] {
            var values = [Float](repeating: padValue, count: max(1, rows * stride))
            for i in 0..<rows {
                for j in 0..<cols { values[i * stride + j] = random.nextFloat() * 2 - 1 }
            }
            return values
        }
        a = matrix(rows: aRows, cols: aCols, stride: lda, padValue: .nan)
        b = matrix(rows: bRows, cols: bCols, stride: ldb, padValue: .nan)
        c = matrix(rows: spec.m, cols: spec.n, stride: ldc, padValue: Self.sentinel)
        if spec.beta == 0 {
            // C must not be read when beta == 0.
            for i in 0..<spec.m { for j in 0..<spec.n { c[i * ldc + j] = .nan } }
        }
    }

    mutating func run(fast: Bool) {
        let s = spec, lda = lda, ldb = ldb, ldc = ldc
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                c.withUnsafeMutableBufferPointer { c in
                    if fast {
                        GEMM.multiply(
                            transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k, alpha: s.alpha,
                            a: a.baseAddress!, lda: lda, b: b.baseAddress!, ldb: ldb,
                            beta: s.beta, c: c.baseAddress!, ldc: ldc)
                    } else {
                        GEMM.naive(
                            transA: s.transA, transB: s.transB, m: s.m, n: s.n, k: s.k, alpha: s.alpha,
                            a: a.baseAddress!, lda: lda, b: b.baseAddress!, ldb: ldb,
                            beta: s.beta, c: c.baseAddress!, ldc: ldc)
                    }
                }
            }
        }
    }
}

/// Runs the fast path and the naive one on the same operands; returns a failure message or nil.
/// Tolerance: 1e-5 · k · max|a| · max|b| · |alpha| (+ 1e-6 · |beta| · max|c|); inputs are in (-1, 1).
func compareWithNaive(_ spec: GEMMCase, seed: UInt64 = 1) -> String? {
    var fast = GEMMOperands(spec, seed: seed)
    var slow = fast
    fast.run(fast: true)
    slow.run(fast: false)
    let tolerance = 1e-5 * Float(max(spec.k, 1)) * abs(spec.alpha) + 1e-6 * abs(spec.beta) + 1e-7
    for i in 0..<spec.m {
        for j in 0..<fast.ldc {
            let index = i * fast.ldc + j
            let got = fast.c[index], want = slow.c[index]
            if j >= spec.n {
                if got != GEMMOperands.sentinel {
                    return "\(spec.testDescription): C padding [\(i)][\(j)] written: \(got)"
                }
            } else if !(abs(got - want) <= tolerance) {
                return "\(spec.testDescription): C[\(i)][\(j)] = \(got), naive \(want), tolerance \(tolerance)"
            }
        }
    }
    return nil
}

/// All four transpose combinations of a case.
func allTransposes(_ spec: GEMMCase) -> [GEMMCase] {
    [(false, false), (true, false), (false, true), (true, true)].map { ta, tb in
        var s = spec
        s.transA = ta
        s.transB = tb
        return s
    }
}

@Suite("GEMM fast path vs naive")
struct GEMMTests {
    /// Odd shapes, tile edges (MR = 6, 8; NR = 8, 12, 16, 32; ± 1), the parallel paths.
    static let shapes: [(m: Int, k: Int, n: Int)] = [
        (1, 1, 1), (7, 13, 5), (1, 1000, 1), (33, 17, 65), (2, 3, 4),
        (5, 9, 15), (6, 9, 16), (7, 9, 17), (11, 4, 31), (12, 5, 32), (13, 6, 33), (9, 3, 8), (8, 2, 12),
        (64, 40, 20), (65, 30, 63),
        // ≥ 2·10⁵ flops: the worker pool, split by columns (small M) and by rows (large M), the
        // latter with a shared packed B over two depth blocks.
        (32, 80, 100), (100, 40, 30), (37, 300, 29), (140, 270, 40),
    ]

    static let cases: [GEMMCase] = shapes.flatMap { shape in
        allTransposes(GEMMCase(m: shape.m, k: shape.k, n: shape.n))
    }

    @Test("fast == naive, all transposes", arguments: cases)
    func matchesNaive(_ spec: GEMMCase) {
        #expect(compareWithNaive(spec) == nil)
    }

    /// alpha, beta and padded strides, on shapes that have partial tiles.
    static let scaledCases: [GEMMCase] = [(7, 13, 5), (33, 17, 65), (13, 6, 33), (32, 80, 100)].flatMap { shape in
        [(Float(0.5), Float(0), 0), (1, 1, 3), (0.5, -2, 1), (-1.5, 0.25, 17)].flatMap { alpha, beta, pad in
            allTransposes(GEMMCase(m: shape.0, k: shape.1, n: shape.2, alpha: alpha, beta: beta, pad: pad))
        }
    }

    @Test("alpha, beta and larger leading dimensions", arguments: scaledCases)
    func scaledAndStrided(_ spec: GEMMCase) {
        #expect(compareWithNaive(spec) == nil)
    }

    @Test("one large outer product: 1000×1×1000")
    func outerProduct() {
        #expect(compareWithNaive(GEMMCase(m: 1000, k: 1, n: 1000, beta: 1)) == nil)
        #expect(compareWithNaive(GEMMCase(m: 1000, k: 1, n: 1000, transA: true, transB: true)) == nil)
    }

    @Test("k = 0 gives C = beta · C; alpha = 0 does not read A or B",
          arguments: [Float(0), 1, -2])
    func emptyInnerDimension(beta: Float) {
        for spec in allTransposes(GEMMCase(m: 5, k: 0, n: 7, beta: beta, pad: 2))
            + allTransposes(GEMMCase(m: 5, k: 9, n: 7, alpha: 0, beta: beta, pad: 2)) {
            var ops = GEMMOperands(spec)
            let before = ops.c
            ops.run(fast: true)
            for i in 0..<spec.m {
                for j in 0..<ops.ldc {
                    let index = i * ops.ldc + j
                    let want = j >= spec.n ? GEMMOperands.sentinel : (beta == 0 ? 0 : beta * before[index])
                    #expect(ops.c[index] == want, "\(spec.testDescription) at [\(i)][\(j)]")
                }
            }
        }
    }

    @Test("m = 0 or n = 0 writes nothing")
    func emptyOutput() {
        for spec in [GEMMCase(m: 0, k: 4, n: 3), GEMMCase(m: 3, k: 4, n: 0, pad: 2)].flatMap(allTransposes) {
            var ops = GEMMOperands(spec)
            let before = ops.c
            ops.run(fast: true)
            #expect(ops.c.elementsEqual(before) { $0 == $1 || ($0.isNaN && $1.isNaN) }, "\(spec.testDescription)")
        }
    }

    /// Every kernel this CPU supports, single- and multi-threaded, so the AVX2 and portable
    /// variants are checked even where a faster one is chosen by default.
    static let kernelCases: [GEMMCase] = [
        (7, 13, 5), (33, 17, 65), (13, 300, 33), (64, 40, 97), (100, 30, 70), (140, 270, 40),
    ]
        .flatMap { allTransposes(GEMMCase(m: $0.0, k: $0.1, n: $0.2, alpha: 0.5, beta: -2, pad: 1)) }

    @Test("each available kernel variant", arguments: GEMM.Kernel.available, [1, 2, 3])
    func eachKernel(_ kernel: GEMM.Kernel, threads: Int) {
        GEMM.withKernel(kernel) {
            GEMM.withThreadCount(threads) {
                for spec in Self.kernelCases {
                    #expect(compareWithNaive(spec) == nil, "kernel \(kernel), \(threads) threads")
                }
            }
        }
    }

    @Test("concurrent callers from many tasks all get correct results")
    func concurrentCallers() async {
        // Large enough to use the worker pool, so callers contend for it.
        let specs = (0..<12).map { i in
            GEMMCase(m: 24 + 7 * i, k: 60 + i, n: 90 - 3 * i, transA: i % 2 == 1, transB: i % 3 == 0,
                     alpha: 1, beta: i % 4 == 0 ? 0.5 : 0)
        }
        let failures = await withTaskGroup(of: String?.self) { group in
            for (index, spec) in specs.enumerated() {
                group.addTask {
                    for round in 0..<3 {
                        if let failure = compareWithNaive(spec, seed: UInt64(index * 10 + round)) { return failure }
                    }
                    return nil
                }
            }
            var failures: [String] = []
            for await failure in group { if let failure { failures.append(failure) } }
            return failures
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test("FEDDATA_THREADS is used when it is a positive integer", arguments: [
        ("3", 2, 3), ("1", 8, 1), ("0", 2, 2), ("-4", 2, 2), ("many", 4, 4), (nil, 2, 2), (nil, 0, 1),
    ] as [(String?, Int, Int)])
    func threadCountSetting(environment: String?, processors: Int, expected: Int) {
        #expect(GEMM.threadCount(environment: environment, processors: processors) == expected)
    }

    @Test("the kernel table names a best kernel, and portable is always there")
    func kernelTable() {
        #expect(GEMM.Kernel.available.contains(.portable))
        #expect(GEMM.Kernel.best == GEMM.Kernel.available[0])
        for kernel in GEMM.Kernel.available {
            #expect(kernel.tile.rows >= 1 && kernel.tile.columns >= 4)
        }
    }

    @Test("row tiling: heights differ by at most one and cover M", arguments: [1, 5, 6, 7, 32, 36, 37, 784, 1024])
    func rowTiling(rows: Int) {
        let tiling = RowTiling(rows: rows, mr: 6)
        #expect(tiling.count == (rows + 5) / 6)
        #expect(tiling.start(0) == 0 && tiling.start(tiling.count) == rows)
        let heights = (0..<tiling.count).map(tiling.height)
        #expect(heights.allSatisfy { $0 >= 1 && $0 <= 6 })
        #expect(heights.max()! - heights.min()! <= 1)
        for t in 0..<tiling.count { #expect(tiling.start(t + 1) == tiling.start(t) + heights[t]) }
    }
}

/// The worker pool and the benchmark, nested so that `--filter GEMMTests` runs them too.
extension GEMMTests {
    @Suite("Worker pool")
    struct WorkerPoolTests {
        final class Counter: Sendable {
            let value = Atomic<Int>(0)
        }

        @Test("every task runs exactly once, also with callers contending")
        func tasksRunOnce() async {
            let pool = WorkerPool()
            let ok = await withTaskGroup(of: Bool.self) { group in
                for caller in 0..<4 {
                    group.addTask {
                        for job in 0..<200 {
                            let tasks = 1 + (job + caller) % 9
                            let counts = (0..<tasks).map { _ in Counter() }
                            let body: @Sendable (Int) -> Void = { counts[$0].value.add(1, ordering: .relaxed) }
                            if !pool.run(tasks: tasks, participants: 3, body) {
                                for t in 0..<tasks { body(t) }  // pool busy: the caller does it
                            }
                            if !counts.allSatisfy({ $0.value.load(ordering: .relaxed) == 1 }) { return false }
                        }
                        return true
                    }
                }
                var all = true
                for await ok in group { all = all && ok }
                return all
            }
            #expect(ok)
        }
    }

    @Suite("GEMM benchmark")
    struct GEMMBenchmarkTests {
        @Test("standard shape names parse back to their shapes")
        func names() throws {
            #expect(GEMMBenchmark.standardShapes.map(\.name) == [
                "gemm-1024x1024x1024", "gemm-32x784x200", "gemm-tn-784x32x200", "gemm-nt-32x200x784",
            ])
            for shape in GEMMBenchmark.standardShapes + GEMMBenchmark.trainingShapes {
                #expect(GEMMBenchmarkShape(name: shape.name) == shape)
            }
            let parsed = try #require(GEMMBenchmarkShape(name: "gemm-tt-3x4x5"))
            #expect(parsed.transA && parsed.transB && parsed.m == 3 && parsed.k == 4 && parsed.n == 5)
            for bad in ["gemm-3x4", "gemm-xx-3x4x5", "gemm-0x4x5", "conv-3x4x5", "gemm-t-3x4x5"] {
                #expect(GEMMBenchmarkShape(name: bad) == nil, "\(bad)")
            }
        }

        @Test("measure reports the shape, a positive rate and its iterations")
        func measure() {
            let result = GEMMBenchmark.measure(
                name: "tiny", transA: true, transB: false, m: 8, k: 8, n: 8, threads: 1, minSeconds: 0.01)
            #expect(result.name == "tiny" && result.m == 8 && result.k == 8 && result.n == 8)
            #expect(result.threads == 1 && result.kernel == GEMM.Kernel.best)
            #expect(result.gflops > 0 && result.seconds > 0 && result.iterations >= 7)
        }
    }
}
