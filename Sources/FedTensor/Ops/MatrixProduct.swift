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
                guard rows > 0, columns > 0 else { return }
                let (sums, base) = (O.baseAddress!, X.baseAddress!)
                for r in 0..<rows {
                    let row = base + r * columns
                    for j in 0..<columns { sums[j] += row[j] }
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
