/// Updates parameters from their gradients; any per-parameter state (momentum, moments) lives
/// in the optimizer value, so copying an optimizer copies its state.
public protocol Optimizer: Sendable {
    /// Applies one step to `parameters` in place.
    ///
    /// - Parameters:
    ///   - parameters: the tensors to update, in a fixed order from step to step.
    ///   - gradients: one gradient per parameter, in the same order and of the same shapes.
    ///
    /// State is created lazily on the first step, keyed by position, and reset for a position
    /// whose shape changes.
    mutating func update(_ parameters: inout [Tensor], gradients: [Tensor])

    /// The step size; schedules change it between steps.
    var learningRate: Float { get set }
}

/// Traps, naming the optimizer and the first mismatch, unless parameters and gradients pair up.
func checkOptimizerInput(_ parameters: [Tensor], _ gradients: [Tensor], optimizer name: String) {
    precondition(parameters.count == gradients.count,
                 "\(name).update: \(parameters.count) parameters but \(gradients.count) gradients")
    for i in 0..<parameters.count {
        precondition(parameters[i].shape == gradients[i].shape,
                     "\(name).update: parameter \(i) has shape \(parameters[i].shape) but its gradient has \(gradients[i].shape)")
    }
}

/// Grows `state` to `count` positions and zeroes position `index` when its shape is not `shape`;
/// returns whether the position was (re)created.
@discardableResult
func prepareOptimizerState(_ state: inout [Tensor], count: Int, index: Int, shape: [Int]) -> Bool {
    while state.count < count { state.append(Tensor(zeros: [0])) }
    guard state[index].shape != shape else { return false }
    state[index] = Tensor(zeros: shape)
    return true
}
