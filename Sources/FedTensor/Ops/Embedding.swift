extension Tape {
    /// Looks up rows of an embedding table.
    ///
    /// Shapes: table [V, D], `indices` of `shape.product` entries in `0..<V` → shape + [D].
    /// The backward scatter-adds each output row's gradient into its table row (repeated
    /// indices add up).
    /// - Precondition: every index is in `0..<V` (datasets validate their input first).
    public func embedding(_ table: Variable, indices: [Int32], shape: [Int]) -> Variable {
        let vt = value(table)
        precondition(vt.rank == 2, "Tape.embedding: table of shape \(vt.shape) is not [V, D]")
        precondition(indices.count == Tensor.elementCount(shape),
                     "Tape.embedding: \(indices.count) indices do not fill shape \(shape)")
        let (v, d) = (vt.shape[0], vt.shape[1])
        if let bad = indices.firstIndex(where: { $0 < 0 || Int($0) >= v }) {
            preconditionFailure("Tape.embedding: index \(indices[bad]) at position \(bad) is outside 0..<\(v)")
        }
        let y = vt.scalars.withUnsafeBufferPointer { T in
            Tensor.filled(shape: shape + [d]) { Y in
                for (row, index) in indices.enumerated() {
                    let src = Int(index) * d
                    for j in 0..<d { Y[row * d + j] = T[src + j] }
                }
            }
        }
        return record(y, inputs: [table]) { g, tape in
            // dTable[indices[r]] += dY[r]
            var dt = [Float](repeating: 0, count: v * d)
            dt.withUnsafeMutableBufferPointer { DT in
                g.scalars.withUnsafeBufferPointer { G in
                    for (row, index) in indices.enumerated() {
                        let dst = Int(index) * d
                        for j in 0..<d { DT[dst + j] += G[row * d + j] }
                    }
                }
            }
            tape.accumulateGradient(Tensor(shape: vt.shape, scalars: dt), into: table)
        }
    }
}
