import FedTensor

/// The CNN of McMahan et al. 2017 ("Communication-Efficient Learning of Deep Networks from
/// Decentralized Data"): 5×5 conv 32 → ReLU → 2×2 max-pool → 5×5 conv 64 → ReLU → 2×2 max-pool →
/// FC 512 → ReLU → FC classes. Same padding; on 28×28×1 inputs it has 1,663,370 parameters.
/// Layout is NHWC; conv filters are `[KH, KW, C, OC]`, dense weights `[in, out]`.
public struct FedAvgCNN: Model {
    public let name = "cnn"
    public let inputShape: [Int]
    public let classCount: Int

    /// Creates the CNN for square single- or multi-channel images `[H, W, C]`.
    public init(inputShape: [Int] = [28, 28, 1], classCount: Int = 10) {
        precondition(inputShape.count == 3, "FedAvgCNN: input shape must be [H, W, C], got \(inputShape)")
        self.inputShape = inputShape
        self.classCount = classCount
    }

    var flatCount: Int {
        // Same-padded convolutions keep H×W; each 2×2 pool halves it (rounding down).
        (inputShape[0] / 4) * (inputShape[1] / 4) * 64
    }

    public var parameterSpecs: [ParameterSpec] {
        [ParameterSpec(name: "conv1.weight", shape: [5, 5, inputShape[2], 32]),
         ParameterSpec(name: "conv1.bias", shape: [32]),
         ParameterSpec(name: "conv2.weight", shape: [5, 5, 32, 64]),
         ParameterSpec(name: "conv2.bias", shape: [64]),
         ParameterSpec(name: "fc1.weight", shape: [flatCount, 512]),
         ParameterSpec(name: "fc1.bias", shape: [512]),
         ParameterSpec(name: "fc2.weight", shape: [512, classCount]),
         ParameterSpec(name: "fc2.bias", shape: [classCount])]
    }

    /// He-uniform weights for ReLU layers, Glorot for the output layer, zero biases.
    public func initialParameters(rng: inout SeededRandom) -> ModelParameters {
        let specs = parameterSpecs
        var tensors: [Tensor] = []
        for (i, s) in specs.enumerated() {
            switch s.shape.count {
            case 4:
                let fanIn = s.shape[0] * s.shape[1] * s.shape[2]
                tensors.append(Initializer.heUniform(shape: s.shape, fanIn: fanIn, rng: &rng))
            case 2 where i == specs.count - 2:
                tensors.append(Initializer.glorotUniform(shape: s.shape, fanIn: s.shape[0], fanOut: s.shape[1], rng: &rng))
            case 2:
                tensors.append(Initializer.heUniform(shape: s.shape, fanIn: s.shape[0], rng: &rng))
            default:
                tensors.append(Tensor(zeros: s.shape))
            }
        }
        return ModelParameters(names: specs.map(\.name), tensors: tensors)
    }

    public func logits(_ input: Variable, parameters p: [Variable], tape: Tape) -> Variable {
        let batch = tape.shape(input)[0]
        var h = tape.conv2d(input, filter: p[0], bias: p[1], padding: .same)  // [B, 28, 28, 32]
        h = tape.maxPool2d(tape.relu(h), size: 2, stride: 2)                  // [B, 14, 14, 32]
        h = tape.conv2d(h, filter: p[2], bias: p[3], padding: .same)          // [B, 14, 14, 64]
        h = tape.maxPool2d(tape.relu(h), size: 2, stride: 2)                  // [B, 7, 7, 64]
        h = tape.reshape(h, to: [batch, flatCount])                           // [B, 3136]
        h = tape.relu(tape.linear(h, weight: p[4], bias: p[5]))               // [B, 512]
        return tape.linear(h, weight: p[6], bias: p[7])                       // [B, C]
    }
}
