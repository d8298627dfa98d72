/// One node's contribution to a round, as fusion sees it. The round engine has already
/// validated it (selected node, right length, finite values, not a duplicate).
public struct NodeUpdate: Sendable, Equatable {
    /// The node's identifier.
    public var nodeID: String
    /// The node's trained parameters minus the global parameters it started from, flat, in
    /// model order (`ModelParameters.flattened()` order).
    public var delta: [Float]
    /// How many local samples the node trained on (FedAvg's weight).
    public var sampleCount: Int
    /// The global model version (the round) the node started from. With synchronous rounds it
    /// equals the current round; buffered asynchronous fusion uses the difference (staleness).
    public var baseVersion: Int
    /// Numbers the node reports, e.g. `train_loss`, `validation_accuracy`.
    public var metrics: [String: Double]

    /// Creates an update.
    public init(nodeID: String, delta: [Float], sampleCount: Int, baseVersion: Int, metrics: [String: Double] = [:]) {
        self.nodeID = nodeID
        self.delta = delta
        self.sampleCount = sampleCount
        self.baseVersion = baseVersion
        self.metrics = metrics
    }
}

/// A selected node that did not deliver a usable update, and why. Failures are an explicit
/// input to a strategy (Flower's `failures`), never silently dropped.
public struct NodeFailure: Sendable, Equatable {
    /// The node's identifier.
    public var nodeID: String
    /// What went wrong: timed out, disconnected, rejected update (with the rejection reason).
    public var reason: String

    /// Creates a failure record.
    public init(nodeID: String, reason: String) {
        self.nodeID = nodeID
        self.reason = reason
    }
}
