/// An error from secure aggregation: a malformed or unexpected message, a threshold that can no
/// longer be met, a reconstruction that fails its check, an invalid configuration. It names the
/// stage, the node(s) concerned and what was expected. A round that throws one produces no result.
public struct SecureAggregationError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        /// Parameters out of range (threshold, degree, bit width, vector length, ids).
        public static let invalidConfiguration = Code(raw: "invalid configuration")
        /// A message's bytes are truncated, garbled or of the wrong kind.
        public static let malformedMessage = Code(raw: "malformed message")
        /// A well-formed message that is not acceptable now: wrong stage, unknown or duplicate
        /// sender, ids outside the expected set, duplicate keys, wrong sizes.
        public static let unexpectedMessage = Code(raw: "unexpected message")
        /// Too few surviving neighbours or shares: the round cannot complete.
        public static let thresholdNotMet = Code(raw: "threshold not met")
        /// The server asked a client for something that would break privacy (both shares of one
        /// peer, a share of itself as dropped); the client refuses.
        public static let refusedRequest = Code(raw: "refused request")
        /// A reconstructed secret does not match its public key or commitment, or a share box
        /// did not open.
        public static let verificationFailed = Code(raw: "verification failed")
        /// An input vector or weight is outside what the configuration allows.
        public static let invalidInput = Code(raw: "invalid input")
        public var description: String { raw }
    }

    /// The kind of failure.
    public var code: Code
    /// The protocol stage in which it happened.
    public var stage: SecureAggregationStage
    /// The node ids concerned (empty when the problem is not tied to particular nodes).
    public var nodes: [UInt64]
    /// What was expected and what happened.
    public var message: String
    /// The underlying error (e.g. a `FedCryptoError`), if any.
    public var cause: (any Error)?

    /// Creates an error.
    public init(_ code: Code, stage: SecureAggregationStage, nodes: [UInt64] = [], _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.stage = stage
        self.nodes = nodes
        self.message = message
        self.cause = cause
    }

    public var description: String {
        let who = nodes.isEmpty ? "" : " node\(nodes.count == 1 ? "" : "s") \(nodes.map(String.init).joined(separator: ", ")):"
        return "secure aggregation \(stage):\(who) \(code): \(message)" + (cause.map { " (\($0))" } ?? "")
    }
}
