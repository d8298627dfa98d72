import Foundation

/// Reads IDX files of unsigned bytes (`0x00000801` labels, `0x00000803` images), plain or
/// gzipped. All header integers are big-endian 32-bit.
///
/// ```
/// magic (u32) | count (u32) [| rows (u32) | cols (u32)] | count × rows × cols bytes
/// ```
public enum IDXReader {
    /// The magic number of a 1-D unsigned-byte IDX file (labels).
    public static let labelMagic: UInt32 = 0x0000_0801
    /// The magic number of a 3-D unsigned-byte IDX file (images).
    public static let imageMagic: UInt32 = 0x0000_0803

    /// Reads a label file (`0x00000801`), gzipped or not.
    /// - Parameter url: the file.
    /// - Throws: `DatasetError` (`.unreadableFile`, `.emptyFile`, `.truncated`, `.wrongMagic`,
    ///   `.corruptCompressedData`, `.invalidFormat`), naming the file and byte offset.
    public static func readLabels(at url: URL) throws -> IDXFile {
        try read(at: url, expectedMagic: labelMagic)
    }

    /// Reads an image file (`0x00000803`), gzipped or not.
    /// - Parameter url: the file.
    /// - Throws: `DatasetError`, as for `readLabels(at:)`.
    public static func readImages(at url: URL) throws -> IDXFile {
        try read(at: url, expectedMagic: imageMagic)
    }

    /// Reads an IDX file whose magic must be `expectedMagic`, gzipped or not.
    /// - Parameters:
    ///   - url: the file.
    ///   - expectedMagic: `labelMagic` or `imageMagic` (any `0x000008NN`, NN = rank, works).
    /// - Throws: `DatasetError`, as for `readLabels(at:)`.
    public static func read(at url: URL, expectedMagic: UInt32) throws -> IDXFile {
        let raw = try FileBytes.read(url)
        if raw.isEmpty {
            throw DatasetError(.emptyFile, source: url.path, offset: 0, message: "expected an IDX file, found an empty file")
        }
        return try parse(Gzip.decompressIfNeeded(raw, source: url.path), source: url.path, expectedMagic: expectedMagic)
    }

    /// Parses decompressed IDX bytes.
    /// - Parameters:
    ///   - bytes: the whole (decompressed) file.
    ///   - source: the file path, for error messages.
    ///   - expectedMagic: the required magic number; its low byte is the rank.
    /// - Throws: `DatasetError` with `.emptyFile`, `.truncated` (header or data shorter than
    ///   announced: expected N bytes, got M, at offset), `.wrongMagic` or `.invalidFormat`
    ///   (bytes after the announced data).
    public static func parse(_ bytes: [UInt8], source: String, expectedMagic: UInt32) throws -> IDXFile {
        let expectedName = expectedMagic == labelMagic ? "labels" : expectedMagic == imageMagic ? "images" : "IDX data"
        guard !bytes.isEmpty else {
            throw DatasetError(.emptyFile, source: source, offset: 0, message: "expected an IDX file of \(expectedName), found no bytes")
        }
        let rank = Int(expectedMagic & 0xFF)
        let headerSize = 4 + 4 * rank
        guard bytes.count >= 4 else {
            throw DatasetError(
                .truncated, source: source, offset: bytes.count,
                message: "truncated header: expected \(headerSize) header bytes, got \(bytes.count)")
        }
        let magic = word(bytes, at: 0)
        guard magic == expectedMagic else {
            throw DatasetError(
                .wrongMagic, source: source, offset: 0,
                message: "expected magic \(Hex.word(expectedMagic)) (\(expectedName)), found \(Hex.word(magic))")
        }
        guard bytes.count >= headerSize else {
            throw DatasetError(
                .truncated, source: source, offset: bytes.count,
                message: "truncated header: expected \(headerSize) header bytes, got \(bytes.count)")
        }
        let dimensions = (0..<rank).map { Int(word(bytes, at: 4 + 4 * $0)) }
        let payloadSize = dimensions.reduce(1, *)
        let available = bytes.count - headerSize
        guard available >= payloadSize else {
            throw DatasetError(
                .truncated, source: source, offset: headerSize,
                message: "truncated data: expected \(payloadSize) bytes after the \(headerSize)-byte header (dimensions \(dimensions)), got \(available)")
        }
        guard available == payloadSize else {
            throw DatasetError(
                .invalidFormat, source: source, offset: headerSize + payloadSize,
                message: "expected the file to end after \(payloadSize) data bytes (dimensions \(dimensions)), found \(available - payloadSize) more")
        }
        return IDXFile(magic: magic, dimensions: dimensions, bytes: Array(bytes[headerSize...]))
    }

    private static func word(_ b: [UInt8], at i: Int) -> UInt32 {
        UInt32(b[i]) << 24 | UInt32(b[i + 1]) << 16 | UInt32(b[i + 2]) << 8 | UInt32(b[i + 3])
    }
}
