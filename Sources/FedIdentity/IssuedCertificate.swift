import X509

/// A certificate the federation CA issued, with its private key: a node's (or the
/// coordinator's) credentials for mutual TLS.
public struct IssuedCertificate: Sendable {
    /// The node's name (the certificate's common name).
    public let name: String
    /// The leaf certificate, signed by the federation CA.
    public let certificate: Certificate
    /// The certificate's P-256 private key.
    public let privateKey: Certificate.PrivateKey

    /// Creates credentials from their parts (no checks; ``FederationCA`` issues checked ones).
    public init(name: String, certificate: Certificate, privateKey: Certificate.PrivateKey) {
        self.name = name
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// The certificate as PEM text (`-----BEGIN CERTIFICATE-----`).
    /// - Throws: `IdentityError` `.certificateBuilding` if it does not serialize.
    public func certificatePEM() throws -> String {
        try PEMCoding.encode(certificate)
    }

    /// The private key as PKCS#8 PEM text (`-----BEGIN PRIVATE KEY-----`).
    /// - Throws: `IdentityError` `.certificateBuilding` if it does not serialize.
    public func privateKeyPEM() throws -> String {
        try PEMCoding.encode(privateKey, source: "private key of '\(name)'")
    }
}
