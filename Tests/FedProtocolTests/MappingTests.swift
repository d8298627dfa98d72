import FedCrypto
import FedModels
import FedRound
import Testing
@testable import FedProtocol

/// Domain values survive the trip through their wire messages; out-of-range wire values are
/// refused naming the field.
@Suite struct MappingTests {
    let source = "task r3-hospital-a"
    let configuration = LocalTrainingConfiguration(localEpochs: 2, batchSize: 32, learningRate: 0.05, instructions: ["proximal_mu": 0.01])

    @Test func configurationRoundTrips() throws {
        let wire = configuration.wireConfig
        #expect(wire.localEpochs == 2 && wire.batchSize == 32 && wire.learningRate == 0.05 && wire.instructions == ["proximal_mu": 0.01])
        #expect(try LocalTrainingConfiguration(wire: wire, source: source) == configuration)
    }

    @Test(arguments: [
        ("local_epochs", { @Sendable (c: inout Feddata_V1_TrainingConfig) in c.localEpochs = 0 }),
        ("batch_size", { @Sendable (c: inout Feddata_V1_TrainingConfig) in c.batchSize = 0 }),
        ("learning_rate", { @Sendable (c: inout Feddata_V1_TrainingConfig) in c.learningRate = -1 }),
        ("learning_rate", { @Sendable (c: inout Feddata_V1_TrainingConfig) in c.learningRate = .nan }),
    ] as [(String, @Sendable (inout Feddata_V1_TrainingConfig) -> Void)])
    func outOfRangeConfigurationNamesTheField(field: String, spoil: @Sendable (inout Feddata_V1_TrainingConfig) -> Void) {
        var wire = configuration.wireConfig
        spoil(&wire)
        let error = expectWireError(.invalidField, source: source, "training config \(field):") {
            _ = try LocalTrainingConfiguration(wire: wire, source: source)
        }
        #expect(error?.cause is RoundError)
    }

    @Test func nonFiniteInstructionIsRefused() {
        var wire = configuration.wireConfig
        wire.instructions["proximal_mu"] = .infinity
        expectWireError(.nonFinite, source: source, "instructions[\"proximal_mu\"] is inf") {
            _ = try LocalTrainingConfiguration(wire: wire, source: source)
        }
    }

    /// A training task through its header and chunk stream, as PollWork and DownloadParameters
    /// carry it, comes back equal.
    @Test func trainingTaskRoundTrips() throws {
        let task = TrainingTask(round: 3, version: 2, parameters: (0..<10).map { Float($0) / 4 }, configuration: configuration)
        let header = task.wireTask(taskID: "r3-hospital-a", runID: "run-1", maxChunkBytes: 16)
        #expect(header.kind == .train && header.round == 3 && header.version == 2 && header.runID == "run-1")
        #expect(header.parameterCount == 10 && header.chunkCount == 3)
        #expect(Array(header.parametersSha256) == SHA256Digest.hash(floats: task.parameters))
        var assembler = try ParameterAssembler(downloading: header, modelParameterCount: 10, maxChunkBytes: 16, source: source)
        for chunk in task.wireChunks(maxChunkBytes: 16) { try assembler.append(chunk) }
        #expect(try TrainingTask(wire: header, parameters: assembler.finish(), source: source) == task)
    }

    @Test func evaluationTaskRoundTrips() throws {
        let task = EvaluationTask(round: 4, version: 4, parameters: [1, -1, 0.5])
        let header = task.wireTask(taskID: "r4-eval-hospital-a", runID: "run-1")
        #expect(header.kind == .evaluate && header.chunkCount == 1 && !header.hasConfig)
        var assembler = try ParameterAssembler(downloading: header, modelParameterCount: 3, source: source)
        for chunk in task.wireChunks() { try assembler.append(chunk) }
        #expect(try EvaluationTask(wire: header, parameters: assembler.finish(), source: source) == task)
        expectWireError(.unexpectedMessage, source: source, "expected a training task") {
            _ = try TrainingTask(wire: header, parameters: task.parameters, source: source)
        }
    }

