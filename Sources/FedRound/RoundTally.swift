import FedFusion

/// What a finished round collected: the fused delta of its usable updates (or why there is
/// none), who contributed, who was rejected or failed and why, and what it cost in bytes. Produced by
/// `RoundStateMachine`; the driver turns it into a new global model and `RoundMetrics`.
public struct RoundTally: Sendable {
    /// The round.
    public var round: Int
    /// The global version the nodes trained from.
    public var version: Int
    /// The selected nodes, in selection (fold) order.
    public var selected: [String]
    /// The nodes whose updates were folded, in fold order (not applied if the round failed).
    public var participants: [String]
    /// The updates refused before fusion, in selection order (unselected senders last).
    public var rejected: [RejectedUpdate]
    /// The selected nodes that delivered no usable update, in selection order.
    public var failures: [NodeFailure]
    /// The accumulator's fused delta; or the round's failure: `RoundError.quorumNotMet` (how
    /// many usable updates were needed, which nodes failed why) or `.nothingToFuse`.
    public var outcome: Result<[Float], RoundError>
    /// The participants' total sample count.
    public var sampleCount: Int
    /// The sample-weighted mean of the participants' `train_loss` (nil if none reported one).
    public var trainLoss: Double?
    /// The largest `train_seconds` a participant reported: the slowest node's own training
    /// time, the yardstick of the round's overhead (nil if none reported one).
    public var slowestNodeSeconds: Double? = nil
    /// Bytes of global parameters sent to nodes (4 per float).
    public var bytesDown: Int
    /// Bytes of deltas received from nodes, rejected ones included (4 per float).
    public var bytesUp: Int
    /// Each fused update's SHA-256 (hex) by node, when the round records commitments.
    public var commitments: [String: String] = [:]
    /// Each participant's sample count (its FedAvg weight).
    public var participantSamples: [String: Int] = [:]
}
