/// How DP-FedAvg chooses its clip norm C.
public enum ClippingPolicy: Sendable, Equatable {
    /// A fixed C > 0, a hyperparameter: too small biases the updates, too large wastes noise.
    case fixed(clipNorm: Double)
    /// C tracks a quantile of the update norms privately (Andrew et al. 2021); the total
    /// noise multiplier is split between the update and the clipped-count query.
    case adaptive(AdaptiveClipNorm)

    /// The current clip norm C.
    public var clipNorm: Double {
        switch self {
        case .fixed(let c): return c
        case .adaptive(let a): return a.clipNorm
        }
    }
}
