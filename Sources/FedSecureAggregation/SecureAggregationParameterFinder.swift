import Foundation

/// Chooses the SecAgg+ graph degree and Shamir threshold for n clients, a fraction of
/// adversarial clients and an expected dropout rate: a port of fcp's `graph_parameter_finder.cc`
/// (statistical security 2^−40, failure probability < 2^−20).
///
/// For even degrees k = 2, 4, … < n − 1 it accepts the first k where (1) a union bound on the
/// permuted Harary graph being disconnected by the bad nodes is below 2^−41 and (2) with t1 the
/// (2^−41/n) upper quantile of adversarial neighbours and t2 the (2^−20/n) lower quantile of
/// surviving neighbours (hypergeometric), t1 < t2; the threshold is then max(t1 + 1, 2).
public enum SecureAggregationParameterFinder {
    /// The server's threat model.
    public enum ThreatModel: Sendable, Hashable {
        /// Honest but curious server (what FedData implements).
        case semiHonest
        /// Semi-malicious server (needs the consistency-check round; thresholds are higher).
        case semiMalicious
    }

    /// A degree and threshold.
    public struct Parameters: Sendable, Hashable {
        /// k, neighbours per node (not counting itself).
        public var degree: Int
        /// t, Shamir shares needed to reconstruct.
        public var threshold: Int
    }

    static let securityParameter = 40.0
    static let correctnessParameter = 20.0
    static let small = 1e-14

    /// The smallest secure degree and its threshold.
    /// - Parameters:
    ///   - nodeCount: n, 1 … 1,000,000.
    ///   - adversarialRate: fraction of clients colluding with the server, in [0, 1).
    ///   - dropoutRate: fraction of clients expected to drop, in [0, 1).
    ///   - threatModel: semi-honest (default) or semi-malicious.
    /// - Throws: ``SecureAggregationError`` (`invalidConfiguration`) for out-of-range inputs,
    ///   infeasible rates (adversarial + dropout > 0.9 semi-honest, adversarial + 2·dropout > 0.9
    ///   semi-malicious), or when no degree below n − 1 works (then use the complete graph).
    public static func parameters(nodeCount n: Int, adversarialRate: Double, dropoutRate: Double,
                                  threatModel: ThreatModel = .semiHonest) throws -> Parameters {
        func bad(_ m: String) -> SecureAggregationError { SecureAggregationError(.invalidConfiguration, stage: .setup, m) }
        guard n > 0 && n <= 1_000_000 else { throw bad("parameter finder: node count must be in 1 … 1,000,000, got \(n)") }
        guard adversarialRate >= 0 && adversarialRate < 1 else { throw bad("parameter finder: adversarial rate must be in [0, 1), got \(adversarialRate)") }
        guard dropoutRate >= 0 && dropoutRate < 1 else { throw bad("parameter finder: dropout rate must be in [0, 1), got \(dropoutRate)") }
        switch threatModel {
        case .semiHonest where adversarialRate + dropoutRate > 0.9:
            throw bad("parameter finder: semi-honest needs adversarial + dropout ≤ 0.9, got \(adversarialRate) + \(dropoutRate)")
        case .semiMalicious where adversarialRate + 2 * dropoutRate > 0.9:
            throw bad("parameter finder: semi-malicious needs adversarial + 2·dropout ≤ 0.9, got \(adversarialRate) + 2·\(dropoutRate)")
        default: break
        }
        var k = 2
        while k < n - 1 {
            if let t = threshold(n: n, neighbours: k, adversarial: adversarialRate, dropout: dropoutRate, model: threatModel) {
                return Parameters(degree: k, threshold: t)
            }
            k += 2
        }
        throw bad("parameter finder: no degree below \(n - 1) is secure and correct for \(n) nodes at adversarial \(adversarialRate), dropout \(dropoutRate); use the complete graph")
    }

    /// log of a union bound on the permuted Harary graph being disconnected by the bad nodes.
    static func logProbabilityOfDisconnection(n: Int, neighbours k: Int, adversarial: Double, dropout: Double) -> Double {
        let logGapPairs = log(Double(n)) + log(Double(n - k - 1)) - log(2.0)
        let maxAdversarial = Int(((adversarial + small) * Double(n)).rounded(.down))
        let maxDropout = Int(((dropout + small) * Double(n)).rounded(.down))
        let maxBad = maxAdversarial + maxDropout
        if k > maxBad { return -Double.infinity }
        return logGapPairs + lgamma(Double(maxBad + 1)) + lgamma(Double(n - k + 1)) - lgamma(Double(n + 1)) - lgamma(Double(maxBad - k + 1))
    }

    static func threshold(n: Int, neighbours k: Int, adversarial: Double, dropout: Double, model: ThreatModel) -> Int? {
        let perEvent = securityParameter + 1
        if logProbabilityOfDisconnection(n: n, neighbours: k, adversarial: adversarial, dropout: dropout) >= -perEvent * log(2.0) {
            return nil
        }
        let upperAdversarial = Int(((adversarial + small) * Double(n)).rounded(.down))
        let lowerSurviving = Int(((1 - dropout - small) * Double(n)).rounded(.up))
        let adversarialNeighbours = HypergeometricDistribution(total: n, marked: upperAdversarial, sampled: k)
        let survivingNeighbours = HypergeometricDistribution(total: n, marked: lowerSurviving, sampled: k)
        var t1 = adversarialNeighbours.quantile(pow(2, -perEvent) / Double(n), complement: true)
        var t2 = survivingNeighbours.quantile(pow(2, -correctnessParameter) / Double(n))
        if survivingNeighbours.cdf(t2) < pow(2, -correctnessParameter) / Double(n) { t2 += 1 }
        if model == .semiMalicious { t1 = ((t1 + Double(k) - 1.25) / 2).rounded(.up) }
        if t2 <= t1 { return nil }
        return Int(max(t1 + 1, 2))
    }
}
