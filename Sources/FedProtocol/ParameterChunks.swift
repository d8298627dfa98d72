/// A flat parameter vector as the chunks that carry it on the wire (the sending side of
/// `DownloadParameters` and `SubmitUpdate`).
///
/// Chunk `i` carries floats `i·k ..< min((i+1)·k, n)` as little-endian float32 bytes, where
/// `k = maxChunkBytes / 4` (rounded down) and `n` is the vector's length: every chunk but the
/// last is full, the last may be shorter, and 0 parameters make 0 chunks. A chunk is made when
/// it is asked for, so streaming a 200 MB model holds one chunk's bytes at a time beside the
/// vector, never a second copy of the whole model.
public struct ParameterChunks: RandomAccessCollection, Sendable {
    /// The parameters (shared with the caller's array, not copied).
    public let values: [Float]
    /// The largest chunk, in bytes.
    public let maxChunkBytes: Int

    /// The chunks of a vector.
    /// - Parameters:
    ///   - values: the flat parameters.
    ///   - maxChunkBytes: the largest chunk in bytes (at least 4; default 1 MiB).
    public init(_ values: [Float], maxChunkBytes: Int = WireProtocol.maxChunkBytes) {
        precondition(maxChunkBytes >= 4, "a chunk must hold at least one float (4 bytes), got maxChunkBytes \(maxChunkBytes)")
        self.values = values
        self.maxChunkBytes = maxChunkBytes
    }

    /// The first chunk index, 0.
    public var startIndex: Int { 0 }
    /// One past the last chunk index: the number of chunks.
    public var endIndex: Int { Self.chunkCount(parameterCount: values.count, maxChunkBytes: maxChunkBytes) }

    /// Chunk `position`, made now.
    public subscript(position: Int) -> Feddata_V1_ParameterChunk {
        Self.chunk(position, of: values, maxChunkBytes: maxChunkBytes)
    }

    /// How many floats a full chunk carries: `maxChunkBytes / 4`, rounded down.
    /// - Parameter maxChunkBytes: the largest chunk in bytes (at least 4).
    public static func floatsPerChunk(maxChunkBytes: Int) -> Int {
        precondition(maxChunkBytes >= 4, "a chunk must hold at least one float (4 bytes), got maxChunkBytes \(maxChunkBytes)")
        return maxChunkBytes / 4
    }

    /// How many chunks carry `parameterCount` floats: ⌈n / k⌉ (0 for 0 parameters). For
    /// example 50,000,000 floats in 1 MiB chunks (262,144 floats each) take 191 chunks.
    /// - Parameters:
    ///   - parameterCount: the vector's length (≥ 0).
    ///   - maxChunkBytes: the largest chunk in bytes (at least 4; default 1 MiB).
    public static func chunkCount(parameterCount: Int, maxChunkBytes: Int = WireProtocol.maxChunkBytes) -> Int {
        precondition(parameterCount >= 0, "negative parameter count \(parameterCount)")
        let perChunk = floatsPerChunk(maxChunkBytes: maxChunkBytes)
        return parameterCount / perChunk + (parameterCount % perChunk == 0 ? 0 : 1)
    }

    /// The float indices chunk `index` carries.
    /// - Parameters:
    ///   - index: the chunk index, in `0..<chunkCount(parameterCount:maxChunkBytes:)`.
    ///   - parameterCount: the vector's length.
    ///   - maxChunkBytes: the largest chunk in bytes (at least 4).
    public static func floatRange(ofChunk index: Int, parameterCount: Int, maxChunkBytes: Int) -> Range<Int> {
        let perChunk = floatsPerChunk(maxChunkBytes: maxChunkBytes)
        precondition(index >= 0 && index < chunkCount(parameterCount: parameterCount, maxChunkBytes: maxChunkBytes),
                     "chunk \(index) of a \(parameterCount)-float vector in \(maxChunkBytes)-byte chunks does not exist")
        let start = index * perChunk
        return start..<Swift.min(start + perChunk, parameterCount)
    }

    /// Chunk `index` of `values`: its index and the little-endian float32 bytes of its floats
    /// (one `memcpy` on little-endian hosts).
    /// - Parameters:
    ///   - index: the chunk index, in `0..<chunkCount(parameterCount: values.count, maxChunkBytes:)`.
    ///   - values: the flat parameters.
    ///   - maxChunkBytes: the largest chunk in bytes (at least 4; default 1 MiB).
    public static func chunk(_ index: Int, of values: [Float], maxChunkBytes: Int = WireProtocol.maxChunkBytes) -> Feddata_V1_ParameterChunk {
        let range = floatRange(ofChunk: index, parameterCount: values.count, maxChunkBytes: maxChunkBytes)
        precondition(index <= Int(UInt32.max), "chunk index \(index) does not fit the wire's uint32")
        var chunk = Feddata_V1_ParameterChunk()
        chunk.index = UInt32(index)
        chunk.data = LittleEndianFloats.bytes(of: values, range: range)
        return chunk
    }
}
