/// Stochastic gradient descent with optional momentum, Nesterov momentum and L2 weight decay,
/// with PyTorch's `torch.optim.SGD` semantics (dampening 0):
///
///     g ← g + weightDecay · p
///     v ← momentum · v + g            (v starts at 0, so the first v is g)
///     p ← p - lr · v                  or, with nesterov, p ← p - lr · (g + momentum · v)
///
/// Without momentum this is plain `p ← p - lr · g` and keeps no state.
public struct SGD: Optimizer {
    /// The step size.
    public var learningRate: Float
    /// The momentum factor μ (0 disables momentum).
    public var momentum: Float
    /// The L2 penalty added to each gradient as `weightDecay · p`.
    public var weightDecay: Float
    /// Whether to use Nesterov momentum (needs a positive `momentum`).
    public var nesterov: Bool
    /// The velocity of each parameter, by position.
    private var velocity: [Tensor] = []

    /// Creates the optimizer.
    /// - Parameters:
    ///   - learningRate: the step size (positive).
    ///   - momentum: the momentum factor in [0, 1).
    ///   - weightDecay: the L2 penalty (non-negative).
    ///   - nesterov: whether to use Nesterov momentum.
    public init(learningRate: Float, momentum: Float = 0, weightDecay: Float = 0, nesterov: Bool = false) {
        precondition(learningRate > 0, "SGD: learning rate \(learningRate) must be positive")
        precondition(momentum >= 0 && weightDecay >= 0, "SGD: momentum \(momentum) and weight decay \(weightDecay) must be non-negative")
        precondition(!nesterov || momentum > 0, "SGD: Nesterov momentum needs a positive momentum")
        self.learningRate = learningRate
        self.momentum = momentum
        self.weightDecay = weightDecay
        self.nesterov = nesterov
    }

    /// Applies one step to `parameters` (see the type's equations); traps if the counts or
    /// shapes of `parameters` and `gradients` differ.
    public mutating func update(_ parameters: inout [Tensor], gradients: [Tensor]) {
        checkOptimizerInput(parameters, gradients, optimizer: "SGD")
        let (lr, mu, wd, nesterov) = (learningRate, momentum, weightDecay, nesterov)
        for i in 0..<parameters.count {
            if mu != 0 { prepareOptimizerState(&velocity, count: parameters.count, index: i, shape: parameters[i].shape) }
            gradients[i].scalars.withUnsafeBufferPointer { G in
                parameters[i].scalars.withUnsafeMutableBufferPointer { P in
                    if mu == 0 {
                        for j in 0..<P.count { P[j] -= lr * (G[j] + wd * P[j]) }
                        return
                    }
                    velocity[i].scalars.withUnsafeMutableBufferPointer { V in
                        for j in 0..<P.count {
                            let g = G[j] + wd * P[j]
                            V[j] = mu * V[j] + g
                            P[j] -= lr * (nesterov ? g + mu * V[j] : V[j])
                        }
                    }
                }
            }
        }
    }
}
