import FedFusion

/// A strategy whose rounds spend a privacy budget: the round engine's drivers (simulation,
/// coordinator) ask it for ε after each round, for the metrics, and before each round whether
/// the configured budget allows it.
public protocol PrivacyAccounting: Sendable {
    /// The δ at which ε is reported (the budget's δ, or a default).
    var reportingDelta: Double { get }
    /// ε spent after `rounds` rounds, at `reportingDelta`.
    func epsilonSpent(rounds: Int) -> Double
    /// The budget, if one was configured.
    var privacyBudget: PrivacyBudget? { get }
}

extension PrivacyAccounting {
    /// Nil when `rounds` rounds fit the budget (or there is none); otherwise why they do not.
    public func budgetRefusal(rounds: Int) -> String? {
        guard let budget = privacyBudget else { return nil }
        let epsilon = epsilonSpent(rounds: rounds)
        guard epsilon > budget.epsilon else { return nil }
        return "privacy budget: round \(rounds) would spend ε = \(epsilon) at δ = \(budget.delta), above the budget ε = \(budget.epsilon); the run stops after round \(rounds - 1)"
    }
}

extension DifferentialPrivacyStrategy: PrivacyAccounting {
    /// The budget's δ, or 1e-5 without a budget.
    public var reportingDelta: Double { budget?.delta ?? 1e-5 }

    public func epsilonSpent(rounds: Int) -> Double {
        (try? privacySpent(rounds: max(0, rounds), delta: reportingDelta).epsilon) ?? .infinity
    }

    public var privacyBudget: PrivacyBudget? { budget }
}

/// The privacy accounting of a strategy, looking through `AnyFusionStrategy`; nil when the
/// strategy is not differentially private.
public func privacyAccounting(of strategy: any FusionStrategy) -> (any PrivacyAccounting)? {
    if let accounting = strategy as? any PrivacyAccounting { return accounting }
    if let erased = strategy as? AnyFusionStrategy { return privacyAccounting(of: erased.base) }
    return nil
}
