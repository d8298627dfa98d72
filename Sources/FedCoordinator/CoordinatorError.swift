/// An error of the networked coordinator: a node that is not there, a task answer refused, a
/// peer that could not be authenticated, a configuration or a resumed run that does not fit.
/// It names the source (node, task, option, state file) and what was expected.
public struct CoordinatorError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        /// The node is not registered, went silent, or restarted.
        public static let nodeUnavailable = Code(raw: "node unavailable")
        /// A node's answer names a task that is unknown, another node's, or already answered.
        public static let taskRefused = Code(raw: "task refused")
        /// The caller has no usable identity (no client certificate, no node name).
        public static let unauthenticated = Code(raw: "unauthenticated")
        /// The identity is valid but not admitted (allow-list).
        public static let permissionDenied = Code(raw: "permission denied")
        /// A configuration value is missing or out of range.
        public static let invalidConfiguration = Code(raw: "invalid configuration")
        /// The state store holds no run to resume, or one that does not fit.
        public static let cannotResume = Code(raw: "cannot resume")
        public var description: String { raw }
    }

    /// The kind of failure.
    public var code: Code
    /// What the problem concerns, e.g. `node hospital-a` or `--state state.db`.
    public var source: String
    /// What was expected and what happened.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, source: String, _ message: String) {
        self.code = code
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(code): \(message)" }
}
