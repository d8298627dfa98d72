/// NumPy broadcasting for the elementwise binary ops: shapes are aligned at their last axis,
/// and an axis of extent 1 (or a missing leading axis) stretches to match the other operand.
///
/// `apply` takes fast paths for equal shapes, a row vector broadcast over rows and a scalar;
/// `general` is the slow twin that handles every case (the tests compare them).
enum Broadcast {
    /// The broadcast shape of `a` and `b`, or `nil` when they are incompatible.
    static func shape(_ a: [Int], _ b: [Int]) -> [Int]? {
        let rank = Swift.max(a.count, b.count)
        var out = [Int](repeating: 1, count: rank)
        for i in 0..<rank {
            let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
            let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
            if da == db || db == 1 {
                out[i] = da
            } else if da == 1 {
                out[i] = db
            } else {
                return nil
            }
        }
        return out
    }

    /// The broadcast shape, trapping with both shapes in the message when incompatible.
    static func checkedShape(_ a: [Int], _ b: [Int], op: String) -> [Int] {
        guard let out = shape(a, b) else {
            preconditionFailure("Tape.\(op): shapes \(a) and \(b) do not broadcast")
        }
        return out
    }

    /// The element strides of a tensor of `shape` seen in the index space of `outShape`:
    /// 0 along broadcast axes, so that one output index maps to one input offset.
    static func strides(of shape: [Int], in outShape: [Int]) -> [Int] {
        var result = [Int](repeating: 0, count: outShape.count)
        var stride = 1
        var i = shape.count - 1
        var o = outShape.count - 1
        while i >= 0 {
            if shape[i] != 1 { result[o] = stride }
            stride *= shape[i]
            i -= 1
            o -= 1
        }
        return result
    }

    /// Walks the output in rows of its last axis, calling `body(outputOffset, aOffset, bOffset)`
    /// with the offsets of each row's first element; the caller steps along the row itself.
    @inline(__always)
    static func forEachRow(
        _ outShape: [Int], _ sa: [Int], _ sb: [Int], _ body: (Int, Int, Int) -> Void
    ) {
        let total = Tensor.elementCount(outShape)
        let n = outShape.last ?? 1
        guard total > 0, n > 0 else { return }
        let rank = outShape.count
        var index = [Int](repeating: 0, count: Swift.max(rank - 1, 0))
        var oa = 0
        var ob = 0
        for row in 0..<(total / n) {
            body(row * n, oa, ob)
            var d = rank - 2
            while d >= 0 {
                index[d] += 1
                oa += sa[d]
                ob += sb[d]
                if index[d] < outShape[d] { break }
                oa -= sa[d] * outShape[d]
                ob -= sb[d] * outShape[d]
                index[d] = 0
                d -= 1
            }
        }
    }

    /// `f(a, b)` elementwise with broadcasting, choosing a fast path when one applies.
    @inline(__always)
    static func apply(_ a: Tensor, _ b: Tensor, op: String, _ f: (Float, Float) -> Float) -> Tensor {
        // Equal shapes: one flat loop.
        if a.shape == b.shape { return a.zipScalars(b, f) }
        let outShape = checkedShape(a.shape, b.shape, op: op)
        if outShape == a.shape, let n = a.shape.last, n > 0 {
            // a [R, n] op scalar.
            if b.count == 1 {
                let s = b.scalars[0]
                return a.mapScalars { f($0, s) }
            }
            // a [..., n] op b [n] (or [1, n]): a row vector broadcast over every row.
            if b.count == n, b.shape.last == n {
                return a.scalars.withUnsafeBufferPointer { A in
                    b.scalars.withUnsafeBufferPointer { B in
                        Tensor.filled(shape: outShape) { Y in
                            var base = 0
                            while base < Y.count {
                                for j in 0..<n { Y[base + j] = f(A[base + j], B[j]) }
                                base += n
                            }
                        }
                    }
                }
            }
        }
        return general(a, b, outShape: outShape, f)
    }

    /// The general strided broadcast: correct for every pair of compatible shapes.
    @inline(__always)
    static func general(_ a: Tensor, _ b: Tensor, outShape: [Int], _ f: (Float, Float) -> Float) -> Tensor {
        let sa = strides(of: a.shape, in: outShape)
        let sb = strides(of: b.shape, in: outShape)
        let n = outShape.last ?? 1
        let ia = sa.last ?? 0
        let ib = sb.last ?? 0
        return a.scalars.withUnsafeBufferPointer { A in
            b.scalars.withUnsafeBufferPointer { B in
                Tensor.filled(shape: outShape) { Y in
                    forEachRow(outShape, sa, sb) { y0, a0, b0 in
                        for j in 0..<n { Y[y0 + j] = f(A[a0 + j * ia], B[b0 + j * ib]) }
                    }
                }
            }
        }
    }

    /// Sums a gradient of the broadcast shape down to `shape`, over the axes that were
    /// stretched (the backward of broadcasting).
    static func reduce(_ gradient: Tensor, to shape: [Int]) -> Tensor {
        if gradient.shape == shape { return gradient }
        let count = Tensor.elementCount(shape)
        var out = [Float](repeating: 0, count: count)
        gradient.scalars.withUnsafeBufferPointer { G in
            out.withUnsafeMutableBufferPointer { O in
                if count == 1 {
                    // Broadcast scalar: the sum of everything.
                    var total: Float = 0
                    for g in G { total += g }
                    O[0] = total
                } else if let n = gradient.shape.last, count == n, shape.last == n {
                    // Row vector: column sums.
                    var base = 0
                    while base < G.count {
                        for j in 0..<n { O[j] += G[base + j] }
                        base += n
                    }
                } else {
                    let so = strides(of: shape, in: gradient.shape)
                    let io = so.last ?? 0
                    let n = gradient.shape.last ?? 1
                    forEachRow(gradient.shape, so, so) { g0, o0, _ in
                        for j in 0..<n { O[o0 + j * io] += G[g0 + j] }
                    }
                }
            }
        }
        return Tensor(shape: shape, scalars: out)
    }
}
