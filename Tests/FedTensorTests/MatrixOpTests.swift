import Testing
@testable import FedTensor

@Suite("matmul and linear")
struct MatrixOpTests {
    /// op(A) · op(B) with plain loops, in Double.
    static func reference(_ a: Tensor, _ b: Tensor, transposeA: Bool, transposeB: Bool) -> Tensor {
        let (m, k) = transposeA ? (a.shape[1], a.shape[0]) : (a.shape[0], a.shape[1])
        let n = transposeB ? b.shape[0] : b.shape[1]
        var out = [Float](repeating: 0, count: m * n)
        for i in 0..<m {
            for j in 0..<n {
                var acc = 0.0
                for p in 0..<k {
                    let av = transposeA ? a.scalars[p * m + i] : a.scalars[i * k + p]
                    let bv = transposeB ? b.scalars[j * k + p] : b.scalars[p * n + j]
                    acc += Double(av) * Double(bv)
                }
                out[i * n + j] = Float(acc)
            }
        }
        return Tensor(shape: [m, n], scalars: out)
    }

    @Test("matmul by hand")
    func byHand() {
        let tape = Tape()
        let a = tape.constant(Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        let b = tape.constant(Tensor(shape: [2, 3], scalars: [1, 0, -1, 2, 1, 0]))
        #expect(tape.value(tape.matmul(a, b)) == Tensor(shape: [2, 3], scalars: [5, 2, -1, 11, 4, -3]))
        // Aᵀ · A = [[10, 14], [14, 20]]
        #expect(tape.value(tape.matmul(a, a, transposeA: true)) == Tensor(shape: [2, 2], scalars: [10, 14, 14, 20]))
    }

    @Test("matmul forward and gradient for each transposition", arguments: [false, true], [false, true])
    func matmul(transposeA: Bool, transposeB: Bool) {
        var data = TestData(seed: 20)
        let (m, k, n) = (3, 4, 2)
        let a = data.uniform(transposeA ? [k, m] : [m, k])
        let b = data.uniform(transposeB ? [n, k] : [k, n])
        let tape = Tape()
        let y = tape.value(tape.matmul(tape.constant(a), tape.constant(b), transposeA: transposeA, transposeB: transposeB))
        #expect(isClose(y, Self.reference(a, b, transposeA: transposeA, transposeB: transposeB)))
        GradientCheck.check([a, b]) { t, v in t.matmul(v[0], v[1], transposeA: transposeA, transposeB: transposeB) }
    }

    @Test("linear equals matmul plus a broadcast bias")
    func linearForward() {
        var data = TestData(seed: 21)
        let (x, w, b) = (data.uniform([3, 4]), data.uniform([4, 5]), data.uniform([5]))
        let tape = Tape()
        let (vx, vw, vb) = (tape.constant(x), tape.constant(w), tape.constant(b))
        #expect(isClose(tape.value(tape.linear(vx, weight: vw, bias: vb)), tape.value(tape.add(tape.matmul(vx, vw), vb))))
        #expect(isClose(tape.value(tape.linear(vx, weight: vw, bias: nil)), tape.value(tape.matmul(vx, vw))))
    }

    @Test("linear gradient, with and without bias", arguments: [true, false])
    func linearGradient(withBias: Bool) {
        var data = TestData(seed: 22)
        var inputs = [data.uniform([3, 4]), data.uniform([4, 5])]
        if withBias { inputs.append(data.uniform([5])) }
        GradientCheck.check(inputs) { t, v in t.linear(v[0], weight: v[1], bias: withBias ? v[2] : nil) }
    }

    @Test("linear skips the input gradient for a constant input but still trains the weights")
    func linearConstantInput() {
        var data = TestData(seed: 23)
        let (x, w, b) = (data.uniform([3, 4]), data.uniform([4, 5]), data.uniform([5]))
        func weightGradient(inputIsParameter: Bool) -> (Tensor?, Tensor?) {
            let tape = Tape()
            let vx = inputIsParameter ? tape.parameter(x) : tape.constant(x)
            let (vw, vb) = (tape.parameter(w), tape.parameter(b))
            tape.backward(from: tape.sum(tape.square(tape.linear(vx, weight: vw, bias: vb))))
            if !inputIsParameter { #expect(tape.gradient(of: vx) == nil) }
            return (tape.gradient(of: vw), tape.gradient(of: vb))
        }
        let (a, b2) = (weightGradient(inputIsParameter: true), weightGradient(inputIsParameter: false))
        #expect(a.0 == b2.0 && a.1 == b2.1)
    }
}
