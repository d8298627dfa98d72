/// One entry of a federation's ledger. Its leaf in the Merkle log is
/// `SHA-256(0x00 ‖ encoded())`.
///
/// Encoding (`CanonicalEncoding.swift` documents the value rules): byte 0 is the format
/// version, 1; byte 1 is the kind (1 run configuration, 2 round, 3 evaluation, 4 data
/// fingerprint); the kind's fields follow in declaration order; nothing may follow them.
public enum LedgerEntry: Sendable, Equatable {
    /// The run's configuration (first entry of a run).
    case runConfiguration(LedgerRunConfiguration)
    /// A completed round.
    case round(LedgerRound)
    /// A node-signed evaluation result.
    case evaluation(LedgerEvaluation)
    /// A node's data fingerprint.
    case dataFingerprint(LedgerDataFingerprint)

    /// The encoding format version written in byte 0.
    public static let formatVersion: UInt8 = 1

    /// The kind's name: `run_configuration`, `round`, `evaluation` or `data_fingerprint`.
    public var kind: String {
        switch self {
        case .runConfiguration: "run_configuration"
        case .round: "round"
        case .evaluation: "evaluation"
        case .dataFingerprint: "data_fingerprint"
        }
    }

    /// The canonical bytes.
    /// - Throws: `LedgerError` (`malformedEntry`) if a SHA-256 field is not 64 lowercase hex
    ///   digits or a text or list is longer than 2³² − 1.
    public func encoded() throws -> [UInt8] {
        var w = CanonicalWriter()
        w.byte(Self.formatVersion)
        switch self {
        case .runConfiguration(let c): w.byte(1); try c.encode(to: &w)
        case .round(let r): w.byte(2); try r.encode(to: &w)
        case .evaluation(let e): w.byte(3); try e.encode(to: &w)
        case .dataFingerprint(let f): w.byte(4); try f.encode(to: &w)
        }
        return w.bytes
    }

    /// The entry whose canonical bytes are `bytes`.
    /// - Parameters:
    ///   - bytes: the encoding.
    ///   - source: what the bytes are, for errors (default `ledger entry`).
    /// - Throws: `LedgerError` (`malformedEntry`) naming the field: unknown version or kind,
    ///   truncation, invalid UTF-8, unsorted metric names, or trailing bytes.
    public init(encoded bytes: [UInt8], source: String = "ledger entry") throws {
        var r = CanonicalReader(bytes, source: source)
        let version = try r.byte("format version")
        guard version == Self.formatVersion else { throw r.fail("expected format version \(Self.formatVersion), got \(version)") }
        switch try r.byte("kind") {
        case 1: self = .runConfiguration(try LedgerRunConfiguration.decode(from: &r))
        case 2: self = .round(try LedgerRound.decode(from: &r))
        case 3: self = .evaluation(try LedgerEvaluation.decode(from: &r))
        case 4: self = .dataFingerprint(try LedgerDataFingerprint.decode(from: &r))
        case let k: throw r.fail("expected kind 1–4 (run configuration, round, evaluation, data fingerprint), got \(k)")
        }
        guard r.isAtEnd else { throw r.fail("unexpected bytes after the entry") }
    }
}
