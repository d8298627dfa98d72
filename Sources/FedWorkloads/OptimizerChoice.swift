import FedTensor

/// An optimizer chosen at run time (from the command line or a configuration file).
public enum OptimizerChoice: Sendable, Equatable {
    /// SGD with momentum and weight decay (PyTorch semantics).
    case sgd(learningRate: Float, momentum: Float, weightDecay: Float)
    /// Adam with bias correction.
    case adam(learningRate: Float, weightDecay: Float)

    /// The optimizer, with fresh state.
    public func make() -> AnyOptimizer {
        switch self {
        case let .sgd(lr, momentum, wd): return .sgd(SGD(learningRate: lr, momentum: momentum, weightDecay: wd))
        case let .adam(lr, wd): return .adam(Adam(learningRate: lr, weightDecay: wd))
        }
    }

    /// A short description such as `sgd(lr 0.1, momentum 0.9)`.
    public var summary: String {
        switch self {
        case let .sgd(lr, m, wd): return "sgd(lr \(lr), momentum \(m), weight decay \(wd))"
        case let .adam(lr, wd): return "adam(lr \(lr), weight decay \(wd))"
        }
    }
}

/// One of the built-in optimizers behind a single concrete type.
public enum AnyOptimizer: Optimizer {
    case sgd(SGD)
    case adam(Adam)

    public var learningRate: Float {
        get {
            switch self {
            case .sgd(let o): return o.learningRate
            case .adam(let o): return o.learningRate
            }
        }
        set {
            switch self {
            case .sgd(var o): o.learningRate = newValue; self = .sgd(o)
            case .adam(var o): o.learningRate = newValue; self = .adam(o)
            }
        }
    }

    public mutating func update(_ parameters: inout [Tensor], gradients: [Tensor]) {
        switch self {
        case .sgd(var o):
            o.update(&parameters, gradients: gradients)
            self = .sgd(o)
        case .adam(var o):
            o.update(&parameters, gradients: gradients)
            self = .adam(o)
        }
    }
}
