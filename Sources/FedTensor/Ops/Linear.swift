extension Tape {
    /// A fully connected layer `x · weight + bias`, fused into one GEMM (the output starts as
    /// the bias rows and the GEMM accumulates into it).
    ///
    /// Shapes: x [B, In], weight [In, Out], bias [Out] → [B, Out].
    public func linear(_ x: Variable, weight: Variable, bias: Variable?) -> Variable {
        let (vx, vw) = (value(x), value(weight))
        let vb = bias.map { value($0) }
        precondition(vx.rank == 2 && vw.rank == 2 && vx.shape[1] == vw.shape[0],
                     "Tape.linear: input \(vx.shape) does not match weight \(vw.shape) ([B, In] · [In, Out])")
        let (batch, fanIn, fanOut) = (vx.shape[0], vw.shape[0], vw.shape[1])
        if let vb { precondition(vb.shape == [fanOut], "Tape.linear: bias \(vb.shape) is not [\(fanOut)]") }

        // Y [B, Out] = bias rows; Y += X [B, In] · W [In, Out]
        var y = vb.map { MatrixProduct.repeatedRows($0.scalars, rows: batch) } ?? [Float](repeating: 0, count: batch * fanOut)
        MatrixProduct.multiply(m: batch, n: fanOut, k: fanIn, a: vx.scalars, b: vw.scalars, beta: vb == nil ? 0 : 1, c: &y)

        let inputs = bias.map { [x, weight, $0] } ?? [x, weight]
        return record(Tensor(shape: [batch, fanOut], scalars: y), inputs: inputs) { g, tape in
            // g = dY [B, Out]
            if tape.requiresGradient(weight) {
                // dW [In, Out] = Xᵀ · dY
                var dw = [Float](repeating: 0, count: fanIn * fanOut)
                MatrixProduct.multiply(transA: true, m: fanIn, n: fanOut, k: batch, a: vx.scalars, b: g.scalars, c: &dw)
                tape.accumulateGradient(Tensor(shape: vw.shape, scalars: dw), into: weight)
            }
            if tape.requiresGradient(x) {
                // dX [B, In] = dY · Wᵀ
                var dx = [Float](repeating: 0, count: batch * fanIn)
                MatrixProduct.multiply(transB: true, m: batch, n: fanIn, k: fanOut, a: g.scalars, b: vw.scalars, c: &dx)
                tape.accumulateGradient(Tensor(shape: vx.shape, scalars: dx), into: x)
            }
            if let bias, tape.requiresGradient(bias) {
                // db [Out] = Σ_rows dY
                tape.accumulateGradient(
                    Tensor(shape: [fanOut], scalars: MatrixProduct.columnSums(g.scalars, rows: batch, columns: fanOut)),
                    into: bias)
            }
        }
    }
}
