/// An error from FedFusion: an unknown strategy name, a strategy option out of range, or a round
/// whose updates cannot be fused (too few for a robust rule, zero total weight). It names the
/// source (the option, the strategy) and what was expected.
public struct FusionError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        /// A strategy or option name is not known.
        public static let unknownName = Code(raw: "unknown name")
        /// A strategy option is missing its expected form or out of its valid range.
        public static let invalidOption = Code(raw: "invalid option")
        /// The round's updates cannot be fused by this rule (none at all, zero total weight,
        /// fewer than a robust rule needs).
        public static let cannotFuse = Code(raw: "cannot fuse")
        public var description: String { raw }
    }

    /// The kind of failure.
    public var code: Code
    /// The strategy option or accumulator the problem came from, e.g. `trimmed-mean option beta`.
    public var source: String
    /// What was expected and what was found.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - source: the option or component at fault.
    ///   - message: what was expected and what was found.
    public init(_ code: Code, source: String, _ message: String) {
        self.code = code
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(code): \(message)" }
}

/// Range checks for strategy options, each throwing a `FusionError.invalidOption` that names the
/// strategy, the option and the expectation.
enum OptionCheck {
    static func positive(_ value: Double, _ option: String, of strategy: String) throws(FusionError) {
        guard value.isFinite, value > 0 else {
            throw FusionError(.invalidOption, source: "\(strategy) option \(option)", "expected a finite number > 0, got \(value)")
        }
    }

    static func nonNegative(_ value: Double, _ option: String, of strategy: String) throws(FusionError) {
        guard value.isFinite, value >= 0 else {
            throw FusionError(.invalidOption, source: "\(strategy) option \(option)", "expected a finite number ≥ 0, got \(value)")
        }
    }

    /// A decay rate or fraction in [0, 1).
    static func unitInterval(_ value: Double, _ option: String, of strategy: String) throws(FusionError) {
        guard value >= 0, value < 1 else {
            throw FusionError(.invalidOption, source: "\(strategy) option \(option)", "expected a number in [0, 1), got \(value)")
        }
    }
}
