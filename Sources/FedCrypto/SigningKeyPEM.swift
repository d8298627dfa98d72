import Crypto

/// P-256 (ECDSA with SHA-256) signing keys as PEM text: federation CA and node keys.
/// (P-256, not Ed25519: BoringSSL's default TLS verify list leaves Ed25519 out, so mutual TLS
/// with Ed25519 certificates fails; see GRPC-NOTES.md.)
public enum SigningKeyPEM {
    /// A fresh P-256 private key from the system's CSPRNG, as PKCS#8 PEM.
    public static func generateP256() -> String {
        P256.Signing.PrivateKey().pemRepresentation
    }
}
