import FedCrypto

/// Rebuilds a flat parameter vector from its chunks as they arrive (the receiving side of
/// `DownloadParameters` and `SubmitUpdate`), checking each one: a small state machine with no
/// I/O.
///
/// The vector is allocated once, `expectedCount` floats, after the count has been checked
/// against the caller's bound; each chunk is copied into place (one `memcpy` on little-endian
/// hosts), so a 200 MB model costs 200 MB and linear time. Chunk `i` must carry exactly the
/// floats `ParameterChunks` puts in it for the same `maxChunkBytes`. After any error the
/// assembler stays failed: every later call throws the same error, and no vector comes out.
public struct ParameterAssembler: Sendable {
    /// The vector's announced length.
    public let expectedCount: Int
    /// The announced number of chunks.
    public let chunkCount: Int
    /// The largest chunk accepted, in bytes.
    public let maxChunkBytes: Int
    /// The stream, named in every error.
    public let source: String
    /// The floats received so far.
    public private(set) var receivedCount = 0
    /// The chunks received so far.
    public private(set) var receivedChunks = 0

    private let expectedDigest: [UInt8]?
    private var hasher: IncrementalSHA256?
    /// `expectedCount` floats; `[0, receivedCount)` filled.
    private var values: [Float]
    private var failure: WireError?

    /// Prepares to receive a vector, after checking the announced numbers.
    /// - Parameters:
    ///   - expectedCount: the announced length in floats.
    ///   - chunkCount: the announced number of chunks.
    ///   - maxChunkBytes: the largest chunk accepted, in bytes (at least 4; default 1 MiB).
    ///   - sha256: the announced SHA-256 of the vector's little-endian float32 bytes, or nil
    ///     for none.
    ///   - maximumCount: the most floats the caller accepts (the model's size): checked before
    ///     anything is allocated.
    ///   - source: the stream, e.g. `update stream of task r3-hospital-a from node hospital-a`.
    /// - Throws: `WireError.oversized` when `expectedCount` exceeds `maximumCount`;
    ///   `.lengthMismatch` when `chunkCount` is not the number of chunks `expectedCount` floats
    ///   take; `.malformed` when `sha256` is not 32 bytes; `.invalidField` for a negative
    ///   count or a chunk limit under 4 bytes.
    public init(expectedCount: Int, chunkCount: Int, maxChunkBytes: Int = WireProtocol.maxChunkBytes,
                sha256: [UInt8]?, maximumCount: Int, source: String) throws {
        guard maxChunkBytes >= 4 else {
            throw WireError(.invalidField, source: source, "max_chunk_bytes: a chunk must hold at least one float (4 bytes), got \(maxChunkBytes)")
        }
        guard expectedCount >= 0, chunkCount >= 0 else {
            throw WireError(.invalidField, source: source, "parameter and chunk counts must be non-negative, got \(expectedCount) parameters in \(chunkCount) chunks")
        }
        guard expectedCount <= maximumCount else {
            throw WireError(.oversized, source: source, "the header announces \(expectedCount) parameters, more than the \(maximumCount) this receiver accepts")
        }
        let needed = ParameterChunks.chunkCount(parameterCount: expectedCount, maxChunkBytes: maxChunkBytes)
        guard chunkCount == needed else {
            throw WireError(.lengthMismatch, source: source,
                            "the header announces \(chunkCount) chunks, but \(expectedCount) parameters in chunks of at most \(maxChunkBytes) bytes take \(needed)")
        }
        if let sha256, sha256.count != 32 {
            throw WireError(.malformed, source: source, "the announced SHA-256 has \(sha256.count) bytes, expected 32")
        }
        self.expectedCount = expectedCount
        self.chunkCount = chunkCount
        self.maxChunkBytes = maxChunkBytes
        self.source = source
        self.expectedDigest = sha256
        self.hasher = sha256 == nil ? nil : IncrementalSHA256()
        self.values = [Float](repeating: 0, count: expectedCount)
    }

    /// Whether every announced chunk has arrived.
    public var isComplete: Bool { failure == nil && receivedChunks == chunkCount }

