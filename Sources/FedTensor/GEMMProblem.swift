/// The operands of one `GEMM.multiply` call: `C[M×N] = alpha · op(A)[M×K] · op(B)[K×N] + beta · C`,
/// with C(i, j) at `c[i·rsc + j·csc]` (row-major: `rsc = ldc`, `csc = 1`; `transposed()` swaps them).
///
/// Safety of `@unchecked Sendable`: the pointers are only dereferenced while
/// `GEMM.multiply` is running (its caller keeps the storage alive and unchanged for that time:
/// `multiply` returns only after `WorkerPool.run` has seen every task finish). A and B are
/// only read. Each parallel task writes a disjoint rectangle of C (`GEMMPlan` partitions rows
/// into whole row tiles or columns into whole vectors), so no element is written twice.
struct GEMMProblem: @unchecked Sendable {
    let transA: Bool
    let transB: Bool
    let m: Int
    let n: Int
    let k: Int
    let alpha: Float
    let a: UnsafePointer<Float>
    let lda: Int
    let b: UnsafePointer<Float>
    let ldb: Int
    let beta: Float
    let c: UnsafeMutablePointer<Float>
    /// Row stride of C.
    let rsc: Int
    /// Column stride of C (1 unless the problem was transposed).
    let csc: Int

    /// Whether `transposed()` is cheaper to compute. For A·Bᵀ with few rows (the input gradient
    /// of a dense layer, 32×200×784) B would need a transposing copy of all its N·K elements;
    /// transposed, B is the left operand, read in place, and only the small A is copied.
    func prefersTransposed() -> Bool {
        transB && m <= GEMMProblem.inPlaceBMaxRows && n >= 2 * m
    }

    /// The same product computed as `Cᵀ = op(B)ᵀ · op(A)ᵀ`: B becomes the left operand, A the right
    /// one, and C is written through swapped strides.
    func transposed() -> GEMMProblem {
        GEMMProblem(
            transA: !transB, transB: !transA, m: n, n: m, k: k, alpha: alpha,
            a: b, lda: ldb, b: a, ldb: lda, beta: beta, c: c, rsc: csc, csc: rsc)
    }
}

/// The split of M rows into row tiles of at most `mr` rows, all within one row of each other
/// (so M = 32 with mr = 6 gives 6, 6, 5, 5, 5, 5 rather than 6, 6, 6, 6, 6, 2). The kernel has a
/// fully unrolled copy per height, so the heights waste no multiply-adds on padding.
struct RowTiling: Sendable {
    /// Number of tiles: ⌈M / mr⌉.
    let count: Int
    private let base: Int
    private let taller: Int

    init(rows: Int, mr: Int) {
        count = rows == 0 ? 0 : (rows + mr - 1) / mr
        base = count == 0 ? 0 : rows / count
        taller = count == 0 ? 0 : rows % count
    }

    /// First row of tile `t` (`t == count` gives M).
    func start(_ t: Int) -> Int { t * base + min(t, taller) }

    /// Rows in tile `t`.
    func height(_ t: Int) -> Int { t < taller ? base + 1 : base }
}

/// Splits `0..<total` into `parts` ranges of nearly equal length (they differ by at most one).
func evenSplit(_ total: Int, parts: Int, index: Int) -> Range<Int> {
    let base = total / parts, extra = total % parts
    let start = index * base + min(index, extra)
    return start..<(start + base + (index < extra ? 1 : 0))
}
