import Testing
@testable import FedTensor

@Suite("Reductions and reshape")
struct ReductionOpTests {
    let x = Tensor(shape: [2, 3], scalars: [1, 5, 3, 4, 2, 6])

    @Test("sum, mean and max by hand")
    func byHand() {
        let tape = Tape()
        let v = tape.constant(x)
        #expect(tape.value(tape.sum(v)) == Tensor(scalar: 21))
        #expect(tape.value(tape.mean(v)) == Tensor(scalar: 3.5))
        #expect(tape.value(tape.sum(v, axis: 0)) == Tensor(shape: [3], scalars: [5, 7, 9]))
        #expect(tape.value(tape.sum(v, axis: 1, keepingDimension: true)) == Tensor(shape: [2, 1], scalars: [9, 12]))
        #expect(tape.value(tape.sum(v, axis: -1)) == Tensor(shape: [2], scalars: [9, 12]))
        #expect(tape.value(tape.mean(v, axis: 0)) == Tensor(shape: [3], scalars: [2.5, 3.5, 4.5]))
        #expect(tape.value(tape.mean(v, axis: 1, keepingDimension: true)) == Tensor(shape: [2, 1], scalars: [3, 4]))
        #expect(tape.value(tape.max(v, axis: 0)) == Tensor(shape: [3], scalars: [4, 5, 6]))
        #expect(tape.value(tape.max(v, axis: 1)) == Tensor(shape: [2], scalars: [5, 6]))
    }

    @Test("max sends the gradient to the argmax")
    func maxGradientByHand() {
        let tape = Tape()
        let v = tape.parameter(x)
        tape.backward(from: tape.sum(tape.max(v, axis: 1)))
        #expect(tape.gradient(of: v) == Tensor(shape: [2, 3], scalars: [0, 1, 0, 0, 0, 1]))
    }

    @Test("reshape infers -1 and keeps the elements")
    func reshapeByHand() {
        let tape = Tape()
        let v = tape.constant(x)
        #expect(tape.value(tape.reshape(v, to: [3, -1])) == Tensor(shape: [3, 2], scalars: x.scalars))
        #expect(tape.shape(tape.reshape(v, to: [-1])) == [6])
        #expect(tape.shape(tape.reshape(v, to: [1, 6, 1])) == [1, 6, 1])
    }

    @Test("sum and mean gradients")
    func sumMeanGradients() {
        var data = TestData(seed: 10)
        let input = data.uniform([2, 3, 4])
        GradientCheck.check([input]) { t, v in t.sum(v[0]) }
        GradientCheck.check([input]) { t, v in t.mean(v[0]) }
    }

    @Test("axis reductions' gradients", arguments: [0, 1, 2, -1], [false, true])
    func axisGradients(axis: Int, keep: Bool) {
        var data = TestData(seed: 11)
        let input = data.distinct([2, 3, 4])
        GradientCheck.check([input]) { t, v in t.sum(v[0], axis: axis, keepingDimension: keep) }
        GradientCheck.check([input]) { t, v in t.mean(v[0], axis: axis, keepingDimension: keep) }
        if !keep { GradientCheck.check([input]) { t, v in t.max(v[0], axis: axis) } }
    }

    @Test("reshape gradient")
    func reshapeGradient() {
        var data = TestData(seed: 12)
        GradientCheck.check([data.uniform([2, 3, 2])]) { t, v in t.mul(t.reshape(v[0], to: [3, -1]), t.constant(Tensor(shape: [4], scalars: [1, 2, 3, 4]))) }
    }
}
