/// The outcome of verifying a whole ledger offline: OK, or every failure found.
public struct LedgerVerificationReport: Sendable, Equatable, CustomStringConvertible {
    /// One thing that did not verify.
    public struct Failure: Sendable, Equatable, CustomStringConvertible {
        /// What failed.
        public enum Subject: Sendable, Equatable {
            /// The verifier key itself.
            case verifierKey
            /// The stored entry at this position in the sequence.
            case entry(position: Int)
            /// The signed checkpoint at this position in the sequence.
            case checkpoint(position: Int)
            /// The consistency between two consecutive checkpoints (their positions).
            case consistency(from: Int, to: Int)
        }

        /// What failed.
        public var subject: Subject
        /// Which check failed and what was expected, naming the entry index or tree size.
        public var message: String

        public var description: String {
            switch subject {
            case .verifierKey: "verifier key: \(message)"
            case .entry(let p): "entry at position \(p): \(message)"
            case .checkpoint(let p): "checkpoint \(p + 1): \(message)"
            case .consistency(let a, let b): "checkpoints \(a + 1) → \(b + 1): \(message)"
            }
        }
    }

    /// Entries examined.
    public var entryCount: Int
    /// Signed checkpoints examined.
    public var checkpointCount: Int
    /// Every failure, in the order found; empty when the ledger verifies.
    public var failures: [Failure]

    /// Whether everything verified.
    public var isOK: Bool { failures.isEmpty }

    public var description: String {
        isOK
            ? "OK: \(entryCount) entries and \(checkpointCount) checkpoints verify"
            : "FAILED (\(failures.count)):\n" + failures.map { "  " + $0.description }.joined(separator: "\n")
    }
}
