/// An error from FedPrivacy: an accountant argument out of range (a sampling rate outside
/// [0, 1], a negative noise multiplier, δ outside (0, 1), NaN), a clipping or noise setting
/// that cannot work, a privacy budget that cannot be met, or a strategy that DP-FedAvg cannot
/// wrap. It names the source (the argument, the option) and what was expected.
public struct PrivacyError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        /// An argument is NaN, infinite where a finite number is needed, or outside its range.
        public static let invalidArgument = Code(raw: "invalid argument")
        /// The requested privacy cannot be reached within the search range (e.g. no noise
        /// multiplier up to the search limit gives the target ε).
        public static let unreachable = Code(raw: "unreachable")
        /// A strategy cannot be wrapped (DP-FedAvg needs a linear mean).
        public static let unsupportedStrategy = Code(raw: "unsupported strategy")
        /// Saved server state does not fit (unknown key, wrong length, invalid value).
        public static let invalidState = Code(raw: "invalid state")
        public var description: String { raw }
    }

    /// The kind of failure.
    public var code: Code
    /// The argument or component the problem came from, e.g. `RDP accountant samplingRate`.
    public var source: String
    /// What was expected and what was found.
    public var message: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of failure.
    ///   - source: the argument or component at fault.
    ///   - message: what was expected and what was found.
    public init(_ code: Code, source: String, _ message: String) {
        self.code = code
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(code): \(message)" }
}

/// Range checks that throw a `PrivacyError.invalidArgument` naming the argument and its range.
enum ArgumentCheck {
    /// A probability in [0, 1] (NaN rejected).
    static func unitClosed(_ value: Double, _ name: String, of source: String) throws(PrivacyError) {
        guard value >= 0, value <= 1 else {
            throw PrivacyError(.invalidArgument, source: "\(source) \(name)", "expected a number in [0, 1], got \(value)")
        }
    }

    /// A probability in the open interval (0, 1) (NaN rejected).
    static func unitOpen(_ value: Double, _ name: String, of source: String) throws(PrivacyError) {
        guard value > 0, value < 1 else {
            throw PrivacyError(.invalidArgument, source: "\(source) \(name)", "expected a number in (0, 1), got \(value)")
        }
    }

    /// A finite number ≥ 0 (NaN and ∞ rejected).
    static func nonNegative(_ value: Double, _ name: String, of source: String) throws(PrivacyError) {
        guard value.isFinite, value >= 0 else {
            throw PrivacyError(.invalidArgument, source: "\(source) \(name)", "expected a finite number ≥ 0, got \(value)")
        }
    }

    /// A finite number > 0 (NaN and ∞ rejected).
    static func positive(_ value: Double, _ name: String, of source: String) throws(PrivacyError) {
        guard value.isFinite, value > 0 else {
            throw PrivacyError(.invalidArgument, source: "\(source) \(name)", "expected a finite number > 0, got \(value)")
        }
    }

    /// A whole number ≥ 0.
    static func count(_ value: Int, _ name: String, of source: String) throws(PrivacyError) {
        guard value >= 0 else {
            throw PrivacyError(.invalidArgument, source: "\(source) \(name)", "expected a whole number ≥ 0, got \(value)")
        }
    }
}
