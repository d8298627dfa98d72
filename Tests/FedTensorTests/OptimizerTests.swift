import Testing
import FedTensor

@Suite("Optimizers")
struct OptimizerTests {
    let start = Tensor(shape: [2], scalars: [1, -2])
    let gradient = Tensor(shape: [2], scalars: [0.5, 1])

    func expectClose(_ a: Tensor, _ b: [Float], sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.maxAbsDifference(Tensor(shape: a.shape, scalars: b)) < 1e-6, "\(a.scalars) vs \(b)", sourceLocation: sourceLocation)
    }

    @Test("plain SGD: p ← p - lr·g")
    func plainSGD() {
        var sgd = SGD(learningRate: 0.1)
        var p = [start]
        sgd.update(&p, gradients: [gradient])
        expectClose(p[0], [0.95, -2.1])
    }

    @Test("SGD with momentum, two steps by hand")
    func momentum() {
        // Step 1: v = g = [0.5, 1]; p = [1, -2] - 0.1·v = [0.95, -2.1].
        // Step 2: v = 0.9·[0.5, 1] + [0.5, 1] = [0.95, 1.9]; p = [0.95 - 0.095, -2.1 - 0.19].
        var sgd = SGD(learningRate: 0.1, momentum: 0.9)
        var p = [start]
        sgd.update(&p, gradients: [gradient])
        expectClose(p[0], [0.95, -2.1])
        sgd.update(&p, gradients: [gradient])
        expectClose(p[0], [0.855, -2.29])
    }

    @Test("SGD weight decay and Nesterov, one step by hand")
    func decayAndNesterov() {
        // g + 0.1·p = [0.6, 0.8]; p = [1 - 0.06, -2 - 0.08].
        var decayed = SGD(learningRate: 0.1, weightDecay: 0.1)
        var p = [start]
        decayed.update(&p, gradients: [gradient])
        expectClose(p[0], [0.94, -2.08])
        // Nesterov: v = g; p -= 0.1·(g + 0.9·v) = 0.19·g.
        var nesterov = SGD(learningRate: 0.1, momentum: 0.9, nesterov: true)
        var q = [start]
        nesterov.update(&q, gradients: [gradient])
        expectClose(q[0], [0.905, -2.19])
    }

    @Test("momentum state resets when a parameter's shape changes")
    func stateReset() {
        var sgd = SGD(learningRate: 0.1, momentum: 0.9)
        var p = [start]
        sgd.update(&p, gradients: [gradient])
        var q = [Tensor(shape: [1, 2], scalars: [1, -2])]
        sgd.update(&q, gradients: [Tensor(shape: [1, 2], scalars: [0.5, 1])])
        expectClose(q[0], [0.95, -2.1])  // a first step again
    }

    @Test("Adam's first step moves each coordinate by about lr against the gradient's sign")
    func adamFirstStep() {
        var adam = Adam(learningRate: 0.01)
        var p = [Tensor(shape: [4], scalars: [1, 1, 1, 1])]
        adam.update(&p, gradients: [Tensor(shape: [4], scalars: [0.5, -3, 1e-3, 0])])
        expectClose(p[0], [0.99, 1.01, 0.99, 1])
    }

    @Test("Adam matches the update equations over five steps")
    func adamReference() {
        var adam = Adam(learningRate: 0.05, beta1: 0.8, beta2: 0.9, epsilon: 1e-6, weightDecay: 0.01)
        var p = [start]
        var (ref, m, v) = (start.scalars.map(Double.init), [0.0, 0.0], [0.0, 0.0])
        for t in 1...5 {
            let g = [0.5 * Double(t), -1.0 + 0.3 * Double(t)]
            adam.update(&p, gradients: [Tensor(shape: [2], scalars: g.map(Float.init))])
            for j in 0..<2 {
                let gj = g[j] + 0.01 * ref[j]
                m[j] = 0.8 * m[j] + 0.2 * gj
                v[j] = 0.9 * v[j] + 0.1 * gj * gj
                let mHat = m[j] / (1 - pow(0.8, t))
                let vHat = v[j] / (1 - pow(0.9, t))
                ref[j] -= 0.05 * mHat / (vHat.squareRoot() + 1e-6)
            }
        }
        expectClose(p[0], ref.map(Float.init))
    }

    @Test("optimizers update several parameters independently")
    func severalParameters() {
        var sgd = SGD(learningRate: 1, momentum: 0.5)
        var ps = [Tensor(scalar: 0), Tensor(shape: [2], scalars: [0, 0])]
        sgd.update(&ps, gradients: [Tensor(scalar: 1), Tensor(shape: [2], scalars: [2, 3])])
        sgd.update(&ps, gradients: [Tensor(scalar: 1), Tensor(shape: [2], scalars: [0, 0])])
        // Scalar: v = 1 then 1.5, p = -1 - 1.5; vector: v = [2, 3] then [1, 1.5].
        expectClose(ps[0], [-2.5])
        expectClose(ps[1], [-3, -4.5])
    }
}

/// xⁿ for the reference, without Foundation.
private func pow(_ x: Double, _ n: Int) -> Double { (0..<n).reduce(1) { r, _ in r * x } }
