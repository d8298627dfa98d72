/// An error from contribution valuation: a game too large for the chosen method, a coalition
/// outside the federation, a utility that is not a finite number, or a round reconstruction
/// whose updates, weights or sizes do not fit together. It names the source (the method,
/// round, node or option) and what was expected.
public struct ContributionError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        /// The federation has more (or fewer) nodes than the method supports.
        public static let unsupportedSize = Code(raw: "unsupported size")
        /// A coalition names a node outside `0..<playerCount`, or twice.
        public static let invalidCoalition = Code(raw: "invalid coalition")
        /// The utility of a coalition was NaN or infinite.
        public static let nonFiniteUtility = Code(raw: "non-finite utility")
        /// A configuration value is out of range (a tolerance, a count, round weights…).
        public static let invalidConfiguration = Code(raw: "invalid configuration")
        /// A round reconstruction's model, updates or weights are inconsistent or not finite.
        public static let invalidRound = Code(raw: "invalid round")
        public var description: String { raw }
    }

    /// The kind of failure.
    public var code: Code
    /// The method, round, node or option the problem concerns, e.g. `ExactShapley` or `round 3, node 2`.
    public var source: String
    /// What was expected and what happened.
    public var message: String
    /// The underlying error, if any.
    public var cause: (any Error)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: The kind of failure.
    ///   - source: The method, round, node or option concerned.
    ///   - message: What was expected and what happened.
    ///   - cause: The underlying error, if any.
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