    @Test func taskHeaderChecks() {
        let task = TrainingTask(round: 3, version: 2, parameters: [1, 2, 3], configuration: configuration)
        var header = task.wireTask(taskID: "r3-hospital-a", runID: "run-1")
        expectWireError(.lengthMismatch, source: source, "announces 3 parameters, the model has 4") {
            _ = try ParameterAssembler(downloading: header, modelParameterCount: 4, source: source)
        }
        expectWireError(.lengthMismatch, source: source, "announces 3 parameters, 2 arrived") {
            _ = try TrainingTask(wire: header, parameters: [1, 2], source: source)
        }
        header.round = 0
        expectWireError(.invalidField, source: source, "round: expected at least 1", "got 0") {
            _ = try TrainingTask(wire: header, parameters: task.parameters, source: source)
        }
        header.round = 3
        header.clearConfig()
        expectWireError(.malformed, source: source, "must carry a config") {
            _ = try TrainingTask(wire: header, parameters: task.parameters, source: source)
        }
    }

    @Test func updateReplyHeaderAndChunks() {
        let reply = TrainingReply.update(nodeID: "hospital-a", round: 3, delta: [1, 2, 3, 4, 5], sampleCount: 120, metrics: ["train_loss": 0.7])
        let messages = reply.wireMessages(taskID: "r3-hospital-a", maxChunkBytes: 8)
        #expect(messages.count == 4)  // header + 3 chunks (2, 2, 1 floats)
        let header = messages.header
        #expect(header.taskID == "r3-hospital-a" && header.round == 3 && header.parameterCount == 5 && header.chunkCount == 3)
        #expect(header.sampleCount == 120 && header.metrics == ["train_loss": 0.7] && !header.declined)
        #expect(Array(header.deltaSha256) == SHA256Digest.hash(floats: [1, 2, 3, 4, 5]))
        #expect(messages[0].header == header)
        #expect(messages.dropFirst().map(\.chunk.index) == [0, 1, 2])
        #expect(messages.dropFirst().map(\.chunk.data.count) == [8, 8, 4])
    }

    @Test func declinedReplyHasNoChunks() {
        let reply = TrainingReply(nodeID: "hospital-a", round: 3, outcome: .declined(reason: "local validation worse"))
        let messages = reply.wireMessages(taskID: "r3-hospital-a")
        #expect(messages.count == 1)
        #expect(messages.header.declined && messages.header.declineReason == "local validation worse")
        #expect(messages.header.parameterCount == 0 && messages.header.chunkCount == 0 && messages.header.deltaSha256.isEmpty)
    }

    @Test func evaluationReplyRoundTrips() throws {
        let reply = EvaluationReply(nodeID: "hospital-a", round: 3, evaluation: Evaluation(loss: 0.42, accuracy: 0.875, count: 64))
        let wire = try reply.wireResult(taskID: "r3-eval-hospital-a")
        #expect(wire.taskID == "r3-eval-hospital-a" && wire.round == 3 && wire.loss == 0.42 && wire.accuracy == 0.875 && wire.sampleCount == 64)
        #expect(try EvaluationReply(wire: wire, nodeID: "hospital-a", taskID: "r3-eval-hospital-a", round: 3, source: source) == reply)
    }

    @Test func badEvaluationResultsAreRefused() throws {
        let good = try EvaluationReply(nodeID: "n", round: 3, evaluation: Evaluation(loss: 1, accuracy: 0.5, count: 10)).wireResult(taskID: "t")
        func decode(_ spoil: (inout Feddata_V1_EvaluationResult) -> Void) throws {
            var wire = good
            spoil(&wire)
            _ = try EvaluationReply(wire: wire, nodeID: "n", taskID: "t", round: 3, source: source)
        }
        expectWireError(.nonFinite, source: source, "loss is nan") { try decode { $0.loss = .nan } }
        expectWireError(.nonFinite, source: source, "accuracy is nan") { try decode { $0.accuracy = .nan } }
        expectWireError(.invalidField, source: source, "accuracy: expected a fraction in 0…1, got 1.5") { try decode { $0.accuracy = 1.5 } }
        expectWireError(.invalidField, source: source, "accuracy", "got -0.1") { try decode { $0.accuracy = -0.1 } }
        expectWireError(.invalidField, source: source, "round: expected 3, got 2") { try decode { $0.round = 2 } }
        expectWireError(.invalidField, source: source, "task_id: expected \"t\", got \"u\"") { try decode { $0.taskID = "u" } }
        expectWireError(.invalidField, source: source, "sample_count", "got 18446744073709551615") { try decode { $0.sampleCount = .max } }
        let negative = EvaluationReply(nodeID: "n", round: 3, evaluation: Evaluation(loss: 1, accuracy: 0.5, count: -1))
        expectWireError(.invalidField, source: "evaluation result of task t from node n", "sample_count: expected at least 0, got -1") {
            _ = try negative.wireResult(taskID: "t")
        }
    }
}
