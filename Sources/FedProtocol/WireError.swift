import GRPCCore

/// An error in wire input: bytes that are not the message they claim to be, a parameter stream
/// that is cut, reordered or oversized, a header whose fields are out of range, or a peer that
/// speaks another protocol version. It names the source (the stream, task and node) and what
/// was expected, and becomes an `RPCError` at the gRPC boundary with the same text, so the node
/// reads the reason its message was refused.
public struct WireError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        /// The bytes do not decode as the expected protobuf message, or a value is not valid
        /// encoding (a chunk whose length is not a multiple of 4, an empty message).
        public static let malformed = Code(raw: "malformed")
        /// The node and the coordinator speak different wire-protocol versions.
        public static let versionMismatch = Code(raw: "version mismatch")
        /// The node's model or data does not match the federation's (input shape, classes…).
        public static let specMismatch = Code(raw: "model mismatch")
        /// A chunk arrived with another index than the next expected one (reordered,
        /// duplicated, or one before it was dropped).
        public static let outOfOrder = Code(raw: "out of order")
        /// A chunk or a claimed length is larger than the receiver accepts.
        public static let oversized = Code(raw: "oversized")
        /// The stream ended before every announced chunk arrived.
        public static let truncated = Code(raw: "truncated")
        /// The parameters' length or a chunk's size differs from what the header announced
        /// or the model has.
        public static let lengthMismatch = Code(raw: "length mismatch")
        /// A parameter or a reported number is NaN or infinite.
        public static let nonFinite = Code(raw: "non-finite value")
        /// The parameters' SHA-256 differs from the one the header announced.
        public static let digestMismatch = Code(raw: "digest mismatch")
        /// A message of the wrong kind for this point of the exchange (a chunk before the
        /// header, a second header, a chunk after a declined update).
        public static let unexpectedMessage = Code(raw: "unexpected message")
        /// A field's value is out of range (a round of 0, a batch size of 0, an accuracy of 2).
        public static let invalidField = Code(raw: "invalid field")

        /// The code's name, e.g. `out of order`.
        public var description: String { raw }
    }

    /// The kind of failure.
    public var code: Code
    /// The stream, message or peer the problem concerns, e.g.
    /// `update stream of task r3-hospital-a from node hospital-a`.
    public var source: String
    /// What was expected and what arrived.
    public var message: String
    /// The underlying error, if any (a SwiftProtobuf decoding error, a `RoundError`).
    public var cause: (any Error)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - source: the stream, message or peer concerned.
    ///   - message: what was expected and what arrived.
    ///   - cause: the underlying error, if any.
    public init(_ code: Code, source: String, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.source = source
        self.message = message
        self.cause = cause
    }

    /// `<source>: <code>: <message>`, then the cause in parentheses if there is one.
    public var description: String {
        "\(source): \(code): \(message)" + (cause.map { " (\($0))" } ?? "")
    }
}

extension WireError: RPCErrorConvertible {
    /// The gRPC status this error ends an RPC with: `FAILED_PRECONDITION` when the peers
    /// disagree on the protocol version or the model (retrying the same call cannot help; one
    /// side must change), `INVALID_ARGUMENT` for every kind of bad data.
    public var rpcErrorCode: RPCError.Code {
        switch code {
        case .versionMismatch, .specMismatch: .failedPrecondition
        default: .invalidArgument
        }
    }

    /// The status message: the error's full description, so the node sees the same text the
    /// coordinator logs.
    public var rpcErrorMessage: String { description }

    /// The error as an `RPCError` for the gRPC boundary (a service handler may also throw the
    /// `WireError` itself: GRPCCore converts it the same way).
    public var rpcError: RPCError { RPCError(self) }
}
