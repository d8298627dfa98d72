import FedRound

/// The coordinator's side of one `SubmitUpdate` client stream, as a state machine with no I/O:
/// the driver feeds it the stream's messages in order and asks it for the `TrainingReply` when
/// the stream ends.
///
/// The stream must be one `UpdateHeader` and then exactly `chunk_count` chunks in order (none
/// when declined). The header is checked against the assignment the caller names (task, round,
/// the model's parameter count) before anything is allocated; each chunk goes through a
/// `ParameterAssembler`. After any error the receiver stays failed and `finish()` throws, so
/// nothing of a bad update can be recorded.
///
///     idle ──header──▶ receiving ──chunk…──▶ complete ──finish()──▶ TrainingReply
///       └─chunk: unexpectedMessage    └─ finish() early: truncated
public struct UpdateStreamReceiver: Sendable {
    /// The node sending, from its certificate.
    public let nodeID: String
    /// The task assigned to the node, which the header must name.
    public let taskID: String
    /// The round of that task, which the header must name.
    public let round: Int
    /// The model's parameter count, which an update's `parameter_count` must equal.
    public let parameterCount: Int
    /// The largest chunk accepted, in bytes.
    public let maxChunkBytes: Int
    /// The stream, named in every error.
    public let source: String
    /// The header, once received and accepted.
    public private(set) var header: Feddata_V1_UpdateHeader?

    private var assembler: ParameterAssembler?
    private var sampleCount = 0
    private var failure: WireError?

    /// Prepares to receive a node's update for an assigned task.
    /// - Parameters:
    ///   - nodeID: the node, from its certificate.
    ///   - taskID: the task assigned to it.
    ///   - round: the task's round.
    ///   - parameterCount: the model's parameter count.
    ///   - maxChunkBytes: the chunk limit announced at registration (default 1 MiB).
    ///   - source: how errors name the stream (default
    ///     `update stream of task <taskID> from node <nodeID>`).
    public init(nodeID: String, taskID: String, round: Int, parameterCount: Int,
                maxChunkBytes: Int = WireProtocol.maxChunkBytes, source: String? = nil) {
        self.nodeID = nodeID
        self.taskID = taskID
        self.round = round
        self.parameterCount = parameterCount
        self.maxChunkBytes = maxChunkBytes
        self.source = source ?? "update stream of task \(taskID) from node \(nodeID)"
    }

    /// Whether the header and every chunk it announced have arrived.
    public var isComplete: Bool {
        guard failure == nil, let header else { return false }
        return header.declined || assembler?.isComplete == true
    }

    /// Takes the stream's next message.
    /// - Parameter message: the message.
    /// - Throws: `WireError.unexpectedMessage` (a chunk before the header, a second header, a
    ///   chunk after a declined header), `.malformed` (a message with neither part), the
    ///   header's errors (`.invalidField` for another task or round, a sample count of 0, a
    ///   declined update that announces parameters; `.lengthMismatch` for another parameter
    ///   count than the model's or a wrong chunk count; `.nonFinite` for a metric), or a
    ///   chunk's errors from `ParameterAssembler.append(_:)`; or the earlier error if the
    ///   receiver already failed.
    public mutating func receive(_ message: Feddata_V1_UpdateMessage) throws {
        if let failure { throw failure }
        do {
            switch message.part {
            case .header(let header):
                try accept(header)
            case .chunk(let chunk):
                guard let header else {
                    throw WireError(.unexpectedMessage, source: source,
                                    "chunk \(chunk.index) arrived before the header; the stream must start with an UpdateHeader")
                }
                guard !header.declined else {
                    throw WireError(.unexpectedMessage, source: source,
                                    "chunk \(chunk.index) arrived after a declined header; a declined update carries no chunks")
                }
                try assembler!.append(chunk)  // in place: no copy of the vector
            case nil:
                throw WireError(.malformed, source: source, "an UpdateMessage with neither a header nor a chunk")
            }
        } catch let error as WireError {
            failure = error
            assembler = nil
            throw error
        }
    }

    private mutating func accept(_ header: Feddata_V1_UpdateHeader) throws {
        guard self.header == nil else {
            throw WireError(.unexpectedMessage, source: source, "a second header; the stream carries one header, then its chunks")
        }
        guard header.taskID == taskID else {
            throw WireError(.invalidField, source: source, "task_id: expected \"\(taskID)\", got \"\(header.taskID)\"")
        }
        guard header.round == UInt64(clamping: round) else {
            throw WireError(.invalidField, source: source, "round: expected \(round), got \(header.round)")
        }
        _ = try WireDecoding.finite(header.metrics, field: "metrics", source: source)
        if header.declined {
            guard header.chunkCount == 0, header.parameterCount == 0 else {
                throw WireError(.invalidField, source: source,
                                "a declined update carries no parameters, but the header announces \(header.parameterCount) parameters in \(header.chunkCount) chunks")
            }
        } else {
            guard header.parameterCount == UInt64(clamping: parameterCount) else {
                throw WireError(.lengthMismatch, source: source,
                                "parameter_count: the update has \(header.parameterCount) parameters, the model has \(parameterCount)")
            }
            sampleCount = try WireDecoding.int(header.sampleCount, field: "sample_count", minimum: 1, source: source)
            assembler = try ParameterAssembler(expectedCount: parameterCount, chunkCount: Int(header.chunkCount),
                                               maxChunkBytes: maxChunkBytes, sha256: WireDecoding.digest(header.deltaSha256),
                                               maximumCount: parameterCount, source: source)
        }
        self.header = header
    }

    /// The node's reply, once the stream has ended.
    /// - Returns: an update (the assembled delta and the sample count) or a declined reply,
    ///   with the header's metrics, for `nodeID` and `round`.
    /// - Throws: `WireError.truncated` when the stream ended before the header or before every
    ///   chunk, `.digestMismatch` when the delta's SHA-256 differs from the header's; or the
    ///   earlier error if the receiver failed.
    public consuming func finish() throws -> TrainingReply {
        if let failure { throw failure }
        guard let header else {
            throw WireError(.truncated, source: source, "the stream ended before the header")
        }
        if header.declined {
            return TrainingReply(nodeID: nodeID, round: round, outcome: .declined(reason: header.declineReason), metrics: header.metrics)
        }
        let delta = try assembler!.finish()
        return .update(nodeID: nodeID, round: round, delta: delta, sampleCount: sampleCount, metrics: header.metrics)
    }
}
