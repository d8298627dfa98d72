import FedCrypto

/// Signs C2SP signed notes with an Ed25519 key under a key name (the coordinator's checkpoint
/// signer). Its private key text is Go's `PRIVATE+KEY+<name>+<key ID>+<base64(0x01 ‖ seed)>`
/// (`golang.org/x/mod/sumdb/note.NewSigner`); its public half is `verifier`.
public struct NoteSigner: Sendable {
    /// The key's name (no spaces, no `+`).
    public let name: String
    /// The key ID: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4], big-endian.
    public let keyID: UInt32
    /// The Ed25519 signing key.
    public let signingKey: Ed25519SigningKey

    /// A signer for `signingKey` under `name`.
    /// - Throws: `LedgerError` (`malformedKey`) if the name is empty or has a space or `+`.
    public init(name: String, signingKey: Ed25519SigningKey) throws {
        try NoteKey.checkName(name, source: "note signer")
        self.name = name
        self.signingKey = signingKey
        self.keyID = NoteKey.keyID(name: name, publicKey: signingKey.publicKey.rawBytes)
    }

    /// Reads a private key text `PRIVATE+KEY+<name>+<key ID>+<base64(0x01 ‖ 32-byte seed)>`.
    /// - Throws: `LedgerError` (`malformedKey`) naming what is wrong (the text itself is not
    ///   repeated in the message, since it is secret).
    public init(privateKey: String) throws {
        let source = "note signer private key"
        let parts = privateKey.split(separator: "+", maxSplits: 4, omittingEmptySubsequences: false)
        guard parts.count == 5, parts[0] == "PRIVATE", parts[1] == "KEY" else {
            throw LedgerError(.malformedKey, source: source, "expected PRIVATE+KEY+<name>+<key ID>+<base64 seed>")
        }
        let name = String(parts[2])
        try NoteKey.checkName(name, source: source)
        let keyID = try NoteKey.parseKeyID(parts[3], source: source)
        guard let key = Base64.decode(parts[4]) else {
            throw LedgerError(.malformedKey, source: source, "the seed is not standard padded base64")
        }
        guard key.first == NoteKey.ed25519 else {
            throw LedgerError(.malformedKey, source: source, "expected algorithm byte 0x01 (Ed25519)")
        }
        guard key.count == 33 else {
            throw LedgerError(.malformedKey, source: source, "expected 0x01 and a 32-byte seed, got \(key.count - 1) seed bytes")
        }
        let signingKey: Ed25519SigningKey
        do {
            signingKey = try Ed25519SigningKey(rawSeed: key[1...])
        } catch {
            throw LedgerError(.malformedKey, source: source, "\(error)")
        }
        try self.init(name: name, signingKey: signingKey)
        guard self.keyID == keyID else {
            throw LedgerError(.malformedKey, source: source, "the key ID \(NoteKey.hex8(keyID)) does not match the name and key (expected \(NoteKey.hex8(self.keyID)))")
        }
    }

    /// A signer with a fresh random key.
    /// - Throws: `LedgerError` (`malformedKey`) if the name is invalid.
    public static func generate(name: String) throws -> NoteSigner {
        try NoteSigner(name: name, signingKey: Ed25519SigningKey())
    }

    /// The private key text (secret): `PRIVATE+KEY+<name>+<key ID>+<base64(0x01 ‖ seed)>`.
    public var privateKey: String {
        "PRIVATE+KEY+\(name)+\(NoteKey.hex8(keyID))+\(Base64.encode([NoteKey.ed25519] + signingKey.rawSeed))"
    }

    /// The matching verifier (publish its `verifierKey`).
    public var verifier: NoteVerifier {
        // The name was validated when this signer was made.
        NoteVerifier(validatedName: name, publicKey: signingKey.publicKey)
    }

    /// This key's signature line content for `text`.
    /// - Throws: `LedgerError` (`malformedNote`) if the text does not end in a newline or has a
    ///   control character other than newline; `invalidSignature` if signing fails.
    public func signature(for text: String) throws -> NoteSignature {
        try NoteKey.checkText(text, source: "note text to sign")
        do {
            return NoteSignature(name: name, keyID: keyID, signature: try signingKey.sign(Array(text.utf8)))
        } catch {
            throw LedgerError(.invalidSignature, source: "note signer \(name)", "signing failed: \(error)")
        }
    }

    /// The signed note for `text`: the text, a blank line, and this key's signature line.
    /// - Throws: as `signature(for:)`.
    public func sign(_ text: String) throws -> String {
        SignedNote(text: text, signatures: [try signature(for: text)]).serialized
    }
}
