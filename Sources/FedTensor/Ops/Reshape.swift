extension Tape {
    /// The same elements with another shape; one dimension may be -1 (inferred).
    public func reshape(_ x: Variable, to shape: [Int]) -> Variable {
        let vx = value(x)
        var target = shape
        let inferred = shape.indices.filter { shape[$0] == -1 }
        precondition(inferred.count <= 1, "Tape.reshape: more than one -1 in \(shape)")
        if let i = inferred.first {
            let known = shape.enumerated().reduce(1) { $1.offset == i ? $0 : $0 * $1.element }
            precondition(known > 0 && vx.count % known == 0, "Tape.reshape: cannot reshape \(vx.shape) to \(shape)")
            target[i] = vx.count / known
        }
        precondition(
            target.allSatisfy { $0 >= 0 } && Tensor.elementCount(target) == vx.count,
            "Tape.reshape: cannot reshape \(vx.shape) to \(shape)"
        )
        return record(vx.reshaped(target), inputs: [x]) { g, tape in
            tape.accumulateGradient(g.reshaped(vx.shape), into: x)
        }
    }
}
