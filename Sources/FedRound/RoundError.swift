/// An error from the round engine: a round that could not complete (too few usable updates,
/// nothing to fuse), an invalid configuration, or a node operation a channel does not support.
/// It names the source (round, node, option) and what was expected.
public struct RoundError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        /// Fewer usable updates arrived than the round's quorum needs.
        public static let quorumNotMet = Code(raw: "quorum not met")
        /// The strategy's accumulator produced no fused delta from the accepted updates.
        public static let nothingToFuse = Code(raw: "nothing to fuse")
        /// A configuration value is out of range (per-round count, concurrency, quorum…).
        public static let invalidConfiguration = Code(raw: "invalid configuration")
        /// The channel does not offer this operation (e.g. node-side evaluation).
        public static let unsupported = Code(raw: "unsupported")
        /// A node did not answer within its time limit.
        public static let timedOut = Code(raw: "timed out")
        public var description: String { raw }
    }

    /// The kind of failure.
    public var code: Code
    /// The round, node or option the problem concerns, e.g. `round 3` or `--per-round`.
    public var source: String
    /// What was expected and what happened.
    public var message: String
    /// The underlying error, if any.
    public var cause: (any Error)?

    /// Creates an error.
    public init(_ code: Code, source: String, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.source = source
        self.message = message
        self.cause = cause
    }

    public var description: String {
        "\(source): \(code): \(message)" + (cause.map { " (\($0))" } ?? "")
    }
}
