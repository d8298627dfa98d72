/// An error from the Ed25519 key and signature helpers: a raw key or signature of the wrong
/// length, or bytes that are not a valid key. It names the source (which key or signature) and
/// what was expected.
public struct Ed25519Error: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        /// A raw seed, public key or signature has the wrong number of bytes.
        public static let wrongLength = Code(raw: "wrong length")
        /// The bytes have the right length but are not a usable key.
        public static let invalidKey = Code(raw: "invalid key")
        /// The underlying library refused to sign.
        public static let signingFailed = Code(raw: "signing failed")
        public var description: String { raw }
    }

    /// The kind of failure.
    public var code: Code
    /// The key or value the problem concerns, e.g. `Ed25519 seed`.
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
