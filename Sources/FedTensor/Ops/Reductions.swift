/// A tensor seen as [outer, length, inner] around one axis, for reductions along that axis.
struct AxisView {
    let outer: Int
    let length: Int
    let inner: Int
    /// The input shape with the axis removed, or set to 1 when the dimension is kept.
    let reducedShape: [Int]

    init(shape: [Int], axis: Int, keepingDimension: Bool, op: String) {
        let a = axis < 0 ? axis + shape.count : axis
        precondition(a >= 0 && a < shape.count, "Tape.\(op): axis \(axis) out of range for shape \(shape)")
        outer = shape[..<a].reduce(1, *)
        length = shape[a]
        inner = shape[(a + 1)...].reduce(1, *)
        var reduced = shape
        if keepingDimension { reduced[a] = 1 } else { reduced.remove(at: a) }
        reducedShape = reduced
    }

    /// y[o, i] = scale · Σₖ x[o, k, i]
    func sum(_ x: Tensor, scale: Float) -> Tensor {
        var out = [Float](repeating: 0, count: outer * inner)
        x.scalars.withUnsafeBufferPointer { X in
            out.withUnsafeMutableBufferPointer { Y in
                for o in 0..<outer {
                    for k in 0..<length {
                        let src = (o * length + k) * inner
                        for i in 0..<inner { Y[o * inner + i] += X[src + i] }
                    }
                }
                if scale != 1 { for j in 0..<Y.count { Y[j] *= scale } }
            }
        }
        return Tensor(shape: reducedShape, scalars: out)
    }

    /// dX[o, k, i] = scale · g[o, i]: the backward of `sum`, shaped like the input.
    func expand(_ g: Tensor, scale: Float, to shape: [Int]) -> Tensor {
        g.scalars.withUnsafeBufferPointer { G in
            Tensor.filled(shape: shape) { X in
                for o in 0..<outer {
                    for k in 0..<length {
                        let dst = (o * length + k) * inner
                        for i in 0..<inner { X[dst + i] = scale * G[o * inner + i] }
                    }
                }
            }
        }
    }
}

extension Tape {
    /// The sum of all elements, as a scalar of shape [].
    public func sum(_ x: Variable) -> Variable {
        let vx = value(x)
        var total: Double = 0
        for v in vx.scalars { total += Double(v) }
        return record(Tensor(scalar: Float(total)), inputs: [x]) { g, tape in
            // dX = g (broadcast)
            tape.accumulateGradient(Tensor(repeating: g.scalars[0], shape: vx.shape), into: x)
        }
    }

    /// The sum along one axis (negative axes count from the end).
    ///
    /// Shapes: x [..., L, ...] → [..., ...], or [..., 1, ...] when `keepingDimension`.
    public func sum(_ x: Variable, axis: Int, keepingDimension: Bool = false) -> Variable {
        let shape = self.shape(x)
        let view = AxisView(shape: shape, axis: axis, keepingDimension: keepingDimension, op: "sum")
        let y = view.sum(value(x), scale: 1)
        return record(y, inputs: [x]) { g, tape in
            tape.accumulateGradient(view.expand(g, scale: 1, to: shape), into: x)
        }
    }

    /// The mean of all elements, as a scalar of shape [].
    public func mean(_ x: Variable) -> Variable {
        let vx = value(x)
        precondition(vx.count > 0, "Tape.mean: empty tensor of shape \(vx.shape)")
        var total: Double = 0
        for v in vx.scalars { total += Double(v) }
        let n = Float(vx.count)
        return record(Tensor(scalar: Float(total / Double(vx.count))), inputs: [x]) { g, tape in
            // dX = g / n
            tape.accumulateGradient(Tensor(repeating: g.scalars[0] / n, shape: vx.shape), into: x)
        }
    }

    /// The mean along one axis (negative axes count from the end).
    ///
    /// Shapes: x [..., L, ...] → [..., ...], or [..., 1, ...] when `keepingDimension`.
    public func mean(_ x: Variable, axis: Int, keepingDimension: Bool = false) -> Variable {
        let shape = self.shape(x)
        let view = AxisView(shape: shape, axis: axis, keepingDimension: keepingDimension, op: "mean")
        precondition(view.length > 0, "Tape.mean: empty axis \(axis) in shape \(shape)")
        let s = 1 / Float(view.length)
        let y = view.sum(value(x), scale: s)
        return record(y, inputs: [x]) { g, tape in
            tape.accumulateGradient(view.expand(g, scale: s, to: shape), into: x)
        }
    }

    /// The maximum along one axis (negative axes count from the end); the axis is removed.
    /// The gradient goes to the first position holding the maximum.
    ///
    /// Shapes: x [..., L, ...] → [..., ...].
    public func max(_ x: Variable, axis: Int) -> Variable {
        let vx = value(x)
        let view = AxisView(shape: vx.shape, axis: axis, keepingDimension: false, op: "max")
        precondition(view.length > 0, "Tape.max: empty axis \(axis) in shape \(vx.shape)")
        let (outer, length, inner) = (view.outer, view.length, view.inner)
        var argmax = [Int32](repeating: 0, count: outer * inner)
        let y = vx.scalars.withUnsafeBufferPointer { X in
            argmax.withUnsafeMutableBufferPointer { A in
                Tensor.filled(shape: view.reducedShape) { Y in
                    for o in 0..<outer {
                        for i in 0..<inner { Y[o * inner + i] = X[o * length * inner + i] }
                        for k in 1..<Swift.max(length, 1) {
                            let src = (o * length + k) * inner
                            for i in 0..<inner where X[src + i] > Y[o * inner + i] {
                                Y[o * inner + i] = X[src + i]
                                A[o * inner + i] = Int32(k)
                            }
                        }
                    }
                }
            }
        }
        return record(y, inputs: [x]) { g, tape in
            // dX[o, argmax, i] = g[o, i]; zero elsewhere.
            var dx = [Float](repeating: 0, count: vx.count)
            for o in 0..<outer {
                for i in 0..<inner {
                    dx[(o * length + Int(argmax[o * inner + i])) * inner + i] = g.scalars[o * inner + i]
                }
            }
            tape.accumulateGradient(Tensor(shape: vx.shape, scalars: dx), into: x)
        }
    }
}
