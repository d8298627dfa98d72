import FedSecureAggregation

/// How a runner aggregates securely (SecAgg+): the quantization of updates into Z_(2^b), the
/// communication graph's degree and threshold, and what the parameters are chosen against.
public struct SecureAggregationPolicy: Sendable, Equatable {
    /// The federation's name, bound into every round's session id.
    public var federationID: String
    /// Each coordinate is clamped to [−c, c] before quantization.
    public var clippingRange: Float
    /// A node's weight (its sample count) is capped here (the modulus must hold n·maxWeight·L).
    public var maxWeight: Int
    /// b: the ring Z_(2^b) the masked words live in (≤ 32: one word per coordinate).
    public var bitWidth: Int
    /// The fraction of nodes that may drop out during a round, and the fraction assumed
    /// adversarial, from which degree and threshold are chosen.
    public var dropoutRate: Double
    public var adversarialRate: Double
    /// Rounds of up to this many nodes use the complete graph (Bonawitz et al.); larger ones a
    /// random Harary graph of the finder's degree (SecAgg+).
    public var completeGraphUpTo: Int

    /// Creates a policy.
    public init(federationID: String = "feddata", clippingRange: Float = 2, maxWeight: Int = 1000, bitWidth: Int = 32,
                dropoutRate: Double = 0.33, adversarialRate: Double = 0.05, completeGraphUpTo: Int = 50) {
        self.federationID = federationID
        self.clippingRange = clippingRange
        self.maxWeight = maxWeight
        self.bitWidth = bitWidth
        self.dropoutRate = dropoutRate
        self.adversarialRate = adversarialRate
        self.completeGraphUpTo = completeGraphUpTo
    }

    /// The degree and threshold for a round of `n` nodes.
    /// - Throws: `SecureAggregationError` when no threshold satisfies the rates.
    public func graph(nodeCount n: Int) throws -> (degree: Int, threshold: Int) {
        if n <= completeGraphUpTo {
            let t = max(2, Int((1 - dropoutRate) * Double(n)))
            guard t > Int(adversarialRate * Double(n)), t <= n else {
                throw SecureAggregationError(.invalidConfiguration, stage: .setup,
                                             "no threshold for \(n) nodes tolerates dropout \(dropoutRate) and adversarial rate \(adversarialRate)")
            }
            return (n - 1, t)
        }
        let p = try SecureAggregationConfiguration.recommendedGraph(nodeCount: n, adversarialRate: adversarialRate, dropoutRate: dropoutRate)
        return (p.degree, p.threshold)
    }
}
