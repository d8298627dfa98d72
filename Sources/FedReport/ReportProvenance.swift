/// Where a model came from: the ledger checkpoint that commits to its rounds, the model's
/// hash and the key that verifies the checkpoint's signature.
public struct ReportProvenance: Sendable, Equatable {
    /// The signed ledger checkpoint (tree size, root hash, signature), as text.
    public var ledgerCheckpoint: String
    /// The SHA-256 of the model's parameters, as hex.
    public var modelSHA256: String
    /// The public key that verifies the checkpoint (e.g. PEM or hex).
    public var verifierKey: String

    /// Creates a provenance section.
    /// - Parameters:
    ///   - ledgerCheckpoint: The checkpoint text.
    ///   - modelSHA256: The model hash in hex.
    ///   - verifierKey: The checkpoint verifier key.
    public init(ledgerCheckpoint: String, modelSHA256: String, verifierKey: String) {
        self.ledgerCheckpoint = ledgerCheckpoint
        self.modelSHA256 = modelSHA256
        self.verifierKey = verifierKey
    }
}
