#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// How Rényi DP at a grid of orders is turned into an (ε, δ) guarantee; both minimise over
/// the grid.
public enum RDPConversion: String, Sendable, Equatable, CaseIterable {
    /// Balle, Barthe, Gaboardi, Hsu, Sato 2020 (Thm 21) / Canonne, Kamath, Steinke 2020, as in
    /// dp-accounting and Opacus: ε = RDP(α) + log((α − 1)/α) − (log δ + log α)/(α − 1) for
    /// α > 1.01 (orders up to 1.01 give +∞), and ε = 0 when δ² + expm1(−RDP(α)) > 0 (the bound
    /// through the KL divergence). The default.
    case improved
    /// Mironov 2017 (Prop. 3), as in TF-Privacy before 2020: ε = RDP(α) + log(1/δ)/(α − 1).
    case classic

    /// ε at one order.
    /// - Parameters:
    ///   - rdp: RDP(α) ≥ 0, possibly +∞.
    ///   - order: α > 1.
    ///   - delta: δ in (0, 1).
    func epsilon(rdp: Double, order alpha: Double, delta: Double) -> Double {
        if rdp == .infinity { return .infinity }
        switch self {
        case .classic:
            return rdp - log(delta) / (alpha - 1)
        case .improved:
            if delta * delta + expm1(-rdp) > 0 { return 0 }
            guard alpha > 1.01 else { return .infinity }
            return rdp + log1p(-1 / alpha) - log(delta * alpha) / (alpha - 1)
        }
    }

    /// The smallest ε over the grid and the order giving it (the first such order on ties);
    /// ε is clamped at 0 from below.
    /// - Precondition: `rdp.count == orders.count > 0`, δ in (0, 1).
    func guarantee(rdp: [Double], orders: [Double], delta: Double) -> PrivacyGuarantee {
        precondition(!orders.isEmpty && rdp.count == orders.count, "\(rdp.count) RDP values for \(orders.count) orders")
        var best = 0
        var bestEpsilon = Double.infinity
        for (i, (r, a)) in zip(rdp, orders).enumerated() {
            let e = epsilon(rdp: r, order: a, delta: delta)
            if e < bestEpsilon {
                bestEpsilon = e
                best = i
            }
        }
        let order = orders[best]
        let edge = order == orders.min() || order == orders.max()
        return PrivacyGuarantee(epsilon: max(0, bestEpsilon), delta: delta, bestOrder: order, bestOrderAtGridEdge: edge)
    }
}
