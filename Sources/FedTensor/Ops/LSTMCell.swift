/// The recurrent state of one LSTM layer.
public struct LSTMState: Sendable {
    /// The hidden state h [B, H] (the layer's output).
    public var hidden: Variable
    /// The cell state c [B, H].
    public var cell: Variable

    /// Creates a state from its hidden and cell variables.
    public init(hidden: Variable, cell: Variable) {
        self.hidden = hidden
        self.cell = cell
    }
}

extension Tape {
    /// One step of an LSTM layer, with PyTorch's gate order i, f, g, o:
    ///
    ///     gates = x·Wi + h·Wh + b                 [B, 4H]
    ///     i, f, o = σ(gates_i), σ(gates_f), σ(gates_o);  g = tanh(gates_g)
    ///     c' = f ⊙ c + i ⊙ g
    ///     h' = o ⊙ tanh(c')
    ///
    /// Shapes: x [B, I], state.hidden and state.cell [B, H], weightInput [I, 4H],
    /// weightHidden [H, 4H], bias [4H] → a state of [B, H] and [B, H].
    ///
    /// Recorded as three tape values per step rather than a dozen: the activated gates (two
    /// GEMMs and the nonlinearities fused), c' and h'.
    public func lstmCell(
        input x: Variable, state: LSTMState, weightInput: Variable, weightHidden: Variable, bias: Variable
    ) -> LSTMState {
        let gates = lstmGates(x, hidden: state.hidden, weightInput: weightInput, weightHidden: weightHidden, bias: bias)
        let cell = lstmNextCell(gates: gates, cell: state.cell)
        let hidden = lstmNextHidden(gates: gates, cell: cell)
        return LSTMState(hidden: hidden, cell: cell)
    }

    /// The activated gates [B, 4H] = [σ(zᵢ), σ(z_f), tanh(z_g), σ(z_o)] with z = x·Wi + h·Wh + b.
    private func lstmGates(
        _ x: Variable, hidden h: Variable, weightInput wi: Variable, weightHidden wh: Variable, bias b: Variable
    ) -> Variable {
        let (vx, vh, vwi, vwh, vb) = (value(x), value(h), value(wi), value(wh), value(b))
        precondition(vx.rank == 2 && vh.rank == 2 && vx.shape[0] == vh.shape[0],
                     "Tape.lstmCell: input \(vx.shape) and hidden state \(vh.shape) are not [B, I] and [B, H]")
        let (batch, inWidth, units) = (vx.shape[0], vx.shape[1], vh.shape[1])
        let width = 4 * units
        precondition(vwi.shape == [inWidth, width], "Tape.lstmCell: weightInput \(vwi.shape) is not [\(inWidth), \(width)]")
        precondition(vwh.shape == [units, width], "Tape.lstmCell: weightHidden \(vwh.shape) is not [\(units), \(width)]")
        precondition(vb.shape == [width], "Tape.lstmCell: bias \(vb.shape) is not [\(width)]")

        // Z [B, 4H] = bias rows; Z += X·Wi; Z += H·Wh
        var z = MatrixProduct.repeatedRows(vb.scalars, rows: batch)
        MatrixProduct.multiply(m: batch, n: width, k: inWidth, a: vx.scalars, b: vwi.scalars, beta: 1, c: &z)
        MatrixProduct.multiply(m: batch, n: width, k: units, a: vh.scalars, b: vwh.scalars, beta: 1, c: &z)
        // A = activations of Z, in place: σ on the i, f, o blocks, tanh on the g block.
        z.withUnsafeMutableBufferPointer { Z in
            for r in 0..<batch {
                let row = r * width
                for j in 0..<(2 * units) { Z[row + j] = FloatMath.sigmoid(Z[row + j]) }
                for j in (2 * units)..<(3 * units) { Z[row + j] = FloatMath.tanh(Z[row + j]) }
                for j in (3 * units)..<width { Z[row + j] = FloatMath.sigmoid(Z[row + j]) }
            }
        }
        let a = Tensor(shape: [batch, width], scalars: z)

        return record(a, inputs: [x, h, wi, wh, b]) { g, tape in
            // dZ = dA ⊙ σ'(z) = dA·a(1 - a) on i, f, o; dA·(1 - a²) on g.
            var dz = [Float](repeating: 0, count: batch * width)
            dz.withUnsafeMutableBufferPointer { DZ in
                a.scalars.withUnsafeBufferPointer { A in
                    g.scalars.withUnsafeBufferPointer { G in
                        for r in 0..<batch {
                            let row = r * width
                            for j in 0..<(2 * units) { DZ[row + j] = G[row + j] * A[row + j] * (1 - A[row + j]) }
                            for j in (2 * units)..<(3 * units) { DZ[row + j] = G[row + j] * (1 - A[row + j] * A[row + j]) }
                            for j in (3 * units)..<width { DZ[row + j] = G[row + j] * A[row + j] * (1 - A[row + j]) }
                        }
                    }
                }
            }
            if tape.requiresGradient(wi) {
                // dWi [I, 4H] = Xᵀ · dZ
                var d = [Float](repeating: 0, count: inWidth * width)
                MatrixProduct.multiply(transA: true, m: inWidth, n: width, k: batch, a: vx.scalars, b: dz, c: &d)
                tape.accumulateGradient(Tensor(shape: vwi.shape, scalars: d), into: wi)
            }
            if tape.requiresGradient(wh) {
                // dWh [H, 4H] = Hᵀ · dZ
                var d = [Float](repeating: 0, count: units * width)
                MatrixProduct.multiply(transA: true, m: units, n: width, k: batch, a: vh.scalars, b: dz, c: &d)
                tape.accumulateGradient(Tensor(shape: vwh.shape, scalars: d), into: wh)
            }
            if tape.requiresGradient(b) {
                // db [4H] = Σ_rows dZ
                tape.accumulateGradient(
                    Tensor(shape: [width], scalars: MatrixProduct.columnSums(dz, rows: batch, columns: width)), into: b)
            }
            if tape.requiresGradient(x) {
                // dX [B, I] = dZ · Wiᵀ
                var d = [Float](repeating: 0, count: batch * inWidth)
                MatrixProduct.multiply(transB: true, m: batch, n: inWidth, k: width, a: dz, b: vwi.scalars, c: &d)
                tape.accumulateGradient(Tensor(shape: vx.shape, scalars: d), into: x)
            }
            if tape.requiresGradient(h) {
                // dH [B, H] = dZ · Whᵀ
                var d = [Float](repeating: 0, count: batch * units)
                MatrixProduct.multiply(transB: true, m: batch, n: units, k: width, a: dz, b: vwh.scalars, c: &d)
                tape.accumulateGradient(Tensor(shape: vh.shape, scalars: d), into: h)
            }
        }
    }

