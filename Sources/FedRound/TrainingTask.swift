/// What the engine sends a selected node: the global model of a version and how to train it.
///
/// The global parameters travel as one flat `[Float]` in `ModelParameters.flattened()` order,
/// not as named tensors. Both ends already know the model's names and shapes (agreed when the
/// node joins), so repeating them every round would only add bytes; the flat vector is what
/// fusion, deltas, clipping and masking work on; and a transport can cut it into chunks at any
/// offset (the gRPC channel streams it) without per-tensor framing. The node rebuilds named
/// tensors with `ModelParameters(flat:specs:)`, which checks the length.
public struct TrainingTask: Sendable, Equatable {
    /// The round this task belongs to (from 1). In buffered mode, the global version.
    public var round: Int
    /// The version of the global parameters (how many fusions produced them).
    public var version: Int
    /// The global parameters, flat, in model order.
    public var parameters: [Float]
    /// The local training hyperparameters and the strategy's instructions.
    public var configuration: LocalTrainingConfiguration

    /// Creates a task.
    public init(round: Int, version: Int, parameters: [Float], configuration: LocalTrainingConfiguration) {
        self.round = round
        self.version = version
        self.parameters = parameters
        self.configuration = configuration
    }
}
