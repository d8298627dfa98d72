/// Little-endian byte writing for the secure-aggregation messages.
struct ByteWriter {
    var bytes: [UInt8] = []

    init(tag: UInt8, capacity: Int = 0) {
        bytes.reserveCapacity(capacity + 1)
        bytes.append(tag)
    }

    mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func u64(_ v: UInt64) { withUnsafeBytes(of: v.littleEndian) { bytes.append(contentsOf: $0) } }
    mutating func raw(_ b: [UInt8]) { bytes.append(contentsOf: b) }
    /// A UInt32 length, then the bytes.
    mutating func lengthPrefixed(_ b: [UInt8]) {
        u32(UInt32(b.count))
        bytes.append(contentsOf: b)
    }
    /// Words as little-endian UInt32, in one copy on little-endian hosts.
    mutating func words(_ w: [UInt32]) {
        #if _endian(little)
        w.withUnsafeBytes { bytes.append(contentsOf: $0) }
        #else
        for v in w { u32(v) }
        #endif
    }
}

/// Little-endian byte reading with errors that name the message, the field and what was expected.
struct ByteReader {
    let bytes: [UInt8]
    var offset = 0
    let source: String
    let stage: SecureAggregationStage
    let message: String

    /// Starts reading `bytes` as `message`, checking the leading kind tag.
    init(_ bytes: [UInt8], tag: UInt8, message: String, stage: SecureAggregationStage, source: String) throws {
        self.bytes = bytes
        self.source = source
        self.stage = stage
        self.message = message
        guard let first = bytes.first else { throw error("expected a \(message), got 0 bytes") }
        guard first == tag else {
            throw error("expected a \(message) (kind tag 0x\(String(tag, radix: 16))), got kind tag 0x\(String(first, radix: 16))")
        }
        offset = 1
    }

    func error(_ text: String) -> SecureAggregationError {
        SecureAggregationError(.malformedMessage, stage: stage, "\(source): \(text)")
    }

    mutating func take(_ n: Int, _ field: String) throws -> ArraySlice<UInt8> {
        guard n >= 0, bytes.count - offset >= n else {
            throw error("\(message) truncated: expected \(n) bytes for \(field) at offset \(offset), \(bytes.count - offset) left")
        }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }

    mutating func u32(_ field: String) throws -> UInt32 {
        let s = try take(4, field)
        return s.reversed().reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
    }

    mutating func u64(_ field: String) throws -> UInt64 {
        let s = try take(8, field)
        return s.reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }

    mutating func raw(_ n: Int, _ field: String) throws -> [UInt8] { Array(try take(n, field)) }

    /// A count that must fit in what is left, given each item needs at least `minItemBytes`.
    mutating func count(_ field: String, minItemBytes: Int) throws -> Int {
        let n = Int(try u32(field))
        guard n <= (bytes.count - offset) / max(minItemBytes, 1) else {
            throw error("\(field) says \(n) items of ≥ \(minItemBytes) bytes, but only \(bytes.count - offset) bytes are left")
        }
        return n
    }

    mutating func lengthPrefixed(_ field: String, max: Int) throws -> [UInt8] {
        let n = Int(try u32("length of \(field)"))
        guard n <= max else { throw error("\(field) is \(n) bytes, expected at most \(max)") }
        return try raw(n, field)
    }

    mutating func words(_ n: Int, _ field: String) throws -> [UInt32] {
        let s = try take(4 * n, field)
        var out = [UInt32](repeating: 0, count: n)
        #if _endian(little)
        out.withUnsafeMutableBytes { dst in s.withUnsafeBytes { dst.copyMemory(from: $0) } }
        #else
        for i in 0..<n {
            let b = s.startIndex + 4 * i
            out[i] = UInt32(s[b]) | UInt32(s[b + 1]) << 8 | UInt32(s[b + 2]) << 16 | UInt32(s[b + 3]) << 24
        }
        #endif
        return out
    }

    /// Throws unless every byte was read.
    func finish() throws {
        guard offset == bytes.count else {
            throw error("\(message) has \(bytes.count - offset) unexpected trailing bytes after offset \(offset)")
        }
    }
}

/// Kind tags: the first byte of every message.
enum MessageTag {
    static let advertiseKeys: UInt8 = 0xA1
    static let shareKeysRequest: UInt8 = 0xA2
    static let shareKeys: UInt8 = 0xA3
    static let maskedInputRequest: UInt8 = 0xA4
    static let maskedInput: UInt8 = 0xA5
    static let unmaskingRequest: UInt8 = 0xA6
    static let unmasking: UInt8 = 0xA7
}
