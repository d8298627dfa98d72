import FedCrypto
import FedRound
import Foundation

/// The coordinator's side of one `SubmitSecureAggregation` client stream, as a state machine
/// with no I/O: one `SecureAggregationHeader`, then exactly `chunk_count` byte chunks in order.
///
/// The header is checked against the assignment (task, round, stage) and the announced size
/// against `maximumBytes` before anything is allocated; chunks must come in order, none larger
/// than `maxChunkBytes`, and add up to the announced size; the payload's SHA-256 must match.
/// After any error the receiver stays failed, so nothing of a bad answer is delivered.
public struct SecureAggregationStreamReceiver: Sendable {
    /// The node sending, from its certificate.
    public let nodeID: String
    /// The task assigned to the node, which the header must name.
    public let taskID: String
    /// The task's round.
    public let round: Int
    /// The task's stage.
    public let stage: SecureAggregationStage
    /// The largest payload accepted, in bytes.
    public let maximumBytes: Int
    /// The largest chunk accepted, in bytes.
    public let maxChunkBytes: Int
    /// How errors name the stream.
    public let source: String

    private var header: Feddata_V1_SecureAggregationHeader?
    private var payload: [UInt8] = []
    private var nextChunk = 0
    private var hasher = IncrementalSHA256()
    private var failure: WireError?

    /// Prepares to receive a node's answer to a secure-aggregation task.
    public init(nodeID: String, taskID: String, round: Int, stage: SecureAggregationStage, maximumBytes: Int,
                maxChunkBytes: Int = WireProtocol.maxChunkBytes, source: String? = nil) {
        self.nodeID = nodeID
        self.taskID = taskID
        self.round = round
        self.stage = stage
        self.maximumBytes = maximumBytes
        self.maxChunkBytes = maxChunkBytes
        self.source = source ?? "secure-aggregation stream of task \(taskID) from node \(nodeID)"
    }

    /// Takes the stream's next message.
    /// - Throws: `WireError` (`.unexpectedMessage`, `.invalidField`, `.oversized`,
    ///   `.outOfOrder`, `.lengthMismatch`, `.nonFinite`, `.malformed`), or the earlier error.
    public mutating func receive(_ message: Feddata_V1_SecureAggregationMessage) throws {
        if let failure { throw failure }
        do {
            switch message.part {
            case .header(let h):
                try accept(h)
            case .chunk(let chunk):
                guard let header else {
                    throw WireError(.unexpectedMessage, source: source, "chunk \(chunk.index) arrived before the header")
                }
                guard Int(chunk.index) == nextChunk else {
                    throw WireError(.outOfOrder, source: source, "expected chunk \(nextChunk), got chunk \(chunk.index)")
                }
                guard nextChunk < Int(header.chunkCount) else {
                    throw WireError(.lengthMismatch, source: source, "chunk \(chunk.index) is beyond the \(header.chunkCount) chunks the header announced")
                }
                guard chunk.data.count <= maxChunkBytes else {
                    throw WireError(.oversized, source: source, "chunk \(chunk.index) has \(chunk.data.count) bytes; at most \(maxChunkBytes) are accepted")
                }
                guard payload.count + chunk.data.count <= Int(header.payloadBytes) else {
                    throw WireError(.lengthMismatch, source: source,
                                    "chunk \(chunk.index) brings the payload past the \(header.payloadBytes) bytes the header announced")
                }
                chunk.data.withUnsafeBytes { raw in
                    payload.append(contentsOf: raw.bindMemory(to: UInt8.self))
                    hasher.update(raw)
                }
                nextChunk += 1
            case nil:
                throw WireError(.malformed, source: source, "a SecureAggregationMessage with neither a header nor a chunk")
            }
        } catch let error as WireError {
            failure = error
            payload = []
            throw error
        }
    }

