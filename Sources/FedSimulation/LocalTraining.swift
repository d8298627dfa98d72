import FedDatasets
import FedModels
import FedTensor

/// A node's local optimisation: `epochs` passes of minibatch SGD over its samples, each pass
/// in a fresh order drawn from `rng`, with FedProx's proximal term when `proximalMu` > 0.
enum LocalTraining {
    /// What local training produced.
    struct Outcome {
        var parameters: ModelParameters
        /// The mean of the steps' data losses (the proximal term excluded).
        var meanLoss: Double
        var steps: Int
    }

    /// Trains `start` on the samples `indices` of `data`.
    ///
    /// FedProx (Li et al. 2020): each gradient g of the local objective gets μ(w − w_global)
    /// added before the optimizer step, the gradient of (μ/2)‖w − w_global‖².
    ///
    /// - Throws: `CancellationError` between steps when the calling task is cancelled.
    static func run<M: Model>(model: M, start: ModelParameters, data: any SampleSource, indices: [Int], epochs: Int,
                              batchSize: Int, optimizer: SGD, proximalMu: Float, rng: inout SeededRandom) throws -> Outcome {
        var parameters = start
        var optimizer = optimizer
        var lossSum = 0.0
        var steps = 0
        var order = indices
        for _ in 0..<epochs {
            rng.shuffle(&order)
            var lo = 0
            while lo < order.count {
                try Task.checkCancellation()
                let hi = min(order.count, lo + batchSize)
                let batch = data.batch(order[lo..<hi])
                var (loss, gradients) = ModelTrainer<M, SGD>.lossAndGradients(model: model, parameters: parameters, batch: batch)
                if proximalMu > 0 { addProximalGradient(&gradients, mu: proximalMu, parameters: parameters, anchor: start) }
                optimizer.update(&parameters.tensors, gradients: gradients)
                lossSum += Double(loss)
                steps += 1
                lo = hi
            }
        }
        return Outcome(parameters: parameters, meanLoss: steps > 0 ? lossSum / Double(steps) : 0, steps: steps)
    }

    /// g ← g + μ(w − w₀), tensor by tensor.
    static func addProximalGradient(_ gradients: inout [Tensor], mu: Float, parameters: ModelParameters, anchor: ModelParameters) {
        for t in gradients.indices {
            parameters.tensors[t].scalars.withUnsafeBufferPointer { w in
                anchor.tensors[t].scalars.withUnsafeBufferPointer { w0 in
                    gradients[t].scalars.withUnsafeMutableBufferPointer { g in
                        for j in 0..<g.count { g[j] += mu * (w[j] - w0[j]) }
                    }
                }
            }
        }
    }

    /// Loss and accuracy of `parameters` on the samples `indices` of `data`, in batches of 256.
    static func evaluate<M: Model>(model: M, parameters: ModelParameters, data: any SampleSource, indices: [Int]) -> Evaluation {
        let batches = stride(from: 0, to: indices.count, by: 256).lazy.map { lo in
            data.batch(indices[lo..<min(indices.count, lo + 256)])
        }
        return model.evaluate(parameters, on: batches)
    }
}
