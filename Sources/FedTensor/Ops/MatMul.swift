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
