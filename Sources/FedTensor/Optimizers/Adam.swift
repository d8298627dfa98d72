/// Adam (Kingma and Ba 2015) with bias correction and optional L2 weight decay, as PyTorch's
/// `torch.optim.Adam`:
///
///     g ← g + weightDecay · p
///     m ← β₁ m + (1 - β₁) g;   v ← β₂ v + (1 - β₂) g²
///     p ← p - lr · (m / (1 - β₁ᵗ)) / (√(v / (1 - β₂ᵗ)) + ε)
///
/// where t counts the steps taken for that parameter. The first step therefore moves each
/// coordinate with a non-zero gradient by about `lr` against the gradient's sign.
public struct Adam: Optimizer {
    /// The step size.
    public var learningRate: Float
    /// The decay rate β₁ of the first-moment average.
    public var beta1: Float
    /// The decay rate β₂ of the second-moment average.
    public var beta2: Float
    /// The term ε added to the denominator for stability.
    public var epsilon: Float
    /// The L2 penalty added to each gradient as `weightDecay · p`.
    public var weightDecay: Float
    /// First and second moments of each parameter, and its step count, by position.
    private var firstMoment: [Tensor] = []
    private var secondMoment: [Tensor] = []
    private var steps: [Int] = []

    /// Creates the optimizer; the defaults are the paper's and PyTorch's.
    /// - Parameters:
    ///   - learningRate: the step size (positive).
    ///   - beta1: the first-moment decay in [0, 1).
    ///   - beta2: the second-moment decay in [0, 1).
    ///   - epsilon: the denominator's stabilizer (positive).
    ///   - weightDecay: the L2 penalty (non-negative).
    public init(learningRate: Float = 1e-3, beta1: Float = 0.9, beta2: Float = 0.999, epsilon: Float = 1e-8, weightDecay: Float = 0) {
        precondition(learningRate > 0 && epsilon > 0, "Adam: learning rate \(learningRate) and epsilon \(epsilon) must be positive")
        precondition((0..<1).contains(beta1) && (0..<1).contains(beta2), "Adam: betas \(beta1), \(beta2) must lie in [0, 1)")
        precondition(weightDecay >= 0, "Adam: weight decay \(weightDecay) must be non-negative")
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// Applies one step to `parameters` (see the type's equations); traps if the counts or
    /// shapes of `parameters` and `gradients` differ.
    public mutating func update(_ parameters: inout [Tensor], gradients: [Tensor]) {
        checkOptimizerInput(parameters, gradients, optimizer: "Adam")
        let (lr, b1, b2, eps, wd) = (learningRate, beta1, beta2, epsilon, weightDecay)
        while steps.count < parameters.count { steps.append(0) }
        for i in 0..<parameters.count {
            let shape = parameters[i].shape
            prepareOptimizerState(&firstMoment, count: parameters.count, index: i, shape: shape)
            if prepareOptimizerState(&secondMoment, count: parameters.count, index: i, shape: shape) { steps[i] = 0 }
            steps[i] += 1
            // Bias corrections 1 - βᵗ, in Double.
            let correction1 = Float(1 - Adam.power(Double(b1), steps[i]))
            let correction2 = Float(1 - Adam.power(Double(b2), steps[i]))
            let stepSize = lr / correction1
            let inverseCorrection2 = 1 / correction2
            gradients[i].scalars.withUnsafeBufferPointer { G in
                parameters[i].scalars.withUnsafeMutableBufferPointer { P in
                    firstMoment[i].scalars.withUnsafeMutableBufferPointer { M in
                        secondMoment[i].scalars.withUnsafeMutableBufferPointer { V in
                            for j in 0..<P.count {
                                let g = G[j] + wd * P[j]
                                M[j] = b1 * M[j] + (1 - b1) * g
                                V[j] = b2 * V[j] + (1 - b2) * g * g
                                P[j] -= stepSize * M[j] / ((V[j] * inverseCorrection2).squareRoot() + eps)
                            }
                        }
                    }
                }
            }
        }
    }

    /// baseᵉˣᵖᵒⁿᵉⁿᵗ for a non-negative whole exponent, by repeated squaring (no libm).
    static func power(_ base: Double, _ exponent: Int) -> Double {
        var (result, b, e) = (1.0, base, exponent)
        while e > 0 {
            if e & 1 == 1 { result *= b }
            b *= b
            e >>= 1
        }
        return result
    }
}
