import FedTensor

/// Trains a model's parameters with an optimizer, one batch at a time.
///
/// A step records the forward pass on a fresh `Tape`, back-propagates the loss and hands the
/// gradients to the optimizer. The tape is released before the update so that the parameter
/// storage is uniquely referenced and updated in place.
public struct ModelTrainer<M: Model, O: Optimizer>: Sendable {
    /// The architecture.
    public let model: M
    /// The optimizer and its state (momentum, Adam moments).
    public var optimizer: O
    /// The current parameters.
    public var parameters: ModelParameters

    /// Creates a trainer from a model, its starting parameters and an optimizer.
    public init(model: M, parameters: ModelParameters, optimizer: O) {
        self.model = model
        self.parameters = parameters
        self.optimizer = optimizer
    }

    /// Runs one optimisation step on `batch` and returns the batch's loss before the step.
    @discardableResult
    public mutating func step(_ batch: Batch) -> Float {
        let (loss, gradients) = ModelTrainer.lossAndGradients(model: model, parameters: parameters, batch: batch)
        optimizer.update(&parameters.tensors, gradients: gradients)
        return loss
    }

    /// The loss on `batch` and its gradient with respect to every parameter (model order).
    public static func lossAndGradients(model: M, parameters: ModelParameters, batch: Batch) -> (loss: Float, gradients: [Tensor]) {
        let tape = Tape()
        let vars = parameters.tensors.map { tape.parameter($0) }
        let input = tape.constant(batch.inputs)
        let logits = model.logits(input, parameters: vars, tape: tape)
        let loss = model.loss(logits: logits, labels: batch.labels, tape: tape)
        tape.backward(from: loss)
        let gradients = zip(vars, parameters.tensors).map { v, p in tape.gradient(of: v) ?? Tensor(zeros: p.shape) }
        return (tape.value(loss).scalar, gradients)
    }
}

/// The loss and accuracy of a model on some data.
public struct Evaluation: Sendable, Equatable {
    /// The mean loss per sample.
    public var loss: Double
    /// The fraction of samples whose highest logit is the label.
    public var accuracy: Double
    /// The number of samples evaluated.
    public var count: Int

    /// Creates an evaluation result.
    public init(loss: Double, accuracy: Double, count: Int) {
        self.loss = loss
        self.accuracy = accuracy
        self.count = count
    }
}

extension Model {
    /// Logits for a batch, without recording gradients.
    public func predict(_ inputs: Tensor, parameters: ModelParameters) -> Tensor {
        let tape = Tape()
        let vars = parameters.tensors.map { tape.constant($0) }
        return tape.value(logits(tape.constant(inputs), parameters: vars, tape: tape))
    }

    /// Evaluates parameters on a sequence of batches: mean loss and accuracy.
    public func evaluate<S: Sequence>(_ parameters: ModelParameters, on batches: S) -> Evaluation where S.Element == Batch {
        var lossSum = 0.0, correct = 0, count = 0
        for batch in batches {
            let tape = Tape()
            let vars = parameters.tensors.map { tape.constant($0) }
            let logits = self.logits(tape.constant(batch.inputs), parameters: vars, tape: tape)
            let loss = self.loss(logits: logits, labels: batch.labels, tape: tape)
            lossSum += Double(tape.value(loss).scalar) * Double(batch.count)
            let predicted = tape.value(logits).argmaxRows()
            for (p, l) in zip(predicted, batch.labels) where p == l { correct += 1 }
            count += batch.count
        }
        return Evaluation(loss: count > 0 ? lossSum / Double(count) : 0,
                          accuracy: count > 0 ? Double(correct) / Double(count) : 0, count: count)
    }
}
