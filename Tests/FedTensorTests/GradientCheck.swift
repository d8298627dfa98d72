import Testing
@testable import FedTensor

/// The slow twin of reverse-mode autodiff: central finite differences.
///
/// For an op `f(inputs) -> y` of any shape, both sides differentiate the scalar
/// `L = Σ w ⊙ y` with fixed random weights `w` (so an error that cancels in a plain sum, such as
/// a wrong softmax gradient, still shows). The tape seeds its backward pass with `w`; the
/// numerical side evaluates `L` in `Double` at `x ± ε` for every input element.
enum GradientCheck {
    /// The largest disagreement found, for the expectation message.
    struct Mismatch: CustomStringConvertible {
        var input: Int
        var element: Int
        var analytic: Double
        var numeric: Double
        var description: String { "input \(input)[\(element)]: tape \(analytic) vs finite difference \(numeric)" }
    }

    /// Expects the tape's gradients of every input to match central differences within
    /// `absolute + relative · max(|tape|, |numeric|)`.
    static func check(
        _ inputs: [Tensor],
        epsilon: Float = 1e-2, relative: Double = 1e-2, absolute: Double = 2e-3,
        seed: UInt64 = 7,
        sourceLocation: SourceLocation = #_sourceLocation,
        _ f: (Tape, [Variable]) -> Variable
    ) {
        // Tape gradients, seeded with random weights w of the output's shape.
        let tape = Tape()
        let variables = inputs.map { tape.parameter($0) }
        let output = f(tape, variables)
        var rng = SeededRandom(seed: seed)
        let outputShape = tape.shape(output)
        let weights = Tensor(shape: outputShape, scalars: (0..<Tensor.elementCount(outputShape)).map { _ in rng.nextNormal() })
        tape.backward(from: output, seed: weights)
        let analytic = zip(variables, inputs).map { v, x in tape.gradient(of: v) ?? Tensor(zeros: x.shape) }

        func loss(_ xs: [Tensor]) -> Double {
            let t = Tape()
            let y = t.value(f(t, xs.map { t.constant($0) }))
            var total = 0.0
            for k in 0..<y.count { total += Double(y.scalars[k]) * Double(weights.scalars[k]) }
            return total
        }

        var worst: (excess: Double, mismatch: Mismatch)?
        var perturbed = inputs
        for i in 0..<inputs.count {
            #expect(analytic[i].shape == inputs[i].shape, "gradient shape of input \(i)", sourceLocation: sourceLocation)
            for j in 0..<inputs[i].count {
                let x = inputs[i].scalars[j]
                perturbed[i].scalars[j] = x + epsilon
                let plus = loss(perturbed)
                perturbed[i].scalars[j] = x - epsilon
                let minus = loss(perturbed)
                perturbed[i].scalars[j] = x
                // The step actually taken in Float, not the nominal ε.
                let step = Double(x + epsilon) - Double(x - epsilon)
                let numeric = (plus - minus) / step
                let a = Double(analytic[i].scalars[j])
                let excess = abs(a - numeric) - (absolute + relative * max(abs(a), abs(numeric)))
                if excess > 0, excess > (worst?.excess ?? 0) {
                    worst = (excess, Mismatch(input: i, element: j, analytic: a, numeric: numeric))
                }
            }
        }
        #expect(worst == nil, "gradient mismatch: \(worst.map { "\($0.mismatch)" } ?? "")", sourceLocation: sourceLocation)
    }
}

/// Small reproducible test inputs.
struct TestData {
    var rng: SeededRandom

    init(seed: UInt64) { rng = SeededRandom(seed: seed) }

    /// Uniform in [low, high).
    mutating func uniform(_ shape: [Int], _ low: Float = -1, _ high: Float = 1) -> Tensor {
        Tensor(shape: shape, scalars: (0..<Tensor.elementCount(shape)).map { _ in low + (high - low) * rng.nextFloat() })
    }

    /// Magnitudes in [low, high) with random signs: safe for relu, division and |x|.
    mutating func awayFromZero(_ shape: [Int], _ low: Float = 0.2, _ high: Float = 1) -> Tensor {
        Tensor(shape: shape, scalars: (0..<Tensor.elementCount(shape)).map { _ in
            let m = low + (high - low) * rng.nextFloat()
            return rng.nextFloat() < 0.5 ? -m : m
        })
    }

    /// Distinct values spaced `spacing` apart in random order: ties and near-ties (kinks of
    /// max and max-pooling) stay farther apart than the finite-difference step, and no value is
    /// within spacing / 2 of zero (the kink of relu).
    mutating func distinct(_ shape: [Int], spacing: Float = 0.05) -> Tensor {
        let n = Tensor.elementCount(shape)
        let order = rng.permutation(n)
        return Tensor(shape: shape, scalars: order.map { (Float($0) - Float(n) / 2 + 0.5) * spacing })
    }
}

/// Whether two tensors have the same shape and agree within `tolerance` elementwise.
func isClose(_ a: Tensor, _ b: Tensor, tolerance: Float = 1e-5) -> Bool {
    a.shape == b.shape && a.maxAbsDifference(b) <= tolerance
}
