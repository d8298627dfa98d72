/// Per-node contribution values from one method over one or more rounds.
public struct ContributionValues: Sendable, Equatable {
    /// The method's name, e.g. `GTG-Shapley`.
    public var method: String
    /// Each player's total value, `Σ_t weight_t · perRound[t][i]`, indexed by player.
    public var values: [Double]
    /// Each round's values, `perRound[t][i]` for round `t` and player `i`.
    public var perRound: [[Double]]
    /// The weight of each round in the total.
    public var roundWeights: [Double]
    /// The number of distinct coalition utilities evaluated (model evaluations) over all rounds.
    public var utilityEvaluations: Int
    /// The number of utility lookups over all rounds, memoised or not.
    public var utilityRequests: Int

    /// Creates a result.
    /// - Parameters:
    ///   - method: The method's name.
    ///   - values: Total value per player.
    ///   - perRound: Values per round and player.
    ///   - roundWeights: Weight of each round.
    ///   - utilityEvaluations: Distinct utility evaluations used.
    ///   - utilityRequests: Utility lookups made.
    public init(
        method: String, values: [Double], perRound: [[Double]], roundWeights: [Double],
        utilityEvaluations: Int, utilityRequests: Int
    ) {
        self.method = method
        self.values = values
        self.perRound = perRound
        self.roundWeights = roundWeights
        self.utilityEvaluations = utilityEvaluations
        self.utilityRequests = utilityRequests
    }
}
