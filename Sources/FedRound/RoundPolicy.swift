/// How the engine runs rounds: how many nodes per round, how they train, how many it waits for,
/// how many it asks at once, how long it waits for each, and the seed of its choices.
public struct RoundPolicy: Sendable, Equatable {
    /// What `FederationRunner.runRound()` does when a round fails (too few usable updates, or
    /// nothing to fuse). Either way the global model and the strategy's state are unchanged.
    public enum OnFailedRound: Sendable, Equatable {
        /// Throw the round's `RoundError` (a coordinator reports it and stops or retries).
        case throwError
        /// Return the round's metrics with `roundFailed` set, and let the caller go on (a
        /// simulation keeps running, e.g. to show a strategy that Byzantine nodes broke).
        case skip
    }

    /// Nodes selected per round (C·K in McMahan et al.; capped at the number of nodes). In
    /// buffered mode unused: `concurrency` nodes train at any time.
    public var perRound: Int
    /// Local training hyperparameters sent with every task (the strategy's instructions are
    /// added per round).
    public var training: LocalTrainingConfiguration
    /// How many usable updates a round needs (default: half the selected nodes, rounded up).
    public var quorum: Quorum
    /// The most nodes asked and not yet answered at once (at least 1). For in-process nodes,
    /// the number of cores to keep busy; for remote nodes it can be the whole selection.
    public var concurrency: Int
    /// The reorder window of `RoundStateMachine` (default 4 × `concurrency`): how many updates
    /// may wait to be folded in selection order. Memory is O(reorderCapacity × model).
    public var reorderCapacity: Int?
    /// How long to wait for one node's reply before counting it as failed (`timed out`);
    /// nil: no limit.
    public var nodeTimeout: Duration?
    /// The seed of node selection (round `r` draws from `SeededRandom(seed).derived(stream: r)`).
    public var seed: UInt64
    /// What a failed round does (default: throw).
    public var onFailedRound: OnFailedRound
    /// Record the SHA-256 of every fused update (`RoundMetrics.commitments`), for the ledger.
    /// Off by default: hashing costs a pass over each update.
    public var recordsCommitments = false

    /// Creates a policy.
    public init(perRound: Int, training: LocalTrainingConfiguration, quorum: Quorum = .fraction(0.5), concurrency: Int,
                reorderCapacity: Int? = nil, nodeTimeout: Duration? = nil, seed: UInt64 = 1, onFailedRound: OnFailedRound = .throwError) {
        self.perRound = perRound
        self.training = training
        self.quorum = quorum
        self.concurrency = concurrency
        self.reorderCapacity = reorderCapacity
        self.nodeTimeout = nodeTimeout
        self.seed = seed
        self.onFailedRound = onFailedRound
    }

    /// Checks every value's range.
    /// - Throws: `RoundError.invalidConfiguration` naming the offending value.
    public func validate() throws {
        guard perRound >= 1 else {
            throw RoundError(.invalidConfiguration, source: "per round", "expected at least 1 node per round, got \(perRound)")
        }
        guard concurrency >= 1 else {
            throw RoundError(.invalidConfiguration, source: "concurrency", "expected at least 1, got \(concurrency)")
        }
        if let reorderCapacity, reorderCapacity < 1 {
            throw RoundError(.invalidConfiguration, source: "reorder capacity", "expected at least 1, got \(reorderCapacity)")
        }
        if let nodeTimeout, nodeTimeout <= .zero {
            throw RoundError(.invalidConfiguration, source: "node timeout", "expected a positive duration, got \(nodeTimeout)")
        }
        try quorum.validate()
        try training.validate()
    }
}

extension RoundPolicy {
    /// This policy, recording commitments or not.
    public func recording(commitments: Bool) -> RoundPolicy {
        var p = self
        p.recordsCommitments = commitments
        return p
    }
}
