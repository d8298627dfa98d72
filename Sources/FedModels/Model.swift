import FedTensor

/// A model architecture: how parameters and an input batch become logits, and the loss.
///
/// A model value holds no weights: parameters are a separate `ModelParameters` value, so the
/// same architecture can be trained by many federated nodes at once, and parameters can be
/// moved, fused and stored without the model. Conforming types are small `Sendable` structs.
public protocol Model: Sendable {
    /// A short identifier such as `2nn` or `cnn`.
    var name: String { get }
    /// The shape of one input sample, e.g. `[28, 28, 1]` (NHWC images) or `[80]` (token indices).
    var inputShape: [Int] { get }
    /// The number of output classes (logits per sample).
    var classCount: Int { get }
    /// The names and shapes of the trainable tensors, in order.
    var parameterSpecs: [ParameterSpec] { get }
    /// Freshly initialised parameters, drawn from `rng`.
    func initialParameters(rng: inout SeededRandom) -> ModelParameters
    /// Computes logits `[B, classCount]` for an input batch `[B] + inputShape`.
    ///
    /// - Parameters:
    ///   - input: the batch, recorded on `tape` (as a constant).
    ///   - parameters: the parameter variables, in `parameterSpecs` order.
    ///   - tape: the tape recording the computation.
    func logits(_ input: Variable, parameters: [Variable], tape: Tape) -> Variable
    /// Checks that `input` is a batch this model accepts (shape, and value ranges for index inputs).
    /// - Throws: `ModelError.incompatibleInput` naming `source` and what was expected.
    func validateInput(_ input: Tensor, source: String) throws
}

extension Model {
    /// The total number of trainable scalars.
    public var parameterCount: Int { parameterSpecs.reduce(0) { $0 + $1.count } }

    /// The training loss: mean softmax cross-entropy of the logits against `labels`.
    public func loss(logits: Variable, labels: [Int32], tape: Tape) -> Variable {
        tape.softmaxCrossEntropy(logits: logits, labels: labels)
    }

    /// Checks the batch's shape against `inputShape`.
    /// - Throws: `ModelError.incompatibleInput` naming the expected per-sample shape.
    public func validateInput(_ input: Tensor, source: String) throws {
        guard input.rank == inputShape.count + 1, Array(input.shape.dropFirst()) == inputShape else {
            throw ModelError(.incompatibleInput, source: source, "model '\(name)' expects batches of shape [B] + \(inputShape), got \(input.shape)")
        }
    }
}
