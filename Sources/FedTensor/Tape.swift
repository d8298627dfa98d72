/// A handle to a value recorded on a `Tape`.
public struct Variable: Hashable, Sendable {
    /// The position of the value on its tape.
    public let index: Int
}

/// Reverse-mode automatic differentiation, as a tape (Wengert list).
///
/// Every op appends its result and, when one of its inputs needs a gradient, a backward
/// function that maps the output's gradient to its inputs' gradients (`accumulateGradient`).
/// Values are appended in evaluation order, so walking the tape backwards is a valid reverse
/// topological order. A tape is used by one task for one step (forward, backward, read the
/// gradients) and then dropped: it is deliberately not `Sendable`.
///
/// Each op lives in its own file under `Ops/` with its forward and backward side by side.
public final class Tape {
    /// The gradient function of one op: receives the output's gradient.
    public typealias Backward = (_ outputGradient: Tensor, _ tape: Tape) -> Void

    private var values: [Tensor] = []
    private var gradients: [Tensor?] = []
    private var requiresGrad: [Bool] = []
    private var backwards: [Backward?] = []

    /// Creates an empty tape.
    public init() {
        values.reserveCapacity(64)
        gradients.reserveCapacity(64)
        requiresGrad.reserveCapacity(64)
        backwards.reserveCapacity(64)
    }

    /// The number of recorded values.
    public var count: Int { values.count }

    /// Records a trainable value: its gradient is computed by `backward(from:)`.
    public func parameter(_ value: Tensor) -> Variable {
        append(value, requiresGrad: true, backward: nil)
    }

    /// Records a value that needs no gradient (inputs, labels, frozen weights).
    public func constant(_ value: Tensor) -> Variable {
        append(value, requiresGrad: false, backward: nil)
    }

    /// The value of a recorded variable.
    public func value(_ v: Variable) -> Tensor { values[v.index] }

    /// The shape of a recorded variable.
    public func shape(_ v: Variable) -> [Int] { values[v.index].shape }

    /// Whether a gradient flows to `v` (it is a parameter or depends on one).
    public func requiresGradient(_ v: Variable) -> Bool { requiresGrad[v.index] }

    /// Records the result of an op.
    ///
    /// - Parameters:
    ///   - value: the op's output.
    ///   - inputs: the variables the output depends on.
    ///   - backward: called during `backward(from:)` with the output's gradient; it must call
    ///     `accumulateGradient(_:into:)` for each input (inputs that need no gradient are ignored
    ///     there, so an op may skip the work by checking `requiresGradient`).
    /// - Returns: the new variable. If no input needs a gradient, `backward` is not kept.
    public func record(_ value: Tensor, inputs: [Variable], backward: @escaping Backward) -> Variable {
        let needs = inputs.contains { requiresGrad[$0.index] }
        return append(value, requiresGrad: needs, backward: needs ? backward : nil)
    }

    private func append(_ value: Tensor, requiresGrad needs: Bool, backward: Backward?) -> Variable {
        values.append(value)
        gradients.append(nil)
        requiresGrad.append(needs)
        backwards.append(backward)
        return Variable(index: values.count - 1)
    }

    /// Adds `gradient` to the gradient of `v` (ignored if `v` needs no gradient).
    /// - Precondition: `gradient` has the shape of `v`'s value.
    public func accumulateGradient(_ gradient: Tensor, into v: Variable) {
        guard requiresGrad[v.index] else { return }
        precondition(
            gradient.shape == values[v.index].shape,
            "Tape: gradient of shape \(gradient.shape) for a value of shape \(values[v.index].shape)"
        )
        if var existing = gradients[v.index] {
            gradients[v.index] = nil  // keep the storage uniquely referenced
            existing.scalars.withUnsafeMutableBufferPointer { dst in
                gradient.scalars.withUnsafeBufferPointer { src in
                    for i in 0..<dst.count { dst[i] += src[i] }
                }
            }
            gradients[v.index] = existing
        } else {
            gradients[v.index] = gradient
        }
    }

    /// Back-propagates from a scalar (one-element) value, seeding its gradient with 1.
    public func backward(from loss: Variable) {
        precondition(values[loss.index].count == 1, "Tape.backward: loss of shape \(values[loss.index].shape) is not a scalar")
        backward(from: loss, seed: Tensor(repeating: 1, shape: values[loss.index].shape))
    }

    /// Back-propagates from any value, seeding its gradient with `seed`.
    public func backward(from output: Variable, seed: Tensor) {
        accumulateGradient(seed, into: output)
        var i = output.index
        while i >= 0 {
            if let fn = backwards[i], let g = gradients[i] {
                fn(g, self)
                // Intermediate gradients are not needed again: free them early.
                if backwards[i] != nil { gradients[i] = nil }
            }
            i -= 1
        }
    }

    /// The gradient of a value after `backward(from:)`: intermediate values' gradients are freed
    /// once propagated, so read the gradients of parameters (and leaves), not of op results.
    public func gradient(of v: Variable) -> Tensor? { gradients[v.index] }
}
