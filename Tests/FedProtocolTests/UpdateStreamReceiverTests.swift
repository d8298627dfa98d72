import FedRound
import Testing
@testable import FedProtocol

/// The coordinator's side of SubmitUpdate, fed message by message.
@Suite struct UpdateStreamReceiverTests {
    let source = "update stream of task r3-hospital-a from node hospital-a"
    let delta: [Float] = [0.5, -0.25, 1, 2, -3, 0.125, 7, 8, 9, 10]

    func receiver() -> UpdateStreamReceiver {
        UpdateStreamReceiver(nodeID: "hospital-a", taskID: "r3-hospital-a", round: 3, parameterCount: 10, maxChunkBytes: 16)
    }

    func messages(_ reply: TrainingReply) -> UpdateMessages {
        reply.wireMessages(taskID: "r3-hospital-a", maxChunkBytes: 16)
    }

    var update: TrainingReply {
        .update(nodeID: "hospital-a", round: 3, delta: delta, sampleCount: 120, metrics: ["train_loss": 0.7])
    }

    @Test func happyPath() throws {
        var r = receiver()
        #expect(r.source == source)
        let stream = messages(update)
        #expect(stream.count == 4)
        for (i, message) in stream.enumerated() {
            #expect(!r.isComplete)
            try r.receive(message)
            #expect(r.header != nil || i > 0)
        }
        #expect(r.isComplete)
        #expect(try r.finish() == update)
    }

    @Test func declinedPath() throws {
        var r = receiver()
        let declined = TrainingReply(nodeID: "hospital-a", round: 3, outcome: .declined(reason: "no gain"), metrics: ["validation_accuracy": 0.5])
        for message in messages(declined) { try r.receive(message) }
        #expect(r.isComplete)
        #expect(try r.finish() == declined)
    }

    @Test func missingHeaderIsUnexpected() {
        var r = receiver()
        expectWireError(.unexpectedMessage, source: source, "chunk 0 arrived before the header") { try r.receive(messages(update)[1]) }
        expectWireError(.unexpectedMessage, source: source) { _ = try r.finish() }
    }

    @Test func declinedHeaderAnnouncingChunksIsRefused() {
        var header = messages(TrainingReply(nodeID: "hospital-a", round: 3, outcome: .declined(reason: "x"))).header
        header.chunkCount = 3
        header.parameterCount = 10
        var r = receiver()
        expectWireError(.invalidField, source: source, "declined update carries no parameters", "10 parameters in 3 chunks") {
            try r.receive(.with { $0.header = header })
        }
    }

    @Test func chunkAfterDeclinedHeaderIsUnexpected() throws {
        var r = receiver()
        try r.receive(messages(TrainingReply(nodeID: "hospital-a", round: 3, outcome: .declined(reason: "x")))[0])
        expectWireError(.unexpectedMessage, source: source, "chunk 0 arrived after a declined header") {
            try r.receive(messages(update)[1])
        }
        expectWireError(.unexpectedMessage, source: source) { _ = try r.finish() }  // nothing is recorded
    }

    @Test func wrongParameterCountIsLengthMismatch() {
        let short = TrainingReply.update(nodeID: "hospital-a", round: 3, delta: [1, 2, 3], sampleCount: 5)
        var r = receiver()
        expectWireError(.lengthMismatch, source: source, "the update has 3 parameters, the model has 10") {
            try r.receive(messages(short)[0])
        }
    }

    @Test func wrongChunkCountIsLengthMismatch() {
        var header = messages(update).header
        header.chunkCount = 10
        var r = receiver()
        expectWireError(.lengthMismatch, source: source, "announces 10 chunks", "take 3") { try r.receive(.with { $0.header = header }) }
    }

    @Test(arguments: [
        (WireError.Code.invalidField, "sample_count: expected at least 1", { @Sendable (h: inout Feddata_V1_UpdateHeader) in h.sampleCount = 0 }),
        (.invalidField, "round: expected 3, got 4", { @Sendable (h: inout Feddata_V1_UpdateHeader) in h.round = 4 }),
        (.invalidField, "task_id: expected \"r3-hospital-a\", got \"r3-hospital-b\"", { @Sendable (h: inout Feddata_V1_UpdateHeader) in h.taskID = "r3-hospital-b" }),
        (.nonFinite, "metrics[\"train_loss\"] is nan", { @Sendable (h: inout Feddata_V1_UpdateHeader) in h.metrics["train_loss"] = .nan }),
        (.malformed, "SHA-256 has 2 bytes", { @Sendable (h: inout Feddata_V1_UpdateHeader) in h.deltaSha256 = .init([1, 2]) }),
    ] as [(WireError.Code, String, @Sendable (inout Feddata_V1_UpdateHeader) -> Void)])
    func badHeaderFieldsAreRefused(code: WireError.Code, fragment: String, spoil: @Sendable (inout Feddata_V1_UpdateHeader) -> Void) {
        var header = messages(update).header
        spoil(&header)
        var r = receiver()
        expectWireError(code, source: source, fragment) { try r.receive(.with { $0.header = header }) }
    }

    @Test func secondHeaderIsUnexpected() throws {
        var r = receiver()
        try r.receive(messages(update)[0])
        expectWireError(.unexpectedMessage, source: source, "a second header") { try r.receive(messages(update)[0]) }
    }

    @Test func emptyMessageIsMalformed() {
        var r = receiver()
        expectWireError(.malformed, source: source, "neither a header nor a chunk") { try r.receive(Feddata_V1_UpdateMessage()) }
    }

    @Test func streamEndingEarlyIsTruncated() throws {
        var r = receiver()
        expectWireError(.truncated, source: source, "ended before the header") { _ = try r.finish() }
        r = receiver()
        let stream = messages(update)
        try r.receive(stream[0])
        try r.receive(stream[1])
        expectWireError(.truncated, source: source, "received 1 of 3 chunks (4 of 10 floats)") { _ = try r.finish() }
    }

    /// A NaN in the delta fails the stream, and the receiver yields nothing afterwards, even
    /// when the remaining chunks are good.
    @Test func nanInDeltaFailsTheWholeUpdate() throws {
        var bad = delta
        bad[5] = .nan
        let stream = messages(.update(nodeID: "hospital-a", round: 3, delta: bad, sampleCount: 120))
        var r = receiver()
        try r.receive(stream[0])
        try r.receive(stream[1])
        expectWireError(.nonFinite, source: source, "parameter 5") { try r.receive(stream[2]) }
        expectWireError(.nonFinite, source: source, "parameter 5") { try r.receive(stream[3]) }
        #expect(!r.isComplete)
        expectWireError(.nonFinite, source: source, "parameter 5") { _ = try r.finish() }
    }

    /// A chunk swapped for one of another update (same shape, other values) fails the digest.
    @Test func tamperedChunkFailsTheDigest() throws {
        let other = messages(.update(nodeID: "hospital-a", round: 3, delta: delta.map { $0 + 1 }, sampleCount: 120))
        let stream = messages(update)
        var r = receiver()
        for message in [stream[0], stream[1], other[2], stream[3]] { try r.receive(message) }
        expectWireError(.digestMismatch, source: source, "SHA-256 of the received parameters") { _ = try r.finish() }
    }
}
