import FedCrypto

/// Verifies C2SP signed notes signed by one Ed25519 key, identified by its name and key ID.
///
/// Its published form is the verifier key text `<name>+<8 hex digits key ID>+<base64(0x01 ‖
/// 32-byte public key)>`, the format Go's `golang.org/x/mod/sumdb/note.NewVerifier` reads.
public struct NoteVerifier: Sendable, Equatable {
    /// The key's name (no spaces, no `+`).
    public let name: String
    /// The key ID: SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4], big-endian.
    public let keyID: UInt32
    /// The Ed25519 public key.
    public let publicKey: Ed25519PublicKey

    /// The verifier for `publicKey` under `name`.
    /// - Throws: `LedgerError` (`malformedKey`) if the name is empty or has a space or `+`.
    public init(name: String, publicKey: Ed25519PublicKey) throws {
        try NoteKey.checkName(name, source: "note verifier")
        self.init(validatedName: name, publicKey: publicKey)
    }

    /// The verifier for a name already checked by `NoteKey.checkName`.
    init(validatedName name: String, publicKey: Ed25519PublicKey) {
        self.name = name
        self.publicKey = publicKey
        self.keyID = NoteKey.keyID(name: name, publicKey: publicKey.rawBytes)
    }

    /// Reads a verifier key text `<name>+<key ID hex>+<base64(0x01 ‖ public key)>`.
    /// - Throws: `LedgerError` (`malformedKey`) naming what is wrong: missing parts, a key ID
    ///   that is not 8 lowercase hex digits, bad base64, an algorithm byte other than 0x01, a
    ///   key that is not 32 bytes, or a key ID that does not match the name and key.
    public init(verifierKey: String) throws {
        let source = "verifier key \"\(verifierKey)\""
        let parts = verifierKey.split(separator: "+", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3 else {
            throw LedgerError(.malformedKey, source: source, "expected <name>+<key ID>+<base64 key>")
        }
        let name = String(parts[0])
        try NoteKey.checkName(name, source: source)
        let keyID = try NoteKey.parseKeyID(parts[1], source: source)
        guard let key = Base64.decode(parts[2]) else {
            throw LedgerError(.malformedKey, source: source, "the key is not standard padded base64")
        }
        guard key.first == NoteKey.ed25519 else {
            throw LedgerError(.malformedKey, source: source, "expected algorithm byte 0x01 (Ed25519), got \(key.first.map { "0x" + String($0, radix: 16) } ?? "nothing")")
        }
        guard key.count == 33 else {
            throw LedgerError(.malformedKey, source: source, "expected 0x01 and a 32-byte Ed25519 key, got \(key.count - 1) key bytes")
        }
        let publicKey: Ed25519PublicKey
        do {
            publicKey = try Ed25519PublicKey(rawBytes: key[1...], source: source)
        } catch {
            throw LedgerError(.malformedKey, source: source, "\(error)")
        }
        try self.init(name: name, publicKey: publicKey)
        guard self.keyID == keyID else {
            throw LedgerError(.malformedKey, source: source, "the key ID \(NoteKey.hex8(keyID)) does not match the name and key (expected \(NoteKey.hex8(self.keyID)))")
        }
    }

    /// The verifier key text `<name>+<key ID>+<base64(0x01 ‖ public key)>`.
    public var verifierKey: String {
        "\(name)+\(NoteKey.hex8(keyID))+\(Base64.encode([NoteKey.ed25519] + publicKey.rawBytes))"
    }

    /// Whether `signature` is a valid signature of this key over `text`: name and key ID match
    /// and the Ed25519 signature verifies.
    public func isValid(_ signature: NoteSignature, for text: String) -> Bool {
        signature.name == name && signature.keyID == keyID && publicKey.isValidSignature(signature.signature, for: Array(text.utf8))
    }

    /// Parses `message` as a signed note and verifies it: signatures by other keys (another
    /// name or key ID) are ignored, as the spec requires; at least one signature must be by
    /// this key, and every signature by this key must verify.
    /// - Returns: the verified note (its text and all its signature lines).
    /// - Throws: `LedgerError`: `malformedNote` (see `SignedNote.parse`), `missingSignature`
    ///   when no line is by this key, `invalidSignature` when one by this key fails.
    public func open(_ message: String) throws -> SignedNote {
        let note = try SignedNote.parse(message)
        let mine = note.signatures.enumerated().filter { $0.element.name == name && $0.element.keyID == keyID }
        guard !mine.isEmpty else {
            throw LedgerError(.missingSignature, source: "signed note", "no signature by \(name)+\(NoteKey.hex8(keyID)) among \(note.signatures.count) signature lines")
        }
        for (i, sig) in mine where !publicKey.isValidSignature(sig.signature, for: Array(note.text.utf8)) {
            throw LedgerError(.invalidSignature, source: "signature line \(i + 1) of signed note", "the signature by \(name)+\(NoteKey.hex8(keyID)) does not verify over the note's text")
        }
        return note
    }
}

extension NoteKey {
    /// Parses 8 lowercase hex digits.
    static func parseKeyID(_ text: Substring, source: String) throws -> UInt32 {
        guard text.utf8.count == 8, text.utf8.allSatisfy({ (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }),
              let id = UInt32(text, radix: 16) else {
            throw LedgerError(.malformedKey, source: source, "the key ID \"\(text)\" is not 8 lowercase hex digits")
        }
        return id
    }
}
