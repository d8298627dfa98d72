/// A transparency-log checkpoint (c2sp.org/tlog-checkpoint): the signed-note text naming a
/// log (origin), a tree size and the RFC 9162 root hash at that size, plus optional extension
/// lines.
///
///     feddata.example/run-42
///     1234
///     CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=
public struct LogCheckpoint: Sendable, Equatable {
    /// The log's identity, e.g. `feddata.example/run-42` (non-empty, one line).
    public var origin: String
    /// The number of leaves in the tree.
    public var size: UInt64
    /// The tree's root hash at `size` (32 bytes).
    public var rootHash: [UInt8]
    /// Opaque extension lines (non-empty each); none by default.
    public var extensions: [String]

    /// Creates a checkpoint.
    /// - Throws: `LedgerError` (`malformedCheckpoint`) if the origin is empty or has a newline
    ///   or control character, the root is not 32 bytes, or an extension line is empty or has a
    ///   newline or control character.
    public init(origin: String, size: UInt64, rootHash: [UInt8], extensions: [String] = []) throws {
        try Self.checkLine(origin, "origin")
        guard rootHash.count == MerkleHash.size else {
            throw LedgerError(.malformedCheckpoint, source: "checkpoint of \(origin) at size \(size)", "the root hash must be 32 bytes, got \(rootHash.count)")
        }
        for (i, e) in extensions.enumerated() { try Self.checkLine(e, "extension line \(i + 1)") }
        self.origin = origin
        self.size = size
        self.rootHash = rootHash
        self.extensions = extensions
    }

    /// Parses a checkpoint body (a signed note's text) strictly.
    /// - Throws: `LedgerError` (`malformedCheckpoint`) naming the line that is wrong: fewer
    ///   than three lines, no final newline, an empty line, a size that is not decimal without
    ///   leading zeros or does not fit 64 bits, or a root that is not base64 of 32 bytes.
    public init(body: String) throws {
        let source = "checkpoint body"
        guard body.hasSuffix("\n") else {
            throw LedgerError(.malformedCheckpoint, source: source, "the body must end with a newline")
        }
        let lines = body.dropLast().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard lines.count >= 3 else {
            throw LedgerError(.malformedCheckpoint, source: source, "expected at least 3 lines (origin, size, root hash), got \(lines.count)")
        }
        if let empty = lines.firstIndex(where: \.isEmpty) {
            throw LedgerError(.malformedCheckpoint, source: source, "line \(empty + 1) is empty; every line must be non-empty")
        }
        let sizeText = lines[1]
        guard sizeText.utf8.allSatisfy({ (0x30...0x39).contains($0) }), sizeText == "0" || !sizeText.hasPrefix("0"),
              let size = UInt64(sizeText) else {
            throw LedgerError(.malformedCheckpoint, source: "line 2 (tree size) of \(source)", "expected a decimal number without leading zeros, got \"\(sizeText)\"")
        }
        guard let root = Base64.decode(lines[2]), root.count == MerkleHash.size else {
            throw LedgerError(.malformedCheckpoint, source: "line 3 (root hash) of \(source)", "expected standard base64 of 32 bytes, got \"\(lines[2])\"")
        }
        try self.init(origin: lines[0], size: size, rootHash: root, extensions: Array(lines[3...]))
    }

    /// The note text: origin, size, base64 root hash and extension lines, each ending in a newline.
    public var body: String {
        ([origin, String(size), Base64.encode(rootHash)] + extensions).map { $0 + "\n" }.joined()
    }

    static func checkLine(_ line: String, _ what: String) throws {
        guard !line.isEmpty else {
            throw LedgerError(.malformedCheckpoint, source: "checkpoint \(what)", "must be non-empty")
        }
        guard !line.utf8.contains(where: { $0 < 0x20 }) else {
            throw LedgerError(.malformedCheckpoint, source: "checkpoint \(what)", "must be one line without control characters, got \"\(line)\"")
        }
    }
}

extension NoteSigner {
    /// The signed checkpoint note: `checkpoint.body`, a blank line, this key's signature line.
    /// - Throws: `LedgerError` if signing fails.
    public func sign(_ checkpoint: LogCheckpoint) throws -> String {
        try sign(checkpoint.body)
    }
}

extension NoteVerifier {
    /// Opens a signed checkpoint: verifies the note (see `open(_:)`), parses its body, and checks
    /// the origin when one is given.
    /// - Parameters:
    ///   - signedCheckpoint: the signed note.
    ///   - origin: the log's expected origin line, or nil to accept any.
    /// - Throws: `LedgerError` (`malformedNote`, `missingSignature`, `invalidSignature`,
    ///   `malformedCheckpoint`, or `inconsistentHistory` for another log's origin).
    public func openCheckpoint(_ signedCheckpoint: String, origin: String? = nil) throws -> LogCheckpoint {
        let note = try open(signedCheckpoint)
        let checkpoint = try LogCheckpoint(body: note.text)
        if let origin, checkpoint.origin != origin {
            throw LedgerError(.inconsistentHistory, source: "checkpoint at size \(checkpoint.size)", "its origin is \"\(checkpoint.origin)\", expected \"\(origin)\"")
        }
        return checkpoint
    }
}
