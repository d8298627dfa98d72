import Foundation

/// Reads text files (UTF-8, plain or gzipped), checking that they are non-empty and valid.
public enum TextReader {
    /// The decompressed bytes of the text file at `url`, checked to be non-empty UTF-8.
    /// - Parameter url: the file (`.gz` or plain; detected by content).
    /// - Throws: `DatasetError` with `.unreadableFile`, `.corruptCompressedData`,
    ///   `.truncated`, `.emptyFile`, or `.invalidEncoding` naming the byte offset.
    public static func readBytes(at url: URL) throws -> [UInt8] {
        let bytes = try FileBytes.readDecompressing(url)
        try validate(bytes, source: url.path)
        return bytes
    }

    /// The text of the file at `url` as a `String`.
    /// - Parameter url: the file (`.gz` or plain; detected by content).
    /// - Throws: `DatasetError`, as for `readBytes(at:)`.
    public static func readString(at url: URL) throws -> String {
        String(decoding: try readBytes(at: url), as: UTF8.self)
    }

    /// Checks that `bytes` are non-empty, valid UTF-8.
    /// - Parameters:
    ///   - bytes: the text.
    ///   - source: the file path, for error messages.
    /// - Throws: `DatasetError` `.emptyFile` or `.invalidEncoding` (with the offset of the
    ///   first bad byte and its 1-based line).
    public static func validate(_ bytes: [UInt8], source: String) throws {
        guard !bytes.isEmpty else {
            throw DatasetError(.emptyFile, source: source, offset: 0, message: "expected text, found an empty file")
        }
        if let bad = firstInvalidUTF8Offset(bytes) {
            let line = bytes[..<bad].reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
            throw DatasetError(
                .invalidEncoding, source: source, line: line, offset: bad,
                message: "expected UTF-8 text, found the invalid byte 0x\(Hex.bytes([bytes[bad]]))")
        }
    }

    /// The offset of the first byte that starts an invalid UTF-8 sequence, or `nil`.
    /// Rejects overlong forms, surrogates and code points above U+10FFFF (RFC 3629).
    static func firstInvalidUTF8Offset(_ bytes: [UInt8]) -> Int? {
        bytes.withUnsafeBufferPointer { p -> Int? in
            let n = p.count
            var i = 0
            while i < n {
                let b0 = p[i]
                if b0 < 0x80 { i += 1; continue }
                let length: Int
                var lower: UInt8 = 0x80, upper: UInt8 = 0xBF  // the valid range of the 2nd byte
                switch b0 {
                case 0xC2...0xDF: length = 2
                case 0xE0: length = 3; lower = 0xA0
                case 0xE1...0xEC, 0xEE...0xEF: length = 3
                case 0xED: length = 3; upper = 0x9F
                case 0xF0: length = 4; lower = 0x90
                case 0xF1...0xF3: length = 4
                case 0xF4: length = 4; upper = 0x8F
                default: return i
                }
                guard i + length <= n, p[i + 1] >= lower, p[i + 1] <= upper else { return i }
                for k in 2..<length where p[i + k] & 0xC0 != 0x80 { return i }
                i += length
            }
            return nil
        }
    }
}