    private mutating func accept(_ h: Feddata_V1_SecureAggregationHeader) throws {
        guard header == nil else {
            throw WireError(.unexpectedMessage, source: source, "a second header; the stream carries one header, then its chunks")
        }
        guard h.taskID == taskID else {
            throw WireError(.invalidField, source: source, "task_id: expected \"\(taskID)\", got \"\(h.taskID)\"")
        }
        guard h.round == UInt64(clamping: round) else {
            throw WireError(.invalidField, source: source, "round: expected \(round), got \(h.round)")
        }
        guard h.stage == UInt32(stage.rawValue) else {
            throw WireError(.invalidField, source: source, "stage: expected \(stage.rawValue) (\(stage)), got \(h.stage)")
        }
        guard h.payloadBytes <= UInt64(maximumBytes) else {
            throw WireError(.oversized, source: source, "payload_bytes: \(h.payloadBytes) announced; at most \(maximumBytes) are accepted at stage \(stage)")
        }
        let needed = (Int(h.payloadBytes) + maxChunkBytes - 1) / maxChunkBytes
        guard Int(h.chunkCount) == needed else {
            throw WireError(.lengthMismatch, source: source, "chunk_count: \(h.payloadBytes) bytes in chunks of at most \(maxChunkBytes) take \(needed) chunks, the header says \(h.chunkCount)")
        }
        guard h.payloadSha256.count == 32 else {
            throw WireError(.invalidField, source: source, "payload_sha256: expected 32 bytes, got \(h.payloadSha256.count)")
        }
        _ = try WireDecoding.finite(h.metrics, field: "metrics", source: source)
        payload.reserveCapacity(Int(h.payloadBytes))
        header = h
    }

    /// The node's answer, once the stream has ended.
    /// - Throws: `WireError.truncated` (no header, or fewer bytes than announced),
    ///   `.digestMismatch`; or the earlier error.
    public consuming func finish() throws -> SecureAggregationResponse {
        if let failure { throw failure }
        guard let header else { throw WireError(.truncated, source: source, "the stream ended before the header") }
        guard payload.count == Int(header.payloadBytes) else {
            throw WireError(.truncated, source: source, "the stream ended after \(payload.count) of \(header.payloadBytes) bytes (\(nextChunk) of \(header.chunkCount) chunks)")
        }
        guard hasher.finalize() == Array(header.payloadSha256) else {
            throw WireError(.digestMismatch, source: source, "the payload's SHA-256 differs from the header's payload_sha256")
        }
        return SecureAggregationResponse(nodeID: nodeID, round: round, stage: stage, payload: payload, metrics: header.metrics)
    }
}

/// The node's side: a secure-aggregation answer as the messages of one `SubmitSecureAggregation` stream.
public enum SecureAggregationStreamSender {
    /// The header and the chunks, in order.
    public static func messages(for response: SecureAggregationResponse, taskID: String,
                                maxChunkBytes: Int = WireProtocol.maxChunkBytes) -> [Feddata_V1_SecureAggregationMessage] {
        var header = Feddata_V1_SecureAggregationHeader()
        header.taskID = taskID
        header.round = UInt64(response.round)
        header.stage = UInt32(response.stage.rawValue)
        header.payloadBytes = UInt64(response.payload.count)
        let count = (response.payload.count + maxChunkBytes - 1) / maxChunkBytes
        header.chunkCount = UInt32(count)
        header.payloadSha256 = Data(SHA256Digest.hash(response.payload))
        header.metrics = response.metrics
        var out = [Feddata_V1_SecureAggregationMessage.with { $0.header = header }]
        out.reserveCapacity(count + 1)
        for i in 0..<count {
            let lo = i * maxChunkBytes
            let hi = min(lo + maxChunkBytes, response.payload.count)
            var chunk = Feddata_V1_ByteChunk()
            chunk.index = UInt32(i)
            chunk.data = Data(response.payload[lo..<hi])
            out.append(.with { $0.chunk = chunk })
        }
        return out
    }
}
