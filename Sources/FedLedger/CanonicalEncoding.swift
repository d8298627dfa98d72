/// The canonical byte encoding of ledger entries: big-endian, length-prefixed, one way to
/// write every value, so that equal entries have equal bytes (and equal leaf hashes).
///
/// - integer: 8 bytes, big-endian two's complement (`Int`) or unsigned (`UInt64`)
/// - real: the 8-byte IEEE-754 binary64 bit pattern, big-endian (no decimal formatting)
/// - text: UInt32 byte count, then the UTF-8 bytes
/// - bytes: UInt32 count, then the bytes
/// - optional: 0x00 (absent) or 0x01 then the value
/// - list: UInt32 count, then the items
/// - metrics (name → real): UInt32 count, then (text, real) pairs with names in strictly
///   increasing byte order
/// - SHA-256 digest (given as 64 lowercase hex digits): its 32 raw bytes
struct CanonicalWriter {
    private(set) var bytes: [UInt8] = []

    mutating func byte(_ b: UInt8) { bytes.append(b) }

    mutating func uint32(_ v: UInt32) {
        bytes += [UInt8(v >> 24), UInt8(v >> 16 & 0xFF), UInt8(v >> 8 & 0xFF), UInt8(v & 0xFF)]
    }

    mutating func uint64(_ v: UInt64) {
        for shift in stride(from: 56, through: 0, by: -8) { bytes.append(UInt8(v >> UInt64(shift) & 0xFF)) }
    }

    mutating func int(_ v: Int) { uint64(UInt64(bitPattern: Int64(v))) }

    mutating func real(_ v: Double) { uint64(v.bitPattern) }

    mutating func count(_ n: Int, _ what: String) throws {
        guard n <= Int(UInt32.max) else {
            throw LedgerError(.malformedEntry, source: what, "at most \(UInt32.max) items or bytes, got \(n)")
        }
        uint32(UInt32(n))
    }

    mutating func text(_ s: String, _ what: String) throws {
        try count(s.utf8.count, what)
        bytes += s.utf8
    }

    mutating func data(_ d: [UInt8], _ what: String) throws {
        try count(d.count, what)
        bytes += d
    }

    mutating func digest(hex: String, _ what: String) throws {
        bytes += try Hex.digest(hex, what)
    }

    mutating func optionalReal(_ v: Double?) {
        if let v { byte(1); real(v) } else { byte(0) }
    }

    mutating func metrics(_ m: [String: Double], _ what: String) throws {
        try count(m.count, what)
        for key in m.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            try text(key, "\(what) name")
            real(m[key]!)
        }
    }
}

/// Reads the canonical encoding back, rejecting anything another encoder could not have
/// written: truncation, bad UTF-8, unsorted metric names, unknown optional flags.
struct CanonicalReader {
    private let bytes: [UInt8]
    private(set) var offset = 0
    let source: String

    init(_ bytes: [UInt8], source: String) {
        self.bytes = bytes
        self.source = source
    }

    var isAtEnd: Bool { offset == bytes.count }

    func fail(_ message: String) -> LedgerError {
        LedgerError(.malformedEntry, source: source, "\(message) (at byte \(offset) of \(bytes.count))")
    }

    mutating func take(_ n: Int, _ what: String) throws -> ArraySlice<UInt8> {
        guard n >= 0, bytes.count - offset >= n else { throw fail("\(what): expected \(n) bytes, only \(bytes.count - offset) left") }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }

    mutating func byte(_ what: String) throws -> UInt8 { try take(1, what).first! }

    mutating func uint32(_ what: String) throws -> UInt32 {
        try take(4, what).reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func uint64(_ what: String) throws -> UInt64 {
        try take(8, what).reduce(0) { $0 << 8 | UInt64($1) }
    }

    mutating func int(_ what: String) throws -> Int {
        let v = Int64(bitPattern: try uint64(what))
        guard let i = Int(exactly: v) else { throw fail("\(what): \(v) does not fit this platform's Int") }
        return i
    }

    mutating func real(_ what: String) throws -> Double { Double(bitPattern: try uint64(what)) }

    mutating func count(_ what: String) throws -> Int {
        let n = Int(try uint32("\(what) count"))
        // Every item takes at least one byte: a larger count is truncated input.
        guard n <= bytes.count - offset else { throw fail("\(what): count \(n) exceeds the \(bytes.count - offset) bytes left") }
        return n
    }

    mutating func text(_ what: String) throws -> String {
        let n = Int(try uint32("\(what) length"))
        let raw = try take(n, what)
        guard let s = String(validating: raw, as: UTF8.self) else { throw fail("\(what) is not valid UTF-8") }
        return s
    }

    mutating func data(_ what: String) throws -> [UInt8] {
        Array(try take(Int(try uint32("\(what) length")), what))
    }

    mutating func digestHex(_ what: String) throws -> String {
        Hex.encode(Array(try take(32, what)))
    }

    mutating func optionalReal(_ what: String) throws -> Double? {
        switch try byte("\(what) flag") {
        case 0: return nil
        case 1: return try real(what)
        case let f: throw fail("\(what): optional flag must be 0 or 1, got \(f)")
        }
    }

    mutating func metrics(_ what: String) throws -> [String: Double] {
        let n = try count(what)
        var out: [String: Double] = [:]
        var previous: [UInt8]?
        for _ in 0..<n {
            let key = try text("\(what) name")
            if let previous, !previous.lexicographicallyPrecedes(Array(key.utf8)) {
                throw fail("\(what): names must be in strictly increasing byte order, \"\(key)\" is not")
            }
            previous = Array(key.utf8)
            out[key] = try real("\(what) \(key)")
        }
        return out
    }

    mutating func list<T>(_ what: String, _ item: (inout CanonicalReader) throws -> T) throws -> [T] {
        let n = try count(what)
        var out: [T] = []
        out.reserveCapacity(n)
        for _ in 0..<n { out.append(try item(&self)) }
        return out
    }
}

/// Lowercase hex for SHA-256 digests in ledger entries.
enum Hex {
    static func encode(_ bytes: [UInt8]) -> String { MerkleVerifier.hex(bytes) }

    /// The 32 bytes of a 64-digit lowercase hex SHA-256 digest.
    static func digest(_ hex: String, _ what: String) throws -> [UInt8] {
        let u = Array(hex.utf8)
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: return c - 0x30
            case 0x61...0x66: return c - 0x61 + 10
            default: return nil
            }
        }
        guard u.count == 64 else {
            throw LedgerError(.malformedEntry, source: what, "expected a SHA-256 digest as 64 lowercase hex digits, got \(u.count) characters")
        }
        var out = [UInt8]()
        out.reserveCapacity(32)
        for i in stride(from: 0, to: 64, by: 2) {
            guard let hi = value(u[i]), let lo = value(u[i + 1]) else {
                throw LedgerError(.malformedEntry, source: what, "expected lowercase hex digits, got \"\(hex)\"")
            }
            out.append(hi << 4 | lo)
        }
        return out
    }
}
