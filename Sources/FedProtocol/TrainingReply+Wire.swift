#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FedCrypto
import FedRound

extension TrainingReply {
    /// The reply's `UpdateHeader`: for an update, the delta's length, chunk count, sample count
    /// and SHA-256; for a declined round, `declined` and the reason with no parameters and no
    /// chunks. A negative sample count is clamped to 0 (and refused by the receiver).
    /// - Parameters:
    ///   - taskID: the task this reply answers.
    ///   - maxChunkBytes: the chunk limit the delta is cut with (the coordinator's
    ///     `max_chunk_bytes`; default 1 MiB).
    public func wireHeader(taskID: String, maxChunkBytes: Int = WireProtocol.maxChunkBytes) -> Feddata_V1_UpdateHeader {
        var header = Feddata_V1_UpdateHeader()
        header.taskID = taskID
        header.round = UInt64(clamping: round)
        header.metrics = metrics
        switch outcome {
        case .update(let delta, let sampleCount):
            let chunks = ParameterChunks.chunkCount(parameterCount: delta.count, maxChunkBytes: maxChunkBytes)
            precondition(chunks <= Int(UInt32.max), "\(chunks) chunks do not fit the wire's uint32 chunk_count")
            header.parameterCount = UInt64(delta.count)
            header.chunkCount = UInt32(chunks)
            header.sampleCount = UInt64(clamping: sampleCount)
            header.deltaSha256 = Data(SHA256Digest.hash(floats: delta))
        case .declined(let reason):
            header.declined = true
            header.declineReason = reason
        }
        return header
    }

    /// The whole `SubmitUpdate` stream: the header, then the delta's chunks (none when
    /// declined), each made when it is sent.
    /// - Parameters:
    ///   - taskID: the task this reply answers.
    ///   - maxChunkBytes: the chunk limit (the coordinator's `max_chunk_bytes`; default 1 MiB).
    public func wireMessages(taskID: String, maxChunkBytes: Int = WireProtocol.maxChunkBytes) -> UpdateMessages {
        let delta: [Float]
        if case .update(let d, _) = outcome { delta = d } else { delta = [] }
        return UpdateMessages(header: wireHeader(taskID: taskID, maxChunkBytes: maxChunkBytes),
                              chunks: ParameterChunks(delta, maxChunkBytes: maxChunkBytes))
    }
}

/// The messages of one `SubmitUpdate` stream: message 0 is the header, messages 1…n the
/// delta's chunks 0…n−1, each made when it is asked for.
public struct UpdateMessages: RandomAccessCollection, Sendable {
    /// The header (message 0).
    public let header: Feddata_V1_UpdateHeader
    /// The chunks that follow it.
    public let chunks: ParameterChunks

    /// The stream of a header and its chunks.
    /// - Parameters:
    ///   - header: the update header.
    ///   - chunks: the delta's chunks (empty when declined).
    public init(header: Feddata_V1_UpdateHeader, chunks: ParameterChunks) {
        self.header = header
        self.chunks = chunks
    }

    /// The header's position, 0.
    public var startIndex: Int { 0 }
    /// One past the last chunk: 1 + the number of chunks.
    public var endIndex: Int { 1 + chunks.count }

    /// Message `position`: the header at 0, chunk `position − 1` after it.
    public subscript(position: Int) -> Feddata_V1_UpdateMessage {
        var message = Feddata_V1_UpdateMessage()
        message.part = position == 0 ? .header(header) : .chunk(chunks[position - 1])
        return message
    }
}
