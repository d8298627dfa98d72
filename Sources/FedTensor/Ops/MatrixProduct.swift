/// `GEMM.multiply` on Swift arrays, with the leading dimensions of dense row-major storage:
/// `C[m×n] = alpha · op(A) · op(B) + beta · C`, where `A` is stored m×k (k×m with `transA`)
/// and `B` is stored k×n (n×k with `transB`). Offsets select a sub-matrix (a batch chunk).
enum MatrixProduct {
    @inline(__always)
    static func multiply(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: UnsafeBufferPointer<Float>, aOffset: Int = 0,
        b: UnsafeBufferPointer<Float>, bOffset: Int = 0,
        beta: Float = 0, c: UnsafeMutableBufferPointer<Float>, cOffset: Int = 0
    ) {
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            // An empty sum: C = beta · C.
            for i in 0..<(m * n) { c[cOffset + i] = beta == 0 ? 0 : beta * c[cOffset + i] }
            return
        }
        precondition(a.count - aOffset >= m * k && b.count - bOffset >= k * n && c.count - cOffset >= m * n)
        GEMM.multiply(
            transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
            a: a.baseAddress! + aOffset, lda: transA ? m : k,
            b: b.baseAddress! + bOffset, ldb: transB ? k : n,
            beta: beta, c: c.baseAddress! + cOffset, ldc: n
        )
    }

    /// The same on arrays: `C = alpha · op(A) · op(B) + beta · C`.
    static func multiply(
        transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int, alpha: Float = 1,
        a: [Float], b: [Float], beta: Float = 0, c: inout [Float]
    ) {
        a.withUnsafeBufferPointer { A in
            b.withUnsafeBufferPointer { B in
                c.withUnsafeMutableBufferPointer { C in
                    multiply(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha,
                             a: A, b: B, beta: beta, c: C)
                }
            }
        }
    }

    /// Column sums of a row-major [rows, columns] matrix: the gradient of a bias row.
    static func columnSums(_ x: [Float], rows: Int, columns: Int) -> [Float] {
        var out = [Float](repeating: 0, count: columns)
        x.withUnsafeBufferPointer { X in
            out.withUnsafeMutableBufferPointer { O in
                for r in 0..<rows {
                    for j in 0..<columns { O[j] += X[r * columns + j] }
                }
            }
        }
        return out
    }

    /// A [rows, columns] matrix whose every row is `row` (the bias, before a beta-1 GEMM).
    static func repeatedRows(_ row: [Float], rows: Int) -> [Float] {
        var out = [Float]()
        out.reserveCapacity(rows * row.count)
        for _ in 0..<rows { out.append(contentsOf: row) }
        return out
    }
}

extension Tape {
    /// The matrix product `op(a) · op(b)` of two 2-D operands, where `op` transposes when asked.
    ///
    /// Shapes: a [M, K] (or [K, M] with `transposeA`), b [K, N] (or [N, K] with `transposeB`)
    /// → [M, N].
    public func matmul(_ a: Variable, _ b: Variable, transposeA: Bool = false, transposeB: Bool = false) -> Variable {
        let (va, vb) = (value(a), value(b))
        precondition(va.rank == 2 && vb.rank == 2, "Tape.matmul: operands of shapes \(va.shape) and \(vb.shape) are not 2-D")
        let (m, k) = transposeA ? (va.shape[1], va.shape[0]) : (va.shape[0], va.shape[1])
        let (k2, n) = transposeB ? (vb.shape[1], vb.shape[0]) : (vb.shape[0], vb.shape[1])
        precondition(k == k2, "Tape.matmul: inner dimensions differ: \(va.shape)\(transposeA ? "ᵀ" : "") · \(vb.shape)\(transposeB ? "ᵀ" : "")")
        var y = [Float](repeating: 0, count: m * n)
        MatrixProduct.multiply(transA: transposeA, transB: transposeB, m: m, n: n, k: k, a: va.scalars, b: vb.scalars, c: &y)
        return record(Tensor(shape: [m, n], scalars: y), inputs: [a, b]) { g, tape in
            // g = dC [M, N].
            if tape.requiresGradient(a) {
                var da = [Float](repeating: 0, count: m * k)
                if !transposeA {
                    // dA [M, K] = dC · op(B)ᵀ
                    MatrixProduct.multiply(transA: false, transB: !transposeB, m: m, n: k, k: n,
                                           a: g.scalars, b: vb.scalars, c: &da)
                } else {
                    // A is stored [K, M]: dA = (dC · op(B)ᵀ)ᵀ = op(B) · dCᵀ
                    MatrixProduct.multiply(transA: transposeB, transB: true, m: k, n: m, k: n,
                                           a: vb.scalars, b: g.scalars, c: &da)
                }
                tape.accumulateGradient(Tensor(shape: va.shape, scalars: da), into: a)
            }
            if tape.requiresGradient(b) {
                var db = [Float](repeating: 0, count: k * n)
                if !transposeB {
                    // dB [K, N] = op(A)ᵀ · dC
                    MatrixProduct.multiply(transA: !transposeA, transB: false, m: k, n: n, k: m,
                                           a: va.scalars, b: g.scalars, c: &db)
                } else {
                    // B is stored [N, K]: dB = (op(A)ᵀ · dC)ᵀ = dCᵀ · op(A)
                    MatrixProduct.multiply(transA: true, transB: transposeA, m: n, n: k, k: m,
                                           a: g.scalars, b: va.scalars, c: &db)
                }
                tape.accumulateGradient(Tensor(shape: vb.shape, scalars: db), into: b)
            }
        }
    }
}
