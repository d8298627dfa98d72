import Testing
@testable import FedTensor
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

@Suite("embedding")
struct EmbeddingTests {
    @Test("looks up rows and scatter-adds repeated indices")
    func byHand() {
        let tape = Tape()
        let table = tape.parameter(Tensor(shape: [3, 2], scalars: [0, 1, 10, 11, 20, 21]))
        let y = tape.embedding(table, indices: [2, 0, 2, 2], shape: [2, 2])
        #expect(tape.value(y) == Tensor(shape: [2, 2, 2], scalars: [20, 21, 0, 1, 20, 21, 20, 21]))
        tape.backward(from: tape.sum(y))
        #expect(tape.gradient(of: table) == Tensor(shape: [3, 2], scalars: [1, 1, 0, 0, 3, 3]))
    }

    @Test("embedding gradient with repeated indices")
    func gradient() {
        var data = TestData(seed: 40)
        GradientCheck.check([data.uniform([5, 3])]) { t, v in t.embedding(v[0], indices: [1, 3, 1, 4, 1, 0], shape: [2, 3]) }
    }
}

@Suite("lstmCell")
struct LSTMCellTests {
    /// The slow twin: one LSTM step from the textbook equations, in Double.
    static func referenceStep(x: Tensor, h: [Double], c: [Double], wi: Tensor, wh: Tensor, b: Tensor) -> (h: [Double], c: [Double]) {
        let (batch, inWidth) = (x.shape[0], x.shape[1])
        let units = h.count / batch
        func sigmoid(_ v: Double) -> Double { 1 / (1 + exp(-v)) }
        var (h2, c2) = ([Double](repeating: 0, count: h.count), [Double](repeating: 0, count: c.count))
        for r in 0..<batch {
            var z = (0..<(4 * units)).map { Double(b.scalars[$0]) }
            for j in 0..<(4 * units) {
                for p in 0..<inWidth { z[j] += Double(x.scalars[r * inWidth + p]) * Double(wi.scalars[p * 4 * units + j]) }
                for p in 0..<units { z[j] += h[r * units + p] * Double(wh.scalars[p * 4 * units + j]) }
            }
            for j in 0..<units {
                let (i, f, g, o) = (sigmoid(z[j]), sigmoid(z[units + j]), tanh(z[2 * units + j]), sigmoid(z[3 * units + j]))
                c2[r * units + j] = f * c[r * units + j] + i * g
                h2[r * units + j] = o * tanh(c2[r * units + j])
            }
        }
        return (h2, c2)
    }

    @Test("three chained steps match the textbook equations")
    func matchesReference() {
        var data = TestData(seed: 41)
        let (batch, inWidth, units) = (2, 3, 4)
        let (wi, wh, b) = (data.uniform([inWidth, 4 * units]), data.uniform([units, 4 * units]), data.uniform([4 * units]))
        let xs = (0..<3).map { _ in data.uniform([batch, inWidth]) }
        let (h0, c0) = (data.uniform([batch, units]), data.uniform([batch, units]))

        let tape = Tape()
        var state = LSTMState(hidden: tape.constant(h0), cell: tape.constant(c0))
        var reference = (h: h0.scalars.map(Double.init), c: c0.scalars.map(Double.init))
        for x in xs {
            state = tape.lstmCell(input: tape.constant(x), state: state, weightInput: tape.constant(wi),
                                  weightHidden: tape.constant(wh), bias: tape.constant(b))
            reference = Self.referenceStep(x: x, h: reference.h, c: reference.c, wi: wi, wh: wh, b: b)
        }
        #expect(isClose(tape.value(state.hidden), Tensor(shape: [batch, units], scalars: reference.h.map(Float.init))))
        #expect(isClose(tape.value(state.cell), Tensor(shape: [batch, units], scalars: reference.c.map(Float.init))))
    }

    @Test("a step with zero weights and state by hand")
    func zeroWeights() {
        // Every gate pre-activation is the bias: i = f = o = σ(0) = 0.5, g = tanh(0) = 0, except
        // that the bias of the g gate is 1: g = tanh(1); c' = 0.5·0 + 0.5·tanh(1); h' = 0.5·tanh(c').
        let tape = Tape()
        var bias = Tensor(zeros: [4])
        bias.scalars[2] = 1
        let s = tape.lstmCell(input: tape.constant(Tensor(zeros: [1, 1])),
                              state: LSTMState(hidden: tape.constant(Tensor(zeros: [1, 1])), cell: tape.constant(Tensor(zeros: [1, 1]))),
                              weightInput: tape.constant(Tensor(zeros: [1, 4])), weightHidden: tape.constant(Tensor(zeros: [1, 4])),
                              bias: tape.constant(bias))
        let c = 0.5 * tanh(1.0)
        #expect(abs(Double(tape.value(s.cell).scalar) - c) < 1e-6)
        #expect(abs(Double(tape.value(s.hidden).scalar) - 0.5 * tanh(c)) < 1e-6)
    }

    @Test("lstmCell gradient over chained steps", arguments: [1, 2, 3])
    func gradient(steps: Int) {
        var data = TestData(seed: 42)
        let (batch, inWidth, units) = (2, 3, 4)
        // Inputs: Wi, Wh, b, h0, c0, then one x per step.
        var inputs = [data.uniform([inWidth, 4 * units]), data.uniform([units, 4 * units]), data.uniform([4 * units]),
                      data.uniform([batch, units]), data.uniform([batch, units])]
        for _ in 0..<steps { inputs.append(data.uniform([batch, inWidth])) }
        GradientCheck.check(inputs) { t, v in
            var state = LSTMState(hidden: v[3], cell: v[4])
            for s in 0..<steps {
                state = t.lstmCell(input: v[5 + s], state: state, weightInput: v[0], weightHidden: v[1], bias: v[2])
            }
            // Both outputs of the last step reach the loss.
            return t.add(state.hidden, t.scale(state.cell, by: 0.5))
        }
    }

    @Test("two stacked layers: the gradient flows through the lower layer's hidden state")
    func stackedGradient() {
        var data = TestData(seed: 43)
        let (batch, inWidth, units) = (2, 2, 3)
        let inputs = [data.uniform([inWidth, 4 * units]), data.uniform([units, 4 * units]), data.uniform([4 * units]),
                      data.uniform([units, 4 * units]), data.uniform([units, 4 * units]), data.uniform([4 * units]),
                      data.uniform([batch, inWidth]), data.uniform([batch, inWidth])]
        GradientCheck.check(inputs) { t, v in
            let zero = t.constant(Tensor(zeros: [batch, units]))
            var lower = LSTMState(hidden: zero, cell: zero)
            var upper = LSTMState(hidden: zero, cell: zero)
            for s in 0..<2 {
                lower = t.lstmCell(input: v[6 + s], state: lower, weightInput: v[0], weightHidden: v[1], bias: v[2])
                upper = t.lstmCell(input: lower.hidden, state: upper, weightInput: v[3], weightHidden: v[4], bias: v[5])
            }
            return upper.hidden
        }
    }

    @Test("three tape values per step")
    func tapeSize() {
        let tape = Tape()
        let zero = tape.constant(Tensor(zeros: [1, 2]))
        let (wi, wh, b) = (tape.parameter(Tensor(zeros: [2, 8])), tape.parameter(Tensor(zeros: [2, 8])), tape.parameter(Tensor(zeros: [8])))
        let before = tape.count
        _ = tape.lstmCell(input: zero, state: LSTMState(hidden: zero, cell: zero), weightInput: wi, weightHidden: wh, bias: b)
        #expect(tape.count - before == 3)
    }
}