    /// Takes the next chunk.
    /// - Parameter chunk: the chunk; its index must be the next expected one.
    /// - Throws: `WireError.outOfOrder` (another index than the next, naming both),
    ///   `.lengthMismatch` (a chunk beyond the announced count, or carrying another number of
    ///   floats than its place in the vector holds), `.oversized` (more than `maxChunkBytes`),
    ///   `.malformed` (not a multiple of 4 bytes, or empty), `.nonFinite` (naming the first
    ///   NaN or infinite parameter's index and value); or the earlier error if the assembler
    ///   already failed.
    public mutating func append(_ chunk: Feddata_V1_ParameterChunk) throws {
        if let failure { throw failure }
        do {
            try accept(chunk)
        } catch let error as WireError {
            failure = error
            values = []
            throw error
        }
    }

    private mutating func accept(_ chunk: Feddata_V1_ParameterChunk) throws {
        let index = Int(chunk.index)
        guard index == receivedChunks else {
            let why = index < receivedChunks
                ? "a duplicate of a chunk already received"
                : (index == receivedChunks + 1 ? "chunk \(receivedChunks) is missing or reordered"
                                               : "chunks \(receivedChunks)…\(index - 1) are missing or reordered")
            throw WireError(.outOfOrder, source: source, "expected chunk \(receivedChunks), got chunk \(index): \(why)")
        }
        guard receivedChunks < chunkCount else {
            throw WireError(.lengthMismatch, source: source,
                            "chunk \(index) is one more than the \(chunkCount) announced (all \(expectedCount) parameters already arrived)")
        }
        let byteCount = chunk.data.count
        guard byteCount <= maxChunkBytes else {
            throw WireError(.oversized, source: source, "chunk \(index) has \(byteCount) bytes, more than the limit of \(maxChunkBytes)")
        }
        guard byteCount % 4 == 0, byteCount > 0 else {
            throw WireError(.malformed, source: source,
                            "chunk \(index) has \(byteCount) bytes, not a positive multiple of 4 (little-endian float32 values)")
        }
        let range = ParameterChunks.floatRange(ofChunk: index, parameterCount: expectedCount, maxChunkBytes: maxChunkBytes)
        let floats = byteCount / 4
        guard floats == range.count else {
            let detail = receivedCount + floats > expectedCount
                ? "which would make \(receivedCount + floats) of the \(expectedCount) announced parameters"
                : "expected \(range.count) (parameters \(range.lowerBound)..<\(range.upperBound) in chunks of at most \(maxChunkBytes) bytes)"
            throw WireError(.lengthMismatch, source: source, "chunk \(index) carries \(floats) floats, \(detail)")
        }
        try chunk.data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            try values.withUnsafeMutableBufferPointer { destination in
                LittleEndianFloats.copy(bytes, into: destination, at: range.lowerBound)
                for i in range where !destination[i].isFinite {
                    throw WireError(.nonFinite, source: source, "parameter \(i) (in chunk \(index)) is \(destination[i]); every parameter must be finite")
                }
            }
            hasher?.update(bytes)
        }
        receivedCount = range.upperBound
        receivedChunks += 1
    }

    /// The assembled vector, once every chunk has arrived.
    /// - Returns: the `expectedCount` floats.
    /// - Throws: `WireError.truncated` when chunks are missing ("received 3 of 5 chunks (…)"),
    ///   `.digestMismatch` when the vector's SHA-256 differs from the announced one; or the
    ///   earlier error if the assembler failed.
    public consuming func finish() throws -> [Float] {
        if let failure { throw failure }
        guard receivedChunks == chunkCount else {
            throw WireError(.truncated, source: source,
                            "received \(receivedChunks) of \(chunkCount) chunks (\(receivedCount) of \(expectedCount) floats): the stream ended early")
        }
        if let expectedDigest, let hasher {
            let digest = hasher.finalize()
            guard digest == expectedDigest else {
                throw WireError(.digestMismatch, source: source,
                                "the SHA-256 of the received parameters is \(SHA256Digest.hex(digest)), the header announced \(SHA256Digest.hex(expectedDigest))")
            }
        }
        return values
    }
}
