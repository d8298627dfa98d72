/// Weight initializers: reproducible draws from a `SeededRandom`.
///
/// The uniform initializers draw each element as `bound · (2u - 1)` with u uniform in [0, 1),
/// so elements lie in [-bound, bound). Fan-in and fan-out are the caller's to give: for a dense
/// weight [In, Out] they are In and Out; for a convolution filter [KH, KW, C, OC] they are
/// KH·KW·C and KH·KW·OC (see `fans(of:)`).
public enum Initializer {
    /// Glorot (Xavier) uniform: U(±√(6 / (fanIn + fanOut))), Glorot and Bengio 2010.
    /// Keeps activation variance roughly constant through tanh and linear layers.
    /// - Parameters:
    ///   - shape: the shape of the tensor to draw.
    ///   - fanIn: the number of inputs feeding each output unit.
    ///   - fanOut: the number of outputs each input unit feeds.
    ///   - rng: the generator, advanced by one draw per element.
    public static func glorotUniform(shape: [Int], fanIn: Int, fanOut: Int, rng: inout SeededRandom) -> Tensor {
        precondition(fanIn + fanOut > 0, "Initializer.glorotUniform: fanIn \(fanIn) + fanOut \(fanOut) must be positive")
        return uniform(shape: shape, bound: (6 / Float(fanIn + fanOut)).squareRoot(), rng: &rng)
    }

    /// He (Kaiming) uniform: U(±√(6 / fanIn)), He et al. 2015; for layers followed by ReLU.
    /// - Parameters:
    ///   - shape: the shape of the tensor to draw.
    ///   - fanIn: the number of inputs feeding each output unit.
    ///   - rng: the generator, advanced by one draw per element.
    public static func heUniform(shape: [Int], fanIn: Int, rng: inout SeededRandom) -> Tensor {
        precondition(fanIn > 0, "Initializer.heUniform: fanIn \(fanIn) must be positive")
        return uniform(shape: shape, bound: (6 / Float(fanIn)).squareRoot(), rng: &rng)
    }

    /// Uniform in [-bound, bound). With bound = 1/√fanIn this is PyTorch's default for
    /// `nn.Linear` and `nn.LSTM` weights and biases.
    /// - Parameters:
    ///   - shape: the shape of the tensor to draw.
    ///   - bound: the half-width of the interval (non-negative).
    ///   - rng: the generator, advanced by one draw per element.
    public static func uniform(shape: [Int], bound: Float, rng: inout SeededRandom) -> Tensor {
        precondition(bound >= 0, "Initializer.uniform: bound \(bound) must be non-negative")
        let n = Tensor.elementCount(shape)
        var scalars = [Float](repeating: 0, count: n)
        for i in 0..<n { scalars[i] = bound * (2 * rng.nextFloat() - 1) }
        return Tensor(shape: shape, scalars: scalars)
    }

    /// A tensor of zeros (biases); draws nothing.
    public static func zeros(shape: [Int]) -> Tensor {
        Tensor(zeros: shape)
    }

    /// The conventional fan-in and fan-out of a weight: [In, Out] for dense layers,
    /// [KH, KW, C, OC] for convolutions (receptive field × channels), and the product of the
    /// leading axes against the last for other ranks.
    public static func fans(of shape: [Int]) -> (fanIn: Int, fanOut: Int) {
        switch shape.count {
        case 0: return (1, 1)
        case 1: return (shape[0], shape[0])
        case 2: return (shape[0], shape[1])
        default:
            let receptive = shape.dropLast(2).reduce(1, *)
            return (receptive * shape[shape.count - 2], receptive * shape[shape.count - 1])
        }
    }
}
