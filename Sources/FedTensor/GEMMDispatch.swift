extension GEMM {
    /// The fast path: packed, cache-blocked, multi-threaded, with a micro-kernel chosen for this
    /// CPU at run time. Same contract as `naive`:
    /// `C[M×N] = alpha · op(A)[M×K] · op(B)[K×N] + beta · C`, row-major, with `C` not read
    /// when `beta == 0`. Results differ from `naive` only by rounding (another summation order,
    /// fused multiply-adds).
    ///
    /// Safe to call from many threads or tasks at once: one caller at a time uses the worker
    /// threads, the others compute on their own thread. See `threadCount`, `withThreadCount`
    /// and `withKernel` for the knobs.
    ///
    /// - Parameters:
    ///   - transA: `A` is stored K×M and used transposed (else stored M×K).
    ///   - transB: `B` is stored N×K and used transposed (else stored K×N).
    ///   - m: rows of C.
    ///   - n: columns of C.
    ///   - k: the inner dimension.
    ///   - alpha: scale of the product.
    ///   - a: `A`, row stride `lda` (at least its row length, K or M).
    ///   - b: `B`, row stride `ldb` (at least its row length, N or K).
    ///   - beta: scale of the old `C`.
    ///   - c: `C`, row stride `ldc` (at least N).
    public static func multiply(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        precondition(m >= 0 && n >= 0 && k >= 0, "GEMM.multiply: negative size m \(m), n \(n), k \(k)")
        precondition(lda >= (transA ? m : k), "GEMM.multiply: lda \(lda) is below A's row length")
        precondition(ldb >= (transB ? k : n), "GEMM.multiply: ldb \(ldb) is below B's row length")
        precondition(ldc >= n, "GEMM.multiply: ldc \(ldc) is below N = \(n)")
        guard m > 0, n > 0 else { return }
        guard k > 0, alpha != 0 else {
            scale(m: m, n: n, beta: beta, c: c, ldc: ldc)
            return
        }

        let kernel = currentKernel
        let given = GEMMProblem(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
            a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, rsc: ldc, csc: 1)
        let problem = given.prefersTransposed() ? given.transposed() : given
        let tiling = RowTiling(rows: problem.m, mr: kernel.mr)
        let plan = GEMMPlan(
            m: problem.m, n: problem.n, k: k, transB: problem.transB, tiling: tiling, kernel: kernel,
            threads: currentThreadCount)

        if plan.tasks > 1 {
            let ranAll = PackingBuffer.withBuffer { shared in
                let sharedB = plan.sharesB
                    ? SharedPackedB(
                        storage: shared.floats(SharedPackedB.floatCount(k: k, n: problem.n, nr: kernel.nr)),
                        k: k, n: problem.n, kBlocks: problem.depthBlocks(kernel: kernel), nr: kernel.nr)
                    : nil
                return WorkerPool.shared.run(tasks: plan.tasks, participants: plan.participants) { task in
                    let (tiles, columns) = plan.ranges(task: task)
                    PackingBuffer.withBuffer { buffer in
                        problem.computeBlock(
                            tiles: tiles, tiling: tiling, columns: columns, kernel: kernel, buffer: buffer,
                            sharedB: sharedB, reversePanels: task % 2 == 1)
                    }
                }
            }
            if ranAll { return }
        }
        // Too small to share, or another caller owns the workers: compute here.
        PackingBuffer.withBuffer { buffer in
            problem.computeBlock(
                tiles: 0..<tiling.count, tiling: tiling, columns: 0..<problem.n, kernel: kernel, buffer: buffer)
        }
    }

    /// `C = beta · C` (`C` is overwritten with zeros, not read, when `beta == 0`).
    static func scale(m: Int, n: Int, beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard beta != 1 else { return }
        for i in 0..<m {
            let row = c + i * ldc
            if beta == 0 {
                row.update(repeating: 0, count: n)
            } else {
                for j in 0..<n { row[j] *= beta }
            }
        }
    }
}
