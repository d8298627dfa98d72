import FedTensor

/// Multinomial logistic regression: `logits = flatten(x) · W + b`.
public struct LogisticRegression: Model {
    public let name = "logreg"
    public let inputShape: [Int]
    public let classCount: Int

    /// Creates a logistic regression over inputs of `inputShape` (flattened) into `classCount` classes.
    public init(inputShape: [Int], classCount: Int) {
        precondition(classCount >= 2, "LogisticRegression: need at least 2 classes")
        self.inputShape = inputShape
        self.classCount = classCount
    }

    var inputCount: Int { inputShape.reduce(1, *) }

    public var parameterSpecs: [ParameterSpec] {
        [ParameterSpec(name: "linear.weight", shape: [inputCount, classCount]),
         ParameterSpec(name: "linear.bias", shape: [classCount])]
    }

    /// Zero weights: the loss is convex, and zero is the usual starting point.
    public func initialParameters(rng: inout SeededRandom) -> ModelParameters {
        ModelParameters(zerosLike: parameterSpecs)
    }

    public func logits(_ input: Variable, parameters p: [Variable], tape: Tape) -> Variable {
        let batch = tape.shape(input)[0]
        let x = tape.reshape(input, to: [batch, inputCount])  // [B, in]
        return tape.linear(x, weight: p[0], bias: p[1])        // [B, C]
    }
}
