import FedTensor

/// The LEAF Shakespeare next-character model (Caldas et al. 2018, after McMahan et al. 2017):
/// an 8-dimensional character embedding, a 2-layer LSTM with 256 units unrolled over 80
/// characters, and a dense layer from the last hidden state to the 80-symbol alphabet.
///
/// Inputs are batches `[B, 80]` of character indices stored as `Float` (exact for integers
/// below 2²⁴); the output is the logits of the next character.
public struct CharLSTM: Model {
    public let name = "char-lstm"
    /// The alphabet size (LEAF: 80 symbols).
    public let vocabularySize: Int
    /// The embedding width (LEAF: 8).
    public let embeddingSize: Int
    /// The LSTM width (LEAF: 256).
    public let hiddenSize: Int
    /// The number of stacked LSTM layers (LEAF: 2).
    public let layerCount: Int
    /// The number of characters read per sample (LEAF: 80).
    public let sequenceLength: Int

    /// Creates the model; the defaults are LEAF's.
    public init(vocabularySize: Int = 80, embeddingSize: Int = 8, hiddenSize: Int = 256, layerCount: Int = 2, sequenceLength: Int = 80) {
        self.vocabularySize = vocabularySize
        self.embeddingSize = embeddingSize
        self.hiddenSize = hiddenSize
        self.layerCount = layerCount
        self.sequenceLength = sequenceLength
    }

    public var inputShape: [Int] { [sequenceLength] }
    public var classCount: Int { vocabularySize }

    public var parameterSpecs: [ParameterSpec] {
        var specs = [ParameterSpec(name: "embedding.weight", shape: [vocabularySize, embeddingSize])]
        for l in 0..<layerCount {
            let inputWidth = l == 0 ? embeddingSize : hiddenSize
            specs.append(ParameterSpec(name: "lstm\(l + 1).weight_input", shape: [inputWidth, 4 * hiddenSize]))
            specs.append(ParameterSpec(name: "lstm\(l + 1).weight_hidden", shape: [hiddenSize, 4 * hiddenSize]))
            specs.append(ParameterSpec(name: "lstm\(l + 1).bias", shape: [4 * hiddenSize]))
        }
        specs.append(ParameterSpec(name: "output.weight", shape: [hiddenSize, vocabularySize]))
        specs.append(ParameterSpec(name: "output.bias", shape: [vocabularySize]))
        return specs
    }

    /// PyTorch's defaults: embedding N(0, 1); LSTM and dense layers U(±1/√fan-in) with the
    /// LSTM's forget-gate bias set to 1 (a common aid to early training).
    public func initialParameters(rng: inout SeededRandom) -> ModelParameters {
        let specs = parameterSpecs
        var tensors: [Tensor] = []
        for s in specs {
            if s.name == "embedding.weight" {
                tensors.append(Tensor(shape: s.shape, scalars: (0..<s.count).map { _ in rng.nextNormal() }))
            } else if s.name.hasPrefix("lstm") && s.name.hasSuffix(".bias") {
                var b = Tensor(zeros: s.shape)
                for j in hiddenSize..<(2 * hiddenSize) { b.scalars[j] = 1 }  // forget gate (order i, f, g, o)
                tensors.append(b)
            } else if s.name.hasPrefix("lstm") {
                let bound = 1 / Float(hiddenSize).squareRoot()
                tensors.append(Initializer.uniform(shape: s.shape, bound: bound, rng: &rng))
            } else if s.name == "output.weight" {
                tensors.append(Initializer.uniform(shape: s.shape, bound: 1 / Float(hiddenSize).squareRoot(), rng: &rng))
            } else {
                tensors.append(Tensor(zeros: s.shape))
            }
        }
        return ModelParameters(names: specs.map(\.name), tensors: tensors)
    }

    /// Checks the shape and that every index is an integer in `0..<vocabularySize`.
    public func validateInput(_ input: Tensor, source: String) throws {
        guard input.rank == 2, input.shape[1] == sequenceLength else {
            throw ModelError(.incompatibleInput, source: source, "model '\(name)' expects batches of shape [B, \(sequenceLength)], got \(input.shape)")
        }
        if let bad = input.scalars.firstIndex(where: { !($0 >= 0 && $0 < Float(vocabularySize) && $0.rounded() == $0) }) {
            throw ModelError(.incompatibleInput, source: source, "element \(bad) is \(input.scalars[bad]); expected a character index in 0..<\(vocabularySize)")
        }
    }

    public func logits(_ input: Variable, parameters p: [Variable], tape: Tape) -> Variable {
        let x = tape.value(input)                  // [B, T] character indices
        let batch = x.shape[0], steps = x.shape[1]
        var states: [LSTMState] = (0..<layerCount).map { _ in
            LSTMState(hidden: tape.constant(Tensor(zeros: [batch, hiddenSize])),
                      cell: tape.constant(Tensor(zeros: [batch, hiddenSize])))
        }
        var column = [Int32](repeating: 0, count: batch)
        for t in 0..<steps {
            for b in 0..<batch { column[b] = Int32(x.scalars[b * steps + t]) }
            var h = tape.embedding(p[0], indices: column, shape: [batch])      // [B, E]
            for l in 0..<layerCount {
                states[l] = tape.lstmCell(input: h, state: states[l],
                                          weightInput: p[1 + 3 * l], weightHidden: p[2 + 3 * l], bias: p[3 + 3 * l])
                h = states[l].hidden                                            // [B, H]
            }
        }
        let out = 1 + 3 * layerCount
        return tape.linear(states[layerCount - 1].hidden, weight: p[out], bias: p[out + 1])  // [B, V]
    }
}
