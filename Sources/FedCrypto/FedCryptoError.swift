/// An error from FedCrypto: bad key or share bytes, a low-order X25519 peer key, an AEAD box that
/// fails authentication, too few Shamir shares. It names the source (a node, a message field, a
/// share) and what was expected.
public struct FedCryptoError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        /// A byte string (key, seed, nonce, share) has the wrong length.
        public static let invalidLength = Code(raw: "invalid length")
        /// A value is out of its allowed range (bit width, threshold, field element, limb).
        public static let outOfRange = Code(raw: "out of range")
        /// Key agreement produced the all-zero shared secret (a low-order peer public key).
        public static let lowOrderKey = Code(raw: "low-order key")
        /// swift-crypto rejected a key.
        public static let invalidKey = Code(raw: "invalid key")
        /// An AEAD box did not authenticate (tampered, wrong key or wrong associated data).
        public static let authenticationFailure = Code(raw: "authentication failure")
        /// A set of Shamir shares is malformed (duplicate or zero x, wrong limb count).
        public static let invalidShare = Code(raw: "invalid share")
        /// Fewer Shamir shares than the threshold: the secret is not determined.
        public static let tooFewShares = Code(raw: "too few shares")
        public var description: String { raw }
    }

    /// The kind of failure.
    public var code: Code
    /// What the bad input was, e.g. `share from node 7` or `s public key of node 3`.
    public var source: String
    /// What was expected and what arrived.
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
