extension Tape {
    /// The mean squared error `(1/n) Σ (prediction - target)²` over all n elements.
    ///
    /// Shapes: prediction and target of the same shape → scalar [].
    public func mse(_ prediction: Variable, target: Variable) -> Variable {
        let (vp, vt) = (value(prediction), value(target))
        precondition(vp.shape == vt.shape && vp.count > 0,
                     "Tape.mse: prediction \(vp.shape) and target \(vt.shape) differ or are empty")
        let diff = vp.zipScalars(vt, -)
        var total: Double = 0
        for d in diff.scalars { total += Double(d * d) }
        let n = Float(vp.count)
        return record(Tensor(scalar: Float(total / Double(vp.count))), inputs: [prediction, target]) { g, tape in
            // dP = 2·(p - t)·g / n, dT = -dP
            let s = 2 * g.scalars[0] / n
            let dp = diff.mapScalars { $0 * s }
            if tape.requiresGradient(prediction) { tape.accumulateGradient(dp, into: prediction) }
            if tape.requiresGradient(target) { tape.accumulateGradient(dp.mapScalars { -$0 }, into: target) }
        }
    }

    /// The mean binary cross-entropy between sigmoid(logits) and targets in [0, 1]:
    /// `(1/n) Σ max(z, 0) - z·t + log(1 + e^{-|z|})`, a form that never overflows.
    ///
    /// Shapes: logits and targets of the same shape → scalar []. The backward is
    /// (σ(z) - t) / n for the logits and -z / n for the targets.
    public func binaryCrossEntropyWithLogits(_ logits: Variable, targets: Variable) -> Variable {
        let (vz, vt) = (value(logits), value(targets))
        precondition(vz.shape == vt.shape && vz.count > 0,
                     "Tape.binaryCrossEntropyWithLogits: logits \(vz.shape) and targets \(vt.shape) differ or are empty")
        var total: Double = 0
        for (z, t) in Swift.zip(vz.scalars, vt.scalars) {
            total += Double(Swift.max(z, 0) - z * t + FloatMath.log1p(FloatMath.exp(-abs(z))))
        }
        let n = Float(vz.count)
        return record(Tensor(scalar: Float(total / Double(vz.count))), inputs: [logits, targets]) { g, tape in
            let s = g.scalars[0] / n
            if tape.requiresGradient(logits) {
                // dZ = (σ(z) - t) · g / n
                tape.accumulateGradient(vz.zipScalars(vt) { (FloatMath.sigmoid($0) - $1) * s }, into: logits)
            }
            if tape.requiresGradient(targets) {
                // dT = -z · g / n
                tape.accumulateGradient(vz.mapScalars { -$0 * s }, into: targets)
            }
        }
    }
}
