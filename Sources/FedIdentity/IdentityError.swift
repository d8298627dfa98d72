/// The one error type of `FedIdentity`: a bad node name, a PKI file that is missing or is not
/// what it should be, or a certificate that does not verify against the federation CA. It names
/// its source (a file path, a certificate or a parameter) and what was expected.
///
/// ```
/// ./pki/hospital-a.pem: expired: certificate 'O=feddata, CN=hospital-a' expired on 2025-01-01T00:00:00Z (checked at 2025-06-01T00:00:00Z)
/// ```
public struct IdentityError: Error, CustomStringConvertible, Sendable {
    /// What kind of problem this is. An open set of codes (new codes can be added without
    /// breaking `switch` statements elsewhere); compare with `==`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short machine-readable name, e.g. `"expired"`.
        public let name: String

        /// Creates a code; prefer the predefined static codes.
        public init(_ name: String) { self.name = name }

        /// The code's name.
        public var description: String { name }

        /// A node or federation name breaks the naming rule, or is reserved.
        public static let invalidName = Code("invalidName")
        /// A DNS name or IP address for a coordinator certificate does not parse.
        public static let invalidAddress = Code("invalidAddress")
        /// A validity period or other parameter is impossible (ends before it starts, …).
        public static let invalidParameter = Code("invalidParameter")
        /// A PKI file does not exist.
        public static let missingFile = Code("missingFile")
        /// A PKI file exists but could not be read, or could not be written.
        public static let fileSystem = Code("fileSystem")
        /// A file or certificate already exists and `force` was not given.
        public static let alreadyExists = Code("alreadyExists")
        /// A file does not hold PEM text.
        public static let notPEM = Code("notPEM")
        /// A PEM file holds something other than a certificate (or the DER inside is damaged).
        public static let notACertificate = Code("notACertificate")
        /// A PEM file holds something other than a supported private key.
        public static let notAPrivateKey = Code("notAPrivateKey")
        /// A private key is not the one whose public half is in the certificate.
        public static let keyMismatch = Code("keyMismatch")
        /// A certificate that should be a federation CA is not one (no CA constraint, not self-signed).
        public static let notACA = Code("notACA")
        /// A certificate that should be a node's leaf is a CA certificate.
        public static let notALeaf = Code("notALeaf")
        /// A certificate was not signed by this federation's CA.
        public static let wrongIssuer = Code("wrongIssuer")
        /// A certificate's validity period ended before the time of the check.
        public static let expired = Code("expired")
        /// A certificate's validity period starts after the time of the check.
        public static let notYetValid = Code("notYetValid")
        /// A certificate names no node, or its common name and `urn:feddata:node:` URI disagree.
        public static let invalidIdentity = Code("invalidIdentity")
        /// swift-certificates failed to build or serialize a certificate.
        public static let certificateBuilding = Code("certificateBuilding")
    }

    /// What kind of problem this is.
    public var code: Code
    /// The file path, the certificate (`certificate 'O=…, CN=…'`) or the parameter name.
    public var source: String
    /// What was expected and what was found.
    public var message: String
    /// The underlying error, if this one wraps another (a POSIX or ASN.1 parse error).
    public var cause: (any Error)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of problem.
    ///   - source: the file path, certificate or parameter name.
    ///   - message: what was expected and what was found.
    ///   - cause: an underlying error, if any.
    public init(_ code: Code, source: String, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.source = source
        self.message = message
        self.cause = cause
    }

    /// `source: code: message[ (cause)]`.
    public var description: String {
        "\(source): \(code): \(message)" + (cause.map { " (\($0))" } ?? "")
    }
}
