/// Dynamic fusion (Zhang, Zhou, Lu, Wang, Zhu, Sun, Wang, Lo, Wang, "Dynamic-Fusion-Based
/// Federated Learning for COVID-19 Detection", IEEE Internet of Things Journal 8(21), 2021;
/// arXiv:2009.10401, 2020).
///
/// Two decisions replace FedAvg's fixed participation and its wait for the slowest node:
///
/// 1. **Nodes decide whether to take part**, from their own validation data. A node evaluates
///    the global model it has just received and compares it with its own last local model:
///    it trains and reports this round only if the global model is at least as good,
///    `globalAccuracy ≥ localAccuracy − tolerance` (`shouldParticipate`); otherwise it keeps its
///    local model and sits the round out, saving the upload. (This is our reading of the
///    paper's rule; the tolerance, 0 by default, is this implementation's addition.) It travels
///    to the nodes as the instruction `participation_tolerance`; the node side applies the rule.
/// 2. **The server fuses what arrives within a time window** (`roundTimeWindow`) after the round
///    starts, instead of waiting for every selected node; later updates count as failures
///    ("timed out"). The round engine enforces the window with its injected clock.
///
/// Fusion itself is the sample-weighted mean Δ = Σ nᵢΔᵢ / Σ nᵢ over the updates that arrived
/// (streaming, memory O(d)), and the server step w ← w + η·Δ.
public struct DynamicFusion: FusionStrategy {
    /// The time window after a round starts within which updates are fused (default 60 s).
    public let timeWindow: Duration
    /// How far below a node's own last local model the global model may score on the node's
    /// validation data and the node still take part (default 0: the global model must be at
    /// least as good).
    public let participationTolerance: Double
    /// The server learning rate η (default 1).
    public let serverLearningRate: Float

    /// Creates the strategy.
    /// - Parameters:
    ///   - timeWindow: > 0, default 60 seconds.
    ///   - participationTolerance: ≥ 0 (in accuracy units, e.g. 0.01 = one point), default 0.
    ///   - serverLearningRate: η > 0, default 1.
    /// - Throws: `FusionError.invalidOption` naming `window-seconds`, `tolerance` or `server-lr`.
    public init(timeWindow: Duration = .seconds(60), participationTolerance: Double = 0, serverLearningRate: Float = 1) throws(FusionError) {
        guard timeWindow > .zero else {
            throw FusionError(.invalidOption, source: "dynamic option window-seconds", "expected a time window > 0, got \(timeWindow)")
        }
        try OptionCheck.nonNegative(participationTolerance, "tolerance", of: "dynamic")
        try OptionCheck.positive(Double(serverLearningRate), "server-lr", of: "dynamic")
        self.timeWindow = timeWindow
        self.participationTolerance = participationTolerance
        self.serverLearningRate = serverLearningRate
    }

    /// `dynamic`.
    public var name: String { "dynamic" }

    /// The configured `timeWindow`.
    public var roundTimeWindow: Duration? { timeWindow }

    /// `["participation_tolerance": tolerance]` every round.
    public func nodeInstructions(round: Int) -> [String: Double] {
        ["participation_tolerance": participationTolerance]
    }

    /// A sample-weighted mean accumulator.
    public func makeAccumulator(parameterCount: Int, version: Int) -> WeightedMeanAccumulator {
        WeightedMeanAccumulator(parameterCount: parameterCount)
    }

    /// w ← w + η·Δ.
    /// - Precondition: `fused.count == global.count`.
    public mutating func apply(fused: [Float], to global: inout [Float], round: Int, failures: [NodeFailure]) {
        ServerStep.addScaled(serverLearningRate, fused, to: &global)
    }

    /// The node's participation rule: take part when the received global model scores at
    /// least as well on the node's validation data as the node's own last local model, within
    /// `tolerance`: `globalValidationAccuracy ≥ localValidationAccuracy − tolerance`.
    ///
    /// A node without a local model yet (`localValidationAccuracy` nil) takes part; so does a
    /// node whose accuracies are not finite numbers (it cannot judge, so it behaves as FedAvg).
    /// - Parameters:
    ///   - globalValidationAccuracy: the received global model's accuracy on local validation data.
    ///   - localValidationAccuracy: the node's last local model's accuracy on the same data.
    ///   - tolerance: the `participation_tolerance` instruction, ≥ 0.
    /// - Returns: whether the node should train and report this round.
    public static func shouldParticipate(globalValidationAccuracy: Double, localValidationAccuracy: Double?, tolerance: Double = 0) -> Bool {
        guard let local = localValidationAccuracy, local.isFinite, globalValidationAccuracy.isFinite else { return true }
        return globalValidationAccuracy >= local - max(0, tolerance)
    }
}
