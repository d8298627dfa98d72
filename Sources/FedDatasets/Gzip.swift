import CZlib

/// gzip decompression through the system zlib.
///
/// Handles single- and multi-member gzip streams (members are concatenated, as `gzip -dc`
/// does) and passes input that is not gzip (no `1f 8b` magic) through unchanged, so callers
/// can read `file` and `file.gz` alike.
public enum Gzip {
    /// Whether `bytes` start with the gzip magic number `1f 8b`.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// `bytes` decompressed if they are gzip, otherwise `bytes` unchanged.
    /// - Parameters:
    ///   - bytes: the file contents.
    ///   - source: the file path, for error messages.
    /// - Throws: `DatasetError` with code `.corruptCompressedData` or `.truncated`, naming the
    ///   compressed byte offset where zlib stopped.
    public static func decompressIfNeeded(_ bytes: [UInt8], source: String) throws -> [UInt8] {
        isGzip(bytes) ? try decompress(bytes, source: source) : bytes
    }

    /// Decompresses a gzip stream of one or more members.
    /// - Parameters:
    ///   - bytes: the compressed bytes, starting with `1f 8b`.
    ///   - source: the file path, for error messages.
    /// - Throws: `DatasetError` with code `.corruptCompressedData` (bad header, bad data, bad
    ///   CRC, trailing bytes that are not another member) or `.truncated` (the stream ends
    ///   early), with the compressed byte offset.
    public static func decompress(_ bytes: [UInt8], source: String) throws -> [UInt8] {
        guard isGzip(bytes) else {
            throw DatasetError(
                .corruptCompressedData, source: source, offset: 0,
                message: "expected the gzip magic 1f 8b, found \(Hex.bytes(bytes))")
        }
        // The gzip trailer's ISIZE (uncompressed size mod 2^32) sizes the first allocation.
        var capacity = bytes.count * 4
        if bytes.count >= 18 {
            let n = bytes.count
            let isize = Int(bytes[n - 4]) | Int(bytes[n - 3]) << 8 | Int(bytes[n - 2]) << 16 | Int(bytes[n - 1]) << 24
            // Trust it only as far as deflate's best ratio (about 1032:1) allows, and start at
            // most at 256 MiB: a damaged trailer must not cause a huge allocation.
            if isize > 0 { capacity = min(isize, bytes.count * 1032, 1 << 28) }
        }
        var output = [UInt8](repeating: 0, count: max(capacity, 64))
        var produced = 0
        var memberStart = 0

        try bytes.withUnsafeBufferPointer { input in
            while memberStart < input.count {
                // Zero padding after the last member (some tools add it) is accepted.
                if input[memberStart...].allSatisfy({ $0 == 0 }) { break }
                guard input.count - memberStart >= 2, input[memberStart] == 0x1F, input[memberStart + 1] == 0x8B else {
                    throw DatasetError(
                        .corruptCompressedData, source: source, offset: memberStart,
                        message: "expected another gzip member (1f 8b) or the end of the file, found \(Hex.bytes(Array(input[memberStart...])))")
                }
                let consumed = try inflateMember(
                    input: UnsafeBufferPointer(rebasing: input[memberStart...]),
                    baseOffset: memberStart, output: &output, produced: &produced, source: source)
                memberStart += consumed
            }
        }
        output.removeLast(output.count - produced)
        return output
    }

    /// Inflates one gzip member into `output[produced...]`, growing `output` as needed.
    /// Returns the number of compressed bytes the member used.
    private static func inflateMember(
        input: UnsafeBufferPointer<UInt8>, baseOffset: Int,
        output: inout [UInt8], produced: inout Int, source: String
    ) throws -> Int {
        var stream = z_stream()
        let initStatus = czlib_inflate_init2(&stream, 15 + 32)
        guard initStatus == Z_OK else {
            throw DatasetError(
                .corruptCompressedData, source: source, offset: baseOffset,
                message: "zlib inflateInit2 failed with status \(initStatus)")
        }
        defer { inflateEnd(&stream) }
        // zlib takes a mutable pointer but does not write through next_in.
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
        stream.avail_in = UInt32(clamping: input.count)

        while true {
            if produced == output.count {
                output.append(contentsOf: repeatElement(0, count: max(output.count, 1 << 16)))
            }
            let status: Int32 = output.withUnsafeMutableBufferPointer { out in
                stream.next_out = out.baseAddress! + produced
                stream.avail_out = UInt32(clamping: out.count - produced)
                let before = stream.avail_out
                let s = inflate(&stream, Z_NO_FLUSH)
                produced += Int(before - stream.avail_out)
                return s
            }
            let offset = baseOffset + Int(stream.total_in)
            switch status {
            case Z_STREAM_END:
                return Int(stream.total_in)
            case Z_OK:
                continue
            case Z_BUF_ERROR where stream.avail_in == 0:
                throw DatasetError(
                    .truncated, source: source, offset: offset,
                    message: "gzip stream ends early: expected more compressed data, found the end of the file after \(produced) decompressed bytes")
            case Z_BUF_ERROR where stream.avail_out == 0:
                continue  // output full; grow and go on
            default:
                let detail = stream.msg.map { String(cString: $0) } ?? "zlib status \(status)"
                throw DatasetError(
                    .corruptCompressedData, source: source, offset: offset,
                    message: "expected a valid gzip stream, found corrupt data (\(detail))")
            }
        }
    }
}
