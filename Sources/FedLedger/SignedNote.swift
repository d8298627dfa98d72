import FedCrypto

/// One signature line of a signed note: `— <name> base64(key ID ‖ signature)`.
public struct NoteSignature: Sendable, Equatable {
    /// The signing key's name.
    public var name: String
    /// The key ID: the first 4 bytes, big-endian, of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)
    /// for Ed25519 keys.
    public var keyID: UInt32
    /// The signature bytes after the key ID (64 bytes for Ed25519).
    public var signature: [UInt8]

    /// Creates a signature line's content.
    public init(name: String, keyID: UInt32, signature: [UInt8]) {
        self.name = name
        self.keyID = keyID
        self.signature = signature
    }

    /// The line, newline included: `— name base64(keyID ‖ signature)\n`.
    public var line: String {
        let id: [UInt8] = [UInt8(keyID >> 24), UInt8(keyID >> 16 & 0xFF), UInt8(keyID >> 8 & 0xFF), UInt8(keyID & 0xFF)]
        return "\u{2014} \(name) \(Base64.encode(id + signature))\n"
    }
}

/// A C2SP signed note (c2sp.org/signed-note): a UTF-8 text ending in a newline, a blank
/// line, then one or more signature lines. This type only parses and prints the format;
/// `NoteVerifier` checks signatures.
public struct SignedNote: Sendable, Equatable {
    /// Most signatures a note may carry here (the spec asks verifiers to accept at least 16).
    public static let maxSignatures = 100

    /// The signed text, final newline included, blank separator line excluded.
    public var text: String
    /// The signature lines, in order.
    public var signatures: [NoteSignature]

    /// Creates a note from its parts.
    public init(text: String, signatures: [NoteSignature]) {
        self.text = text
        self.signatures = signatures
    }

    /// The note as text: `text`, a blank line, the signature lines.
    public var serialized: String { text + "\n" + signatures.map(\.line).joined() }

    /// Parses a signed note strictly.
    /// - Parameter message: the whole note.
    /// - Throws: `LedgerError` (`malformedNote`) naming the rule broken: a control character
    ///   other than newline, no blank line before the signatures, a signature line without the
    ///   `— ` prefix, an invalid key name, bad base64, a signature shorter than 5 bytes, more than
    ///   `maxSignatures` lines, or a missing final newline.
    public static func parse(_ message: String) throws -> SignedNote {
        try parse(bytes: Array(message.utf8))
    }

    /// Parses a signed note from bytes strictly, first checking that they are valid UTF-8.
    /// - Throws: `LedgerError` (`malformedNote`), as `parse(_:)`, or for invalid UTF-8.
    public static func parse(bytes: [UInt8]) throws -> SignedNote {
        let source = "signed note"
        guard String(validating: bytes, as: UTF8.self) != nil else {
            throw LedgerError(.malformedNote, source: source, "the note is not valid UTF-8")
        }
        if let bad = bytes.firstIndex(where: { $0 < 0x20 && $0 != 0x0A }) {
            throw LedgerError(.malformedNote, source: source, "control character 0x\(String(bytes[bad], radix: 16)) at byte \(bad); only newline is allowed")
        }
        // The text ends at the last blank line.
        var split: Int?
        var i = bytes.count - 2
        while i >= 0 {
            if bytes[i] == 0x0A && bytes[i + 1] == 0x0A { split = i; break }
            i -= 1
        }
        guard let split else {
            throw LedgerError(.malformedNote, source: source, "expected a blank line between the text and the signatures, found none")
        }
        let text = Array(bytes[...split])
        let sigBytes = Array(bytes[(split + 2)...])
        guard let lastByte = sigBytes.last else {
            throw LedgerError(.malformedNote, source: source, "expected at least one signature line after the blank line, found none")
        }
        guard lastByte == 0x0A else {
            throw LedgerError(.malformedNote, source: source, "the last signature line must end with a newline")
        }
        let prefix = Array("\u{2014} ".utf8)
        var signatures: [NoteSignature] = []
        for (n, lineBytes) in sigBytes.dropLast().split(separator: 0x0A, omittingEmptySubsequences: false).enumerated() {
            let lineSource = "signature line \(n + 1) of signed note"
            guard signatures.count < maxSignatures else {
                throw LedgerError(.malformedNote, source: source, "more than \(maxSignatures) signature lines")
            }
            let line = Array(lineBytes)
            guard line.starts(with: prefix) else {
                throw LedgerError(.malformedNote, source: lineSource, "expected the line to start with an em dash (U+2014) and a space")
            }
            let rest = line[prefix.count...]
            guard let space = rest.firstIndex(of: 0x20) else {
                throw LedgerError(.malformedNote, source: lineSource, "expected '<key name> <base64 signature>', found no space after the name")
            }
            let name = String(decoding: rest[..<space], as: UTF8.self)
            try NoteKey.checkName(name, source: lineSource, code: .malformedNote)
            let b64 = String(decoding: rest[(space + 1)...], as: UTF8.self)
            guard !b64.isEmpty, let raw = Base64.decode(b64) else {
                throw LedgerError(.malformedNote, source: lineSource, "the signature is not standard padded base64")
            }
            guard raw.count >= 5 else {
                throw LedgerError(.malformedNote, source: lineSource, "expected a 4-byte key ID and a signature, got \(raw.count) bytes")
            }
            let keyID = UInt32(raw[0]) << 24 | UInt32(raw[1]) << 16 | UInt32(raw[2]) << 8 | UInt32(raw[3])
            signatures.append(NoteSignature(name: name, keyID: keyID, signature: Array(raw[4...])))
        }
        return SignedNote(text: String(decoding: text, as: UTF8.self), signatures: signatures)
    }
}

/// Key names and key IDs of signed-note keys.
enum NoteKey {
    /// The signature type byte of Ed25519 signatures.
    static let ed25519: UInt8 = 0x01

    /// SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[:4], big-endian.
    static func keyID(name: String, publicKey: [UInt8]) -> UInt32 {
        let d = SHA256Digest.hash(Array(name.utf8) + [0x0A, ed25519] + publicKey)
        return UInt32(d[0]) << 24 | UInt32(d[1]) << 16 | UInt32(d[2]) << 8 | UInt32(d[3])
    }

    /// Throws unless `name` is non-empty and has no Unicode space and no `+`.
    static func checkName(_ name: String, source: String, code: LedgerError.Code = .malformedKey) throws {
        guard !name.isEmpty else {
            throw LedgerError(code, source: source, "the key name is empty")
        }
        if let bad = name.unicodeScalars.first(where: { $0.properties.isWhitespace || $0 == "+" }) {
            throw LedgerError(code, source: source, "the key name \"\(name)\" contains U+\(String(bad.value, radix: 16, uppercase: true)); names must have no spaces and no '+'")
        }
    }

    /// Throws unless `text` ends in a newline and has no control character other than newline.
    static func checkText(_ text: String, source: String) throws {
        guard text.hasSuffix("\n") else {
            throw LedgerError(.malformedNote, source: source, "the text must end with a newline")
        }
        if let bad = text.utf8.firstIndex(where: { $0 < 0x20 && $0 != 0x0A }) {
            throw LedgerError(.malformedNote, source: source, "control character at byte \(text.utf8.distance(from: text.utf8.startIndex, to: bad)); only newline is allowed")
        }
    }

    /// `keyID` as 8 lowercase hex digits.
    static func hex8(_ keyID: UInt32) -> String {
        let s = String(keyID, radix: 16)
        return String(repeating: "0", count: 8 - s.count) + s
    }
}