    /// c' [B, H] = f ⊙ c + i ⊙ g, from the activated gates [B, 4H] and c [B, H].
    private func lstmNextCell(gates: Variable, cell c: Variable) -> Variable {
        let (va, vc) = (value(gates), value(c))
        let (batch, units) = (va.shape[0], va.shape[1] / 4)
        precondition(vc.shape == [batch, units], "Tape.lstmCell: cell state \(vc.shape) is not [\(batch), \(units)]")
        let y = va.scalars.withUnsafeBufferPointer { A in
            vc.scalars.withUnsafeBufferPointer { C in
                Tensor.filled(shape: vc.shape) { Y in
                    for r in 0..<batch {
                        let (row, gate) = (r * units, r * 4 * units)
                        for j in 0..<units {
                            let (i, f, g) = (A[gate + j], A[gate + units + j], A[gate + 2 * units + j])
                            Y[row + j] = f * C[row + j] + i * g
                        }
                    }
                }
            }
        }
        return record(y, inputs: [gates, c]) { dy, tape in
            // di = dc'·g, df = dc'·c, dg = dc'·i, do = 0; dc = dc'·f
            if tape.requiresGradient(gates) {
                var da = [Float](repeating: 0, count: va.count)
                da.withUnsafeMutableBufferPointer { DA in
                    va.scalars.withUnsafeBufferPointer { A in
                        vc.scalars.withUnsafeBufferPointer { C in
                            dy.scalars.withUnsafeBufferPointer { DY in
                                for r in 0..<batch {
                                    let (row, gate) = (r * units, r * 4 * units)
                                    for j in 0..<units {
                                        let d = DY[row + j]
                                        DA[gate + j] = d * A[gate + 2 * units + j]
                                        DA[gate + units + j] = d * C[row + j]
                                        DA[gate + 2 * units + j] = d * A[gate + j]
                                    }
                                }
                            }
                        }
                    }
                }
                tape.accumulateGradient(Tensor(shape: va.shape, scalars: da), into: gates)
            }
            if tape.requiresGradient(c) {
                var dc = [Float](repeating: 0, count: vc.count)
                for r in 0..<batch {
                    for j in 0..<units { dc[r * units + j] = dy.scalars[r * units + j] * va.scalars[r * 4 * units + units + j] }
                }
                tape.accumulateGradient(Tensor(shape: vc.shape, scalars: dc), into: c)
            }
        }
    }

    /// h' [B, H] = o ⊙ tanh(c'), from the activated gates [B, 4H] and c' [B, H].
    private func lstmNextHidden(gates: Variable, cell c: Variable) -> Variable {
        let (va, vc) = (value(gates), value(c))
        let (batch, units) = (va.shape[0], va.shape[1] / 4)
        let tanhC = vc.mapScalars { FloatMath.tanh($0) }
        let y = va.scalars.withUnsafeBufferPointer { A in
            tanhC.scalars.withUnsafeBufferPointer { T in
                Tensor.filled(shape: vc.shape) { Y in
                    for r in 0..<batch {
                        for j in 0..<units { Y[r * units + j] = A[r * 4 * units + 3 * units + j] * T[r * units + j] }
                    }
                }
            }
        }
        return record(y, inputs: [gates, c]) { dy, tape in
            // do = dh'·tanh(c'); dc' = dh'·o·(1 - tanh²(c'))
            if tape.requiresGradient(gates) {
                var da = [Float](repeating: 0, count: va.count)
                for r in 0..<batch {
                    for j in 0..<units { da[r * 4 * units + 3 * units + j] = dy.scalars[r * units + j] * tanhC.scalars[r * units + j] }
                }
                tape.accumulateGradient(Tensor(shape: va.shape, scalars: da), into: gates)
            }
            if tape.requiresGradient(c) {
                var dc = [Float](repeating: 0, count: vc.count)
                for r in 0..<batch {
                    for j in 0..<units {
                        let t = tanhC.scalars[r * units + j]
                        dc[r * units + j] = dy.scalars[r * units + j] * va.scalars[r * 4 * units + 3 * units + j] * (1 - t * t)
                    }
                }
                tape.accumulateGradient(Tensor(shape: vc.shape, scalars: dc), into: c)
            }
        }
    }
}
