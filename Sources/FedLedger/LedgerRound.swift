/// What the ledger records for one completed round: the new global model's hash, who took
/// part and the hash of each accepted update (a commitment each node can check against the
/// update it sent), what was rejected and why, which nodes failed, the strategy, the privacy
/// spent and the round's metrics.
public struct LedgerRound: Sendable, Equatable {
    /// A node whose update was accepted and fused.
    public struct Participant: Sendable, Equatable {
        /// The node's identifier.
        public var nodeID: String
        /// SHA-256 of the update as received (64 lowercase hex digits).
        public var updateSHA256: String
        /// The sample count the node reported (its fusion weight).
        public var sampleCount: Int

        /// Creates a participant record.
        public init(nodeID: String, updateSHA256: String, sampleCount: Int) {
            self.nodeID = nodeID
            self.updateSHA256 = updateSHA256
            self.sampleCount = sampleCount
        }
    }

    /// An update refused before fusion, or a selected node that did not deliver one.
    public struct Exclusion: Sendable, Equatable {
        /// The node's identifier.
        public var nodeID: String
        /// A short machine-readable reason, e.g. `non_finite` or `timed_out`.
        public var reason: String
        /// What was expected and what arrived.
        public var detail: String

        /// Creates an exclusion record.
        public init(nodeID: String, reason: String, detail: String) {
            self.nodeID = nodeID
            self.reason = reason
            self.detail = detail
        }
    }

    /// The round number.
    public var round: Int
    /// SHA-256 of the new global model's parameters (64 lowercase hex digits).
    public var globalModelSHA256: String
    /// The fusion strategy used in this round.
    public var strategy: String
    /// Accepted updates, in the order the coordinator fused them.
    public var participants: [Participant]
    /// Updates rejected by validation, with reasons.
    public var rejected: [Exclusion]
    /// Selected nodes that failed (timed out, disconnected, errored).
    public var failures: [Exclusion]
    /// The cumulative privacy budget ε spent after this round, when the run uses DP.
    public var epsilonSpent: Double?
    /// The round's metrics by name (e.g. `train_loss`), as binary64 numbers.
    public var metrics: [String: Double]

    /// Creates a round record.
    public init(round: Int, globalModelSHA256: String, strategy: String, participants: [Participant], rejected: [Exclusion] = [],
                failures: [Exclusion] = [], epsilonSpent: Double? = nil, metrics: [String: Double] = [:]) {
        self.round = round
        self.globalModelSHA256 = globalModelSHA256
        self.strategy = strategy
        self.participants = participants
        self.rejected = rejected
        self.failures = failures
        self.epsilonSpent = epsilonSpent
        self.metrics = metrics
    }

    func encode(to w: inout CanonicalWriter) throws {
        let source = "round \(round) record"
        w.int(round)
        try w.digest(hex: globalModelSHA256, "\(source) global model SHA-256")
        try w.text(strategy, "\(source) strategy")
        try w.count(participants.count, "\(source) participants")
        for p in participants {
            try w.text(p.nodeID, "\(source) participant id")
            try w.digest(hex: p.updateSHA256, "\(source) update SHA-256 of node \(p.nodeID)")
            w.int(p.sampleCount)
        }
        for (list, what) in [(rejected, "rejected"), (failures, "failures")] {
            try w.count(list.count, "\(source) \(what)")
            for e in list {
                try w.text(e.nodeID, "\(source) \(what) node id")
                try w.text(e.reason, "\(source) \(what) reason")
                try w.text(e.detail, "\(source) \(what) detail")
            }
        }
        w.optionalReal(epsilonSpent)
        try w.metrics(metrics, "\(source) metrics")
    }

    static func decode(from r: inout CanonicalReader) throws -> LedgerRound {
        let round = try r.int("round")
        let model = try r.digestHex("global model SHA-256")
        let strategy = try r.text("strategy")
        let participants = try r.list("participants") { r in
            Participant(nodeID: try r.text("participant id"), updateSHA256: try r.digestHex("update SHA-256"), sampleCount: try r.int("sample count"))
        }
        let exclusion: (inout CanonicalReader) throws -> Exclusion = { r in
            Exclusion(nodeID: try r.text("node id"), reason: try r.text("reason"), detail: try r.text("detail"))
        }
        let rejected = try r.list("rejected", exclusion)
        let failures = try r.list("failures", exclusion)
        let epsilon = try r.optionalReal("epsilon spent")
        let metrics = try r.metrics("metrics")
        return LedgerRound(round: round, globalModelSHA256: model, strategy: strategy, participants: participants, rejected: rejected,
                           failures: failures, epsilonSpent: epsilon, metrics: metrics)
    }
}
