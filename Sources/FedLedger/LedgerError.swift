/// An error from the ledger: a bad index or size, a proof that does not verify, a malformed
/// note, key, checkpoint or entry, or a signature that fails. It names the source (which
/// proof, checkpoint, entry or key) and what was expected.
public struct LedgerError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        /// A leaf index or tree size is outside the tree (or the proof's stated tree).
        public static let outOfRange = Code(raw: "out of range")
        /// A hash is not 32 bytes long.
        public static let wrongHashLength = Code(raw: "wrong hash length")
        /// A proof has more or fewer hashes than the sizes it is for need.
        public static let wrongProofLength = Code(raw: "wrong proof length")
        /// A proof recomputes another root than the one expected.
        public static let rootMismatch = Code(raw: "root mismatch")
        /// A signed note does not follow the C2SP signed-note format.
        public static let malformedNote = Code(raw: "malformed note")
        /// A verifier key, signer key or key name does not follow the signed-note format.
        public static let malformedKey = Code(raw: "malformed key")
        /// A note carries no signature by the expected key.
        public static let missingSignature = Code(raw: "missing signature")
        /// A signature by the expected key does not verify.
        public static let invalidSignature = Code(raw: "invalid signature")
        /// A checkpoint body does not follow the C2SP tlog-checkpoint format.
        public static let malformedCheckpoint = Code(raw: "malformed checkpoint")
        /// An encoded ledger entry cannot be decoded.
        public static let malformedEntry = Code(raw: "malformed entry")
        /// A checkpoint is not an extension of the history the verifier already trusts.
        public static let inconsistentHistory = Code(raw: "inconsistent history")
        public var description: String { raw }
    }

    /// The kind of failure.
    public var code: Code
    /// What the problem concerns, e.g. `inclusion proof for leaf 5 in tree of size 8`.
    public var source: String
    /// What was expected and what arrived.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, source: String, _ message: String) {
        self.code = code
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(code): \(message)" }
}
