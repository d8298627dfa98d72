extension Tape {
    /// The row-wise softmax of logits [B, C] (each row minus its maximum first, so no overflow).
    public static func softmax(_ logits: Tensor) -> Tensor {
        softmaxAndLogSumExp(logits).probabilities
    }

    /// Softmax [B, C] and log Σⱼ e^{z_bj} [B] of each row, in one pass.
    static func softmaxAndLogSumExp(_ logits: Tensor) -> (probabilities: Tensor, logSumExp: [Float]) {
        precondition(logits.rank == 2, "Tape.softmax: logits of shape \(logits.shape) are not [B, C]")
        let (rows, classes) = (logits.shape[0], logits.shape[1])
        var lse = [Float](repeating: 0, count: rows)
        let p = logits.scalars.withUnsafeBufferPointer { Z in
            Tensor.filled(shape: logits.shape) { P in
                for r in 0..<rows {
                    let row = r * classes
                    var m = -Float.infinity
                    for j in 0..<classes { m = Swift.max(m, Z[row + j]) }
                    var total: Float = 0
                    for j in 0..<classes {
                        P[row + j] = FloatMath.exp(Z[row + j] - m)
                        total += P[row + j]
                    }
                    let inverse = 1 / total
                    for j in 0..<classes { P[row + j] *= inverse }
                    lse[r] = m + FloatMath.log(total)
                }
            }
        }
        return (p, lse)
    }

    /// The mean over the batch of the cross-entropy between softmax(logits) and the labels:
    /// `(1/B) Σ_b (log Σ_j e^{z_bj} - z_b,label_b)`, computed with each row's maximum
    /// subtracted so that large logits neither overflow nor lose the loss.
    ///
    /// Shapes: logits [B, C], labels B entries in `0..<C` → scalar []. The backward is
    /// (softmax - onehot(labels)) / B.
    /// - Precondition: every label is in `0..<C` and B > 0.
    public func softmaxCrossEntropy(logits: Variable, labels: [Int32]) -> Variable {
        let z = value(logits)
        precondition(z.rank == 2 && z.shape[0] == labels.count && labels.count > 0,
                     "Tape.softmaxCrossEntropy: logits \(z.shape) for \(labels.count) labels")
        let (rows, classes) = (z.shape[0], z.shape[1])
        if let bad = labels.firstIndex(where: { $0 < 0 || Int($0) >= classes }) {
            preconditionFailure("Tape.softmaxCrossEntropy: label \(labels[bad]) at position \(bad) is outside 0..<\(classes)")
        }
        let (p, lse) = Tape.softmaxAndLogSumExp(z)
        // -log softmax[label] = log Σⱼ e^{z_j} - z_label
        var total: Double = 0
        for r in 0..<rows { total += Double(lse[r] - z.scalars[r * classes + Int(labels[r])]) }
        let loss = Tensor(scalar: Float(total / Double(rows)))
        return record(loss, inputs: [logits]) { g, tape in
            // dZ = g · (softmax - onehot) / B
            let scale = g.scalars[0] / Float(rows)
            var dz = p.mapScalars { $0 * scale }
            for r in 0..<rows { dz.scalars[r * classes + Int(labels[r])] -= scale }
            tape.accumulateGradient(dz, into: logits)
        }
    }
}

extension Tensor {
    /// The row-wise softmax of a [B, C] tensor (see `Tape.softmax`).
    public static func softmax(_ logits: Tensor) -> Tensor { Tape.softmax(logits) }

    /// The index of the largest element of each row of a [B, C] tensor (the first on ties):
    /// the predicted class of each sample.
    public func argmaxRows() -> [Int32] {
        precondition(rank == 2 && shape[1] > 0, "Tensor.argmaxRows: shape \(shape) is not [B, C] with C > 0")
        let (rows, classes) = (shape[0], shape[1])
        return (0..<rows).map { r in
            var best = 0
            for j in 1..<classes where scalars[r * classes + j] > scalars[r * classes + best] { best = j }
            return Int32(best)
        }
    }
}
