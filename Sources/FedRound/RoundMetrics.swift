import FedFusion

/// What one round (or, in buffered mode, one fusion) did: who took part, who was rejected or
/// failed, the losses and accuracy, the bytes moved and the time taken. `fields` renders it
/// with snake_case keys for JSON Lines; `jsonLine` is that record as one line of JSON.
public struct RoundMetrics: Sendable, Equatable {
    /// How stale the updates of a buffered fusion were: version − base version.
    public struct Staleness: Sendable, Equatable {
        /// The mean staleness of the fused updates.
        public var mean: Double
        /// The largest staleness.
        public var max: Int

        /// Creates a summary.
        public init(mean: Double, max: Int) {
            self.mean = mean
            self.max = max
        }
    }

    /// The round (from 1); in buffered mode, the number of fusions so far.
    public var round: Int
    /// The global version after the round (unchanged when the result was rejected).
    public var version: Int
    /// How many nodes were asked.
    public var selected: Int
    /// The nodes whose updates were fused, in fold order.
    public var participants: [String]
    /// The updates refused before fusion.
    public var rejected: [RejectedUpdate]
    /// The asked nodes that delivered no usable update, and why.
    public var failures: [NodeFailure]
    /// The participants' total sample count.
    public var samples: Int
    /// The sample-weighted mean of the participants' `train_loss`.
    public var trainLoss: Double?
    /// The new global model's test loss, if it was evaluated this round.
    public var testLoss: Double?
    /// The new global model's test accuracy, if it was evaluated this round.
    public var testAccuracy: Double?
    /// Bytes of parameters sent to nodes (4 per float).
    public var bytesDown: Int
    /// Bytes of updates received (4 per float), rejected ones included.
    public var bytesUp: Int
    /// Wall time of the round on the engine's clock (virtual time under a simulated clock).
    public var seconds: Double
    /// The slowest participant's own training time (`train_seconds` it reported), if any did:
    /// `seconds / slowestNodeSeconds` is the round's overhead ratio (1.0 = no overhead).
    public var slowestNodeSeconds: Double?
    /// Buffered mode: the mean and largest staleness (version − base version) of the fused updates.
    public var staleness: Staleness?
    /// Why the fused result was discarded and the old global kept (non-finite values), if it was.
    public var resultRejected: String?
    /// The round's error when it failed (too few usable updates, nothing to fuse) and the
    /// engine was told to go on (`RoundPolicy.OnFailedRound.skip`); the global is unchanged.
    public var roundFailed: String?
    /// Each fused update's SHA-256 (hex) by node: the ledger's commitments (empty unless the
    /// policy records them). With secure aggregation, the SHA-256 of each masked input.
    public var commitments: [String: String] = [:]
    /// Each participant's sample count (its FedAvg weight), by node.
    public var participantSamples: [String: Int] = [:]
    /// The privacy budget spent so far (ε at the run's δ), when the run is differentially private.
    public var epsilon: Double?

    /// Creates a record.
    public init(round: Int, version: Int, selected: Int, participants: [String], rejected: [RejectedUpdate], failures: [NodeFailure],
                samples: Int, trainLoss: Double?, testLoss: Double? = nil, testAccuracy: Double? = nil, bytesDown: Int, bytesUp: Int,
                seconds: Double, staleness: Staleness? = nil, resultRejected: String? = nil, roundFailed: String? = nil,
                slowestNodeSeconds: Double? = nil) {
        self.round = round
        self.version = version
        self.selected = selected
        self.participants = participants
        self.rejected = rejected
        self.failures = failures
        self.samples = samples
        self.trainLoss = trainLoss
        self.testLoss = testLoss
        self.testAccuracy = testAccuracy
        self.bytesDown = bytesDown
        self.bytesUp = bytesUp
        self.seconds = seconds
        self.staleness = staleness
        self.resultRejected = resultRejected
        self.roundFailed = roundFailed
        self.slowestNodeSeconds = slowestNodeSeconds
    }

    /// The record as ordered (key, value) pairs with snake_case keys carrying their unit:
    /// `round`, `version`, `selected`, `participants`, `rejected`, `failures`, `samples`,
    /// `train_loss`, `test_loss`, `test_accuracy`, `bytes_down`, `bytes_up`, `seconds`; then,
    /// when present, `slowest_node_seconds`, `staleness_mean`, `staleness_max`, `result_rejected`, `round_failed`, and the reasons
    /// (`rejected_reasons`, `failure_reasons`, as `node: reason` texts).
    public var fields: [(key: String, value: MetricValue)] {
        func optional(_ d: Double?) -> MetricValue { d.map(MetricValue.number) ?? .null }
        var f: [(key: String, value: MetricValue)] = [
            ("round", .integer(round)), ("version", .integer(version)), ("selected", .integer(selected)),
            ("participants", .integer(participants.count)), ("rejected", .integer(rejected.count)),
            ("failures", .integer(failures.count)), ("samples", .integer(samples)),
            ("train_loss", optional(trainLoss)), ("test_loss", optional(testLoss)), ("test_accuracy", optional(testAccuracy)),
            ("bytes_down", .integer(bytesDown)), ("bytes_up", .integer(bytesUp)), ("seconds", .number(seconds)),
        ]
        if let slowestNodeSeconds { f.append(("slowest_node_seconds", .number(slowestNodeSeconds))) }
        if let epsilon { f.append(("epsilon", .number(epsilon))) }
        if let staleness {
            f.append(("staleness_mean", .number(staleness.mean)))
            f.append(("staleness_max", .integer(staleness.max)))
        }
        if let resultRejected { f.append(("result_rejected", .string(resultRejected))) }
        if let roundFailed { f.append(("round_failed", .string(roundFailed))) }
        if !rejected.isEmpty { f.append(("rejected_reasons", .strings(rejected.map(\.description)))) }
        if !failures.isEmpty { f.append(("failure_reasons", .strings(failures.map { "\($0.nodeID): \($0.reason)" }))) }
        return f
    }

    /// `fields` as one line of JSON (no trailing newline).
    public var jsonLine: String {
        "{" + fields.map { MetricValue.quote($0.key) + ":" + $0.value.json }.joined(separator: ",") + "}"
    }
}
