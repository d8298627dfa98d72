import Foundation
import FedModels
import FedRound

extension EvaluationReply {
    /// The reply as the `SubmitEvaluation` message.
    /// - Parameter taskID: the evaluation task this reply answers.
    /// - Throws: `WireError` for a result the coordinator would refuse (see
    ///   `init(wire:nodeID:taskID:round:source:)`), so the node learns it before sending.
    public func wireResult(taskID: String) throws -> Feddata_V1_EvaluationResult {
        let source = "evaluation result of task \(taskID) from node \(nodeID)"
        guard round >= 1 else {
            throw WireError(.invalidField, source: source, "round: expected at least 1, got \(round)")
        }
        guard evaluation.count >= 0 else {
            throw WireError(.invalidField, source: source, "sample_count: expected at least 0, got \(evaluation.count)")
        }
        try Self.check(loss: evaluation.loss, accuracy: evaluation.accuracy, source: source)
        var result = Feddata_V1_EvaluationResult()
        result.taskID = taskID
        result.round = UInt64(round)
        result.loss = evaluation.loss
        result.accuracy = evaluation.accuracy
        result.sampleCount = UInt64(evaluation.count)
        result.signature = Data(signature)
        return result
    }

    /// A reply from a `SubmitEvaluation` message, checked against the task it answers.
    /// - Parameters:
    ///   - wire: the message.
    ///   - nodeID: the node, from its certificate (never from the message).
    ///   - taskID: the task assigned to the node.
    ///   - round: the round of that task.
    ///   - source: the message, e.g. `evaluation result of task r3-eval-hospital-a from node hospital-a`.
    /// - Throws: `WireError.invalidField` when the task or round differs from the assignment,
    ///   the accuracy is outside 0…1, or the sample count does not fit an `Int`;
    ///   `.nonFinite` for a NaN or infinite loss or accuracy.
    public init(wire: Feddata_V1_EvaluationResult, nodeID: String, taskID: String, round: Int, source: String) throws {
        guard wire.taskID == taskID else {
            throw WireError(.invalidField, source: source, "task_id: expected \"\(taskID)\", got \"\(wire.taskID)\"")
        }
        guard wire.round == UInt64(clamping: round) else {
            throw WireError(.invalidField, source: source, "round: expected \(round), got \(wire.round)")
        }
        try Self.check(loss: wire.loss, accuracy: wire.accuracy, source: source)
        let count = try WireDecoding.int(wire.sampleCount, field: "sample_count", source: source)
        guard wire.signature.count <= 128 else {
            throw WireError(.oversized, source: source, "signature: \(wire.signature.count) bytes; an ECDSA P-256 DER signature has at most 72")
        }
        self.init(nodeID: nodeID, round: round, evaluation: Evaluation(loss: wire.loss, accuracy: wire.accuracy, count: count),
                  signature: Array(wire.signature))
    }

    /// Checks that loss and accuracy are finite and accuracy is a fraction.
    static func check(loss: Double, accuracy: Double, source: String) throws {
        guard loss.isFinite else {
            throw WireError(.nonFinite, source: source, "loss is \(loss); expected a finite number")
        }
        guard accuracy.isFinite else {
            throw WireError(.nonFinite, source: source, "accuracy is \(accuracy); expected a fraction in 0…1")
        }
        guard (0...1).contains(accuracy) else {
            throw WireError(.invalidField, source: source, "accuracy: expected a fraction in 0…1, got \(accuracy)")
        }
    }
}
