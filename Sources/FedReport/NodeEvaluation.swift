/// A node's evaluation of the final model on its own data, and whether its signature on the
/// result verified against the node's key.
public struct NodeEvaluation: Sendable, Equatable {
    /// One named metric, e.g. `accuracy` = 0.85.
    public struct Metric: Sendable, Equatable {
        /// The metric's name.
        public var name: String
        /// Its value.
        public var value: Double

        /// Creates a metric.
        /// - Parameters:
        ///   - name: The metric's name.
        ///   - value: Its value.
        public init(_ name: String, _ value: Double) {
            self.name = name
            self.value = value
        }
    }

    /// The node's name.
    public var node: String
    /// The metrics, in the order the node reported them.
    public var metrics: [Metric]
    /// Whether the node's signature over the evaluation verified.
    public var signatureVerified: Bool

    /// Creates an evaluation.
    /// - Parameters:
    ///   - node: The node's name.
    ///   - metrics: Its metrics.
    ///   - signatureVerified: Whether its signature verified.
    public init(node: String, metrics: [Metric], signatureVerified: Bool) {
        self.node = node
        self.metrics = metrics
        self.signatureVerified = signatureVerified
    }
}
