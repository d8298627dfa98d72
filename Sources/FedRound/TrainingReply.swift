/// What a node sends back after a training task: its update, or that it declined to take part.
public struct TrainingReply: Sendable, Equatable {
    /// The result of the node's local work.
    public enum Outcome: Sendable, Equatable {
        /// The node trained: its parameters minus the global ones it received (flat, model
        /// order), and how many samples it trained on (FedAvg's weight).
        case update(delta: [Float], sampleCount: Int)
        /// The node chose not to take part this round (e.g. dynamic fusion's local validation
        /// said its update would not help). Counts as a failure `declined: <reason>`, not an error.
        case declined(reason: String)
    }

    /// The node's identifier.
    public var nodeID: String
    /// The round (task `round`) this reply answers.
    public var round: Int
    /// The update or the refusal.
    public var outcome: Outcome
    /// Numbers the node reports: `train_loss` (mean over its local steps), `validation_accuracy`…
    public var metrics: [String: Double]

    /// Creates a reply.
    public init(nodeID: String, round: Int, outcome: Outcome, metrics: [String: Double] = [:]) {
        self.nodeID = nodeID
        self.round = round
        self.outcome = outcome
        self.metrics = metrics
    }

    /// A reply carrying an update.
    public static func update(nodeID: String, round: Int, delta: [Float], sampleCount: Int, metrics: [String: Double] = [:]) -> TrainingReply {
        TrainingReply(nodeID: nodeID, round: round, outcome: .update(delta: delta, sampleCount: sampleCount), metrics: metrics)
    }

    /// The number of floats the reply moved upward (its delta's length; 0 when declined).
    public var floatsCarried: Int {
        if case .update(let delta, _) = outcome { return delta.count }
        return 0
    }
}
