/// The server optimizer shared by FedAdagrad, FedAdam and FedYogi: Algorithm 2 of Reddi,
/// Charles, Zaheer, Garrett, Rush, Konečný, Kumar, McMahan 2021, "Adaptive Federated
/// Optimization" (ICLR). With Δₜ the fused (sample-weighted mean) delta of round t:
///
///     mₜ = β₁·mₜ₋₁ + (1 − β₁)·Δₜ
///     vₜ = vₜ₋₁ + Δₜ²                                  (FedAdagrad)
///     vₜ = β₂·vₜ₋₁ + (1 − β₂)·Δₜ²                      (FedAdam)
///     vₜ = vₜ₋₁ − (1 − β₂)·Δₜ²·sign(vₜ₋₁ − Δₜ²)        (FedYogi)
///     xₜ₊₁ = xₜ + η·mₜ / (√vₜ + τ)
///
/// element-wise, with m₋₁ = 0 and v₋₁ = τ² (the paper's initialisation v₋₁ ≥ τ²), and no
/// bias correction (the paper has none). Memory: m and v, O(d) each.
struct AdaptiveServerOptimizer: Sendable {
    /// How the second moment v is updated.
    enum SecondMomentRule: Sendable {
        case adagrad, adam, yogi
    }

    let rule: SecondMomentRule
    let learningRate: Float
    let beta1: Float
    let beta2: Float
    let tau: Float
    /// m, shape [d]; empty before the first step.
    var firstMoment: [Float] = []
    /// v, shape [d]; empty before the first step.
    var secondMoment: [Float] = []

    init(rule: SecondMomentRule, learningRate: Float, beta1: Float, beta2: Float, tau: Float) {
        self.rule = rule
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.tau = tau
    }

    /// Checks the options shared by the three strategies; `beta2` is nil for Adagrad.
    static func validate(strategy: String, learningRate: Float, beta1: Float, beta2: Float?, tau: Float) throws(FusionError) {
        try OptionCheck.positive(Double(learningRate), "server-lr", of: strategy)
        try OptionCheck.unitInterval(Double(beta1), "beta1", of: strategy)
        if let beta2 { try OptionCheck.unitInterval(Double(beta2), "beta2", of: strategy) }
        try OptionCheck.positive(Double(tau), "tau", of: strategy)
    }

    /// m and v as named vectors (empty before the first step).
    var state: [String: [Float]] {
        firstMoment.isEmpty ? [:] : ["first_moment": firstMoment, "second_moment": secondMoment]
    }

    /// Sets m and v from `state` (already checked by the strategy).
    mutating func restore(_ state: [String: [Float]]) {
        firstMoment = state["first_moment"] ?? []
        secondMoment = state["second_moment"] ?? []
    }

    /// One server step: updates m and v from `delta`, then global += η·m/(√v + τ).
    /// - Precondition: `delta.count == global.count` (and the moments', once set).
    mutating func step(delta: [Float], global: inout [Float]) {
        let d = delta.count
        precondition(global.count == d, "fused delta has \(d) scalars; the global model has \(global.count)")
        if firstMoment.isEmpty && secondMoment.isEmpty {
            firstMoment = [Float](repeating: 0, count: d)
            secondMoment = [Float](repeating: tau * tau, count: d)
        }
        precondition(firstMoment.count == d && secondMoment.count == d, "server moments have \(firstMoment.count) and \(secondMoment.count) scalars; the model has \(d)")
        let (b1, b2, t, eta, rule) = (beta1, beta2, tau, learningRate, rule)
        firstMoment.withUnsafeMutableBufferPointer { m in
            secondMoment.withUnsafeMutableBufferPointer { v in
                global.withUnsafeMutableBufferPointer { x in
                    delta.withUnsafeBufferPointer { g in
                        for i in 0..<d {
                            let gi = g[i], g2 = gi * gi
                            m[i] = b1 * m[i] + (1 - b1) * gi
                            switch rule {
                            case .adagrad: v[i] = v[i] + g2
                            case .adam: v[i] = b2 * v[i] + (1 - b2) * g2
                            case .yogi: v[i] = v[i] - (1 - b2) * g2 * Self.sign(v[i] - g2)
                            }
                            x[i] += eta * m[i] / (v[i].squareRoot() + t)
                        }
                    }
                }
            }
        }
    }

    /// −1, 0 or 1.
    @inline(__always) static func sign(_ x: Float) -> Float {
        x > 0 ? 1 : (x < 0 ? -1 : 0)
    }
}
