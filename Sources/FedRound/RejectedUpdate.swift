/// An update the engine refused before fusion, with the node and the reason. A rejected update
/// never reaches the accumulator; a selected node whose update was rejected is also passed to
/// the strategy as a `NodeFailure` (`rejected: <detail>`).
public struct RejectedUpdate: Sendable, Equatable, CustomStringConvertible {
    /// Why an update was rejected.
    public enum Reason: String, Sendable, Equatable, CaseIterable {
        /// The sender was not selected for this round.
        case notSelected = "not_selected"
        /// The sender was selected but not yet asked (an unsolicited reply).
        case unsolicited
        /// The sender already answered this round.
        case duplicate
        /// The reply names another node than the channel it arrived on.
        case identityMismatch = "identity_mismatch"
        /// The reply answers another round.
        case wrongRound = "wrong_round"
        /// The delta's length is not the model's parameter count.
        case wrongLength = "wrong_length"
        /// The delta holds NaN or ±Inf.
        case nonFinite = "non_finite"
        /// The sample count is zero or negative.
        case invalidSampleCount = "invalid_sample_count"
    }

    /// The node the update came from (the channel's identity).
    public var nodeID: String
    /// The round it was rejected in.
    public var round: Int
    /// The rule it broke.
    public var reason: Reason
    /// What was expected and what arrived.
    public var detail: String

    /// Creates a rejection record.
    public init(nodeID: String, round: Int, reason: Reason, detail: String) {
        self.nodeID = nodeID
        self.round = round
        self.reason = reason
        self.detail = detail
    }

    public var description: String { "\(nodeID): \(reason.rawValue): \(detail)" }
}
