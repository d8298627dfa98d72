/// An error from FedSimulation: a configuration or partition that cannot be simulated. It names
/// the option or input and what was expected.
public struct SimulationError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        /// An option is out of range or unknown.
        public static let invalidConfiguration = Code(raw: "invalid configuration")
        /// The partitions do not fit the training data.
        public static let invalidPartition = Code(raw: "invalid partition")
        public var description: String { raw }
    }

    /// The kind of failure.
    public var code: Code
    /// The option or input at fault, e.g. `--per-round` or `partition 'client-3'`.
    public var source: String
    /// What was expected and what was found.
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
