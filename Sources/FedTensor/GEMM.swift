/// Single-precision general matrix multiply on row-major storage:
/// `C[M×N] = alpha · op(A)[M×K] · op(B)[K×N] + beta · C`.
///
/// `op(A)` is `A` (stored M×K, row stride `lda`) or, with `transA`, `Aᵀ` where `A` is stored K×M.
/// The same holds for `B` (K×N, or N×K with `transB`). When `beta == 0`, `C` is not read (it may
/// hold NaN). Names in benchmarks are M×K×N.
public enum GEMM {
    /// The reference kernel: three plain loops, accumulated in `Float` in `k` order.
    /// Slow; the fast path is tested against it.
    public static func naive(
        transA: Bool, transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
        beta: Float = 0, c: UnsafeMutablePointer<Float>, ldc: Int
    ) {
        for i in 0..<m {
            for j in 0..<n {
                var acc: Float = 0
                for p in 0..<k {
                    let av = transA ? a[p * lda + i] : a[i * lda + p]
                    let bv = transB ? b[j * ldb + p] : b[p * ldb + j]
                    acc += av * bv
                }
                let old = beta == 0 ? 0 : beta * c[i * ldc + j]
                c[i * ldc + j] = alpha * acc + old
            }
        }
    }
}
