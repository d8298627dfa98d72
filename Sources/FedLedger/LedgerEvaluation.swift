/// An evaluation result signed by the node that computed it: the node evaluated the model
/// with hash `modelSHA256` on its own data and signed `signedMessage` with its identity key.
///
/// Signing and checking the signature are the caller's job (the node's key is its mTLS
/// certificate key, a P-256 key that FedIdentity handles): the ledger records the signature,
/// the fingerprint of the key that made it, and the exact bytes that were signed.
public struct LedgerEvaluation: Sendable, Equatable {
    /// The evaluating node.
    public var nodeID: String
    /// The round whose global model was evaluated.
    public var round: Int
    /// SHA-256 of the evaluated model's parameters (64 lowercase hex digits).
    public var modelSHA256: String
    /// The results by name (e.g. `accuracy`, `loss`, `examples`).
    public var metrics: [String: Double]
    /// The node's signature over `signedMessage`.
    public var signature: [UInt8]
    /// Identifies the signer's key, e.g. SHA-256 of its certificate or public key.
    public var signerKeyFingerprint: [UInt8]

    /// Creates an evaluation record.
    public init(nodeID: String, round: Int, modelSHA256: String, metrics: [String: Double], signature: [UInt8], signerKeyFingerprint: [UInt8]) {
        self.nodeID = nodeID
        self.round = round
        self.modelSHA256 = modelSHA256
        self.metrics = metrics
        self.signature = signature
        self.signerKeyFingerprint = signerKeyFingerprint
    }

    /// The bytes the node signs: `"feddata/evaluation/v1\n"` followed by the canonical
    /// encoding of node id, round, model SHA-256 and metrics.
    /// - Throws: `LedgerError` (`malformedEntry`) if the model hash is not 64 hex digits.
    public static func signedMessage(nodeID: String, round: Int, modelSHA256: String, metrics: [String: Double]) throws -> [UInt8] {
        var w = CanonicalWriter()
        try w.text("feddata/evaluation/v1", "evaluation context")
        try encodeSignedPart(nodeID: nodeID, round: round, modelSHA256: modelSHA256, metrics: metrics, to: &w)
        return w.bytes
    }

    /// `signedMessage` for this record's fields.
    public var signedMessage: [UInt8] {
        get throws { try Self.signedMessage(nodeID: nodeID, round: round, modelSHA256: modelSHA256, metrics: metrics) }
    }

    /// Whether the signature is valid, by the caller's check (e.g. P-256 ECDSA under the
    /// node's certificate key, found by `signerKeyFingerprint`).
    /// - Parameter verify: `(signature, message, signerKeyFingerprint) -> Bool`.
    public func isSignatureValid(_ verify: ([UInt8], [UInt8], [UInt8]) throws -> Bool) rethrows -> Bool {
        guard let message = try? signedMessage else { return false }
        return try verify(signature, message, signerKeyFingerprint)
    }

    private static func encodeSignedPart(nodeID: String, round: Int, modelSHA256: String, metrics: [String: Double], to w: inout CanonicalWriter) throws {
        let source = "evaluation by \(nodeID) in round \(round)"
        try w.text(nodeID, "\(source) node id")
        w.int(round)
        try w.digest(hex: modelSHA256, "\(source) model SHA-256")
        try w.metrics(metrics, "\(source) metrics")
    }

    func encode(to w: inout CanonicalWriter) throws {
        try Self.encodeSignedPart(nodeID: nodeID, round: round, modelSHA256: modelSHA256, metrics: metrics, to: &w)
        try w.data(signature, "evaluation signature")
        try w.data(signerKeyFingerprint, "evaluation signer key fingerprint")
    }

    static func decode(from r: inout CanonicalReader) throws -> LedgerEvaluation {
        LedgerEvaluation(nodeID: try r.text("node id"), round: try r.int("round"), modelSHA256: try r.digestHex("model SHA-256"),
                         metrics: try r.metrics("metrics"), signature: try r.data("signature"), signerKeyFingerprint: try r.data("signer key fingerprint"))
    }
}
