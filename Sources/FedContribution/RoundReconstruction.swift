/// One federated round, kept so that the model any coalition of its nodes would have produced
/// can be rebuilt without retraining (the "round reconstruction" of GTG-Shapley): the round's
/// starting global model `θ_t`, each node's update `Δ_i` and its fusion weight `w_i`.
///
/// The coalition `S` gets the FedAvg model
///
///     θ_S = θ_t + η · Σ_{i∈S} w_i Δ_i / Σ_{i∈S} w_i        (θ_∅ = θ_t)
///
/// with server learning rate `η` (1 for plain FedAvg), accumulated in `Double`.
public struct RoundReconstruction: Sendable {
    /// The round, for error messages.
    public let round: Int
    /// θ_t, the global parameters the round started from, flattened: shape `[P]`.
    public let globalModel: [Float]
    /// Δ_i, each node's update (local model − θ_t): `n` arrays of shape `[P]`.
    public let updates: [[Float]]
    /// w_i > 0, each node's fusion weight (e.g. its number of training examples).
    public let weights: [Double]
    /// η, the server learning rate applied to the fused update.
    public let serverLearningRate: Float

    /// The number of nodes in the round.
    public var nodeCount: Int { updates.count }

    /// Creates a reconstruction.
    /// - Parameters:
    ///   - round: The round index, for error messages.
    ///   - globalModel: θ_t, shape `[P]`, finite.
    ///   - updates: Δ_i per node, each of shape `[P]`, finite; 1...64 nodes.
    ///   - weights: One finite weight > 0 per node; `nil` weighs every node 1.
    ///   - serverLearningRate: η, finite (default 1).
    /// - Throws: `ContributionError.invalidRound` for no updates or more than 64, an update of
    ///   the wrong size, a non-finite parameter, or a weight that is missing, ≤ 0 or not finite.
    public init(
        round: Int = 0, globalModel: [Float], updates: [[Float]], weights: [Double]? = nil,
        serverLearningRate: Float = 1
    ) throws {
        let source = "round \(round)"
        guard !updates.isEmpty, updates.count <= Coalition.maximumPlayers else {
            throw ContributionError(
                .invalidRound, source: source,
                "\(updates.count) node updates; expected 1...\(Coalition.maximumPlayers)")
        }
        if let j = globalModel.firstIndex(where: { !$0.isFinite }) {
            throw ContributionError(
                .invalidRound, source: "\(source), global model", "parameter \(j) is \(globalModel[j]); expected finite")
        }
        for (i, delta) in updates.enumerated() {
            guard delta.count == globalModel.count else {
                throw ContributionError(
                    .invalidRound, source: "\(source), node \(i)",
                    "update has \(delta.count) parameters; expected \(globalModel.count) like the global model")
            }
            if let j = delta.firstIndex(where: { !$0.isFinite }) {
                throw ContributionError(
                    .invalidRound, source: "\(source), node \(i)", "update parameter \(j) is \(delta[j]); expected finite")
            }
        }
        let w = weights ?? [Double](repeating: 1, count: updates.count)
        guard w.count == updates.count else {
            throw ContributionError(
                .invalidRound, source: "\(source), weights", "\(w.count) weights; expected one per node (\(updates.count))")
        }
        if let i = w.firstIndex(where: { !($0.isFinite && $0 > 0) }) {
            throw ContributionError(.invalidRound, source: "\(source), node \(i)", "weight \(w[i]); expected a finite number > 0")
        }
        guard serverLearningRate.isFinite else {
            throw ContributionError(
                .invalidRound, source: "\(source), server learning rate", "\(serverLearningRate); expected finite")
        }
        self.round = round
        self.globalModel = globalModel
        self.updates = updates
        self.weights = w
        self.serverLearningRate = serverLearningRate
    }

    /// θ_S, the model the coalition's updates fuse to (θ_t for the empty coalition).
    /// - Parameter coalition: A subset of `0..<nodeCount` (other bits are ignored).
    /// - Returns: Parameters of shape `[P]`.
    public func model(for coalition: Coalition) -> [Float] {
        let members = coalition.members.filter { $0 < nodeCount }
        guard !members.isEmpty else { return globalModel }
        let totalWeight = members.reduce(0.0) { $0 + weights[$1] }
        var acc = [Double](repeating: 0, count: globalModel.count)
        for i in members {
            let w = weights[i]
            let delta = updates[i]
            for j in 0..<acc.count { acc[j] += w * Double(delta[j]) }
        }
        let scale = Double(serverLearningRate) / totalWeight
        var out = globalModel
        for j in 0..<out.count { out[j] = Float(Double(out[j]) + scale * acc[j]) }
        return out
    }

    /// The round's game: the utility of coalition `S` is `evaluate(θ_S)`.
    /// - Parameter evaluate: Scores a model, higher is better (e.g. validation accuracy, or the
    ///   negative validation loss); must return a finite number.
    /// - Returns: A memoising game over the round's `nodeCount` nodes (checked to be 1...64 at creation).
    public func utility(evaluate: @escaping @Sendable ([Float]) -> Double) -> CoalitionUtility {
        let reconstruction = self
        return CoalitionUtility(validatedPlayerCount: nodeCount) { members in
            // `members` come from `CoalitionUtility`: distinct and in 0..<nodeCount.
            evaluate(reconstruction.model(for: Coalition(bits: members.reduce(UInt64(0)) { $0 | (UInt64(1) << UInt64($1)) })))
        }
    }
}
