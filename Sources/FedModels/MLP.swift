import FedTensor

/// A multilayer perceptron with ReLU hidden layers. With hidden sizes `[200, 200]` on MNIST it
/// is the "2NN" of McMahan et al. 2017 (784-200-200-10, 199,210 parameters).
public struct MLP: Model {
    public let name: String
    public let inputShape: [Int]
    public let classCount: Int
    /// The widths of the hidden layers.
    public let hiddenSizes: [Int]

    /// Creates an MLP.
    /// - Parameters:
    ///   - name: the model's identifier (`2nn` for the FedAvg paper's model).
    ///   - inputShape: the per-sample input shape (flattened before the first layer).
    ///   - hiddenSizes: the widths of the hidden layers.
    ///   - classCount: the number of outputs.
    public init(name: String = "mlp", inputShape: [Int], hiddenSizes: [Int], classCount: Int) {
        self.name = name
        self.inputShape = inputShape
        self.hiddenSizes = hiddenSizes
        self.classCount = classCount
    }

    /// The FedAvg paper's 2NN for inputs of `inputShape` (784-200-200-10 on MNIST).
    public static func twoNN(inputShape: [Int] = [28, 28, 1], classCount: Int = 10) -> MLP {
        MLP(name: "2nn", inputShape: inputShape, hiddenSizes: [200, 200], classCount: classCount)
    }

    var widths: [Int] { [inputShape.reduce(1, *)] + hiddenSizes + [classCount] }

    public var parameterSpecs: [ParameterSpec] {
        let w = widths
        return (0..<(w.count - 1)).flatMap { l in
            [ParameterSpec(name: "fc\(l + 1).weight", shape: [w[l], w[l + 1]]),
             ParameterSpec(name: "fc\(l + 1).bias", shape: [w[l + 1]])]
        }
    }

    /// Glorot-uniform weights, zero biases.
    public func initialParameters(rng: inout SeededRandom) -> ModelParameters {
        let tensors = parameterSpecs.map { spec -> Tensor in
            spec.shape.count == 2
                ? Initializer.glorotUniform(shape: spec.shape, fanIn: spec.shape[0], fanOut: spec.shape[1], rng: &rng)
                : Tensor(zeros: spec.shape)
        }
        return ModelParameters(names: parameterSpecs.map(\.name), tensors: tensors)
    }

    public func logits(_ input: Variable, parameters p: [Variable], tape: Tape) -> Variable {
        let batch = tape.shape(input)[0]
        var h = tape.reshape(input, to: [batch, widths[0]])       // [B, in]
        let layers = widths.count - 1
        for l in 0..<layers {
            h = tape.linear(h, weight: p[2 * l], bias: p[2 * l + 1])  // [B, w[l+1]]
            if l < layers - 1 { h = tape.relu(h) }
        }
        return h                                                  // [B, C]
    }
}
