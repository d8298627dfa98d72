#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import FedCrypto
import FedRound

extension TrainingTask {
    /// The task's header, as `PollWork` returns it; the parameters follow as
    /// `wireChunks(maxChunkBytes:)` on `DownloadParameters`.
    /// - Parameters:
    ///   - taskID: the assignment's unique identifier.
    ///   - runID: the run.
    ///   - maxChunkBytes: the chunk limit the parameters are cut with (default 1 MiB).
    /// - Returns: a `TASK_KIND_TRAIN` task with the parameters' length, chunk count and SHA-256.
    public func wireTask(taskID: String, runID: String, maxChunkBytes: Int = WireProtocol.maxChunkBytes) -> Feddata_V1_Task {
        var task = Feddata_V1_Task.header(taskID: taskID, kind: .train, runID: runID, round: round, version: version,
                                          parameters: parameters, maxChunkBytes: maxChunkBytes)
        task.config = configuration.wireConfig
        return task
    }

    /// The parameters as chunks, made one at a time as they are sent.
    /// - Parameter maxChunkBytes: the chunk limit (default 1 MiB; the same as `wireTask`'s).
    public func wireChunks(maxChunkBytes: Int = WireProtocol.maxChunkBytes) -> ParameterChunks {
        ParameterChunks(parameters, maxChunkBytes: maxChunkBytes)
    }

    /// A training task from its wire header and the parameters assembled from its chunks
    /// (see `ParameterAssembler(downloading:modelParameterCount:maxChunkBytes:source:)`).
    /// - Parameters:
    ///   - wire: the task header.
    ///   - parameters: the assembled parameters.
    ///   - source: the task, e.g. `task r3-hospital-a`.
    /// - Throws: `WireError.unexpectedMessage` when the task is not a training task;
    ///   `.invalidField` for a round of 0, a version or round too large, or an invalid
    ///   configuration; `.malformed` when the config is missing; `.lengthMismatch` when the
    ///   parameters are not `parameter_count` long.
    public init(wire: Feddata_V1_Task, parameters: [Float], source: String) throws {
        guard wire.kind == .train else {
            throw WireError(.unexpectedMessage, source: source, "expected a training task (TASK_KIND_TRAIN), got \(wire.kind)")
        }
        guard wire.hasConfig else {
            throw WireError(.malformed, source: source, "a training task must carry a config, this one has none")
        }
        let (round, version) = try wire.checkedHeader(parameters: parameters, source: source)
        self.init(round: round, version: version, parameters: parameters,
                  configuration: try LocalTrainingConfiguration(wire: wire.config, source: source))
    }
}

extension EvaluationTask {
    /// The task's header, as `PollWork` returns it; the parameters follow as
    /// `wireChunks(maxChunkBytes:)` on `DownloadParameters`.
    /// - Parameters:
    ///   - taskID: the assignment's unique identifier.
    ///   - runID: the run.
    ///   - maxChunkBytes: the chunk limit the parameters are cut with (default 1 MiB).
    /// - Returns: a `TASK_KIND_EVALUATE` task with the parameters' length, chunk count and SHA-256.
    public func wireTask(taskID: String, runID: String, maxChunkBytes: Int = WireProtocol.maxChunkBytes) -> Feddata_V1_Task {
        Feddata_V1_Task.header(taskID: taskID, kind: .evaluate, runID: runID, round: round, version: version,
                               parameters: parameters, maxChunkBytes: maxChunkBytes)
    }

    /// The parameters as chunks, made one at a time as they are sent.
    /// - Parameter maxChunkBytes: the chunk limit (default 1 MiB; the same as `wireTask`'s).
    public func wireChunks(maxChunkBytes: Int = WireProtocol.maxChunkBytes) -> ParameterChunks {
        ParameterChunks(parameters, maxChunkBytes: maxChunkBytes)
    }

    /// An evaluation task from its wire header and the parameters assembled from its chunks.
    /// - Parameters:
    ///   - wire: the task header.
    ///   - parameters: the assembled parameters.
    ///   - source: the task, e.g. `task r3-eval-hospital-a`.
    /// - Throws: `WireError.unexpectedMessage` when the task is not an evaluation task;
    ///   `.invalidField` for a round of 0 or numbers too large; `.lengthMismatch` when the
    ///   parameters are not `parameter_count` long.
    public init(wire: Feddata_V1_Task, parameters: [Float], source: String) throws {
        guard wire.kind == .evaluate else {
            throw WireError(.unexpectedMessage, source: source, "expected an evaluation task (TASK_KIND_EVALUATE), got \(wire.kind)")
        }
        let (round, version) = try wire.checkedHeader(parameters: parameters, source: source)
        self.init(round: round, version: version, parameters: parameters)
    }
}

extension ParameterAssembler {
    /// Prepares to receive a task's parameters (`DownloadParameters`), with the length, chunk
    /// count and SHA-256 its header announced.
    /// - Parameters:
    ///   - task: the task header from `PollWork`.
    ///   - modelParameterCount: the model's size, agreed at registration; the task must announce
    ///     exactly this many parameters.
    ///   - maxChunkBytes: the chunk limit agreed at registration (default 1 MiB).
    ///   - source: the stream, e.g. `parameters of task r3-hospital-a`.
    /// - Throws: `WireError.lengthMismatch` when the task announces another length than the
    ///   model's, or the errors of `init(expectedCount:chunkCount:maxChunkBytes:sha256:maximumCount:source:)`.
    public init(downloading task: Feddata_V1_Task, modelParameterCount: Int,
                maxChunkBytes: Int = WireProtocol.maxChunkBytes, source: String) throws {
        guard task.parameterCount == UInt64(clamping: modelParameterCount) else {
            throw WireError(.lengthMismatch, source: source,
                            "the task announces \(task.parameterCount) parameters, the model has \(modelParameterCount)")
        }
        try self.init(expectedCount: modelParameterCount, chunkCount: Int(task.chunkCount), maxChunkBytes: maxChunkBytes,
                      sha256: WireDecoding.digest(task.parametersSha256), maximumCount: modelParameterCount, source: source)
    }
}

extension Feddata_V1_Task {
    /// A task header for `parameters` cut into `maxChunkBytes` chunks.
    static func header(taskID: String, kind: Feddata_V1_TaskKind, runID: String, round: Int, version: Int,
                       parameters: [Float], maxChunkBytes: Int) -> Feddata_V1_Task {
        let chunks = ParameterChunks.chunkCount(parameterCount: parameters.count, maxChunkBytes: maxChunkBytes)
        precondition(chunks <= Int(UInt32.max), "\(chunks) chunks do not fit the wire's uint32 chunk_count")
        var task = Feddata_V1_Task()
        task.taskID = taskID
        task.kind = kind
        task.runID = runID
        task.round = UInt64(clamping: round)
        task.version = UInt64(clamping: version)
        task.parameterCount = UInt64(parameters.count)
        task.chunkCount = UInt32(chunks)
        task.parametersSha256 = Data(SHA256Digest.hash(floats: parameters))
        return task
    }

    /// The header's round (≥ 1) and version (≥ 0), after checking `parameters` has the
    /// announced length.
    func checkedHeader(parameters: [Float], source: String) throws -> (round: Int, version: Int) {
        let round = try WireDecoding.int(round, field: "round", minimum: 1, source: source)
        let version = try WireDecoding.int(version, field: "version", source: source)
        guard parameterCount == UInt64(parameters.count) else {
            throw WireError(.lengthMismatch, source: source,
                            "the task announces \(parameterCount) parameters, \(parameters.count) arrived")
        }
        return (round, version)
    }
}
