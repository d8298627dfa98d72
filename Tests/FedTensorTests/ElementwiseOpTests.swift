import Testing
@testable import FedTensor

@Suite("Elementwise ops")
struct ElementwiseOpTests {
    /// Shape pairs covering each broadcasting path: equal shapes, a row vector, a scalar, the
    /// left operand broadcast, both broadcast, and middle axes.
    static let shapePairs: [([Int], [Int])] = [
        ([2, 3], [2, 3]), ([2, 3], [3]), ([2, 3], [1, 3]), ([2, 3], [1]), ([2, 3], []),
        ([3], [2, 3]), ([2, 1], [1, 3]), ([2, 3, 4], [3, 1]), ([4, 1, 3], [2, 1]), ([1], [2, 2]),
        ([2, 3, 4], [4]), ([3, 3], [3, 1]),
    ]

    @Test("broadcast shapes follow NumPy", arguments: [
        ([2, 3], [3], [2, 3] as [Int]?), ([2, 1], [1, 3], [2, 3]), ([5, 1, 4], [3, 1], [5, 3, 4]),
        ([], [2], [2]), ([2, 3], [2], nil), ([4], [5], nil),
    ] as [([Int], [Int], [Int]?)])
    func broadcastShape(a: [Int], b: [Int], expected: [Int]?) {
        #expect(Broadcast.shape(a, b) == expected)
        #expect(Broadcast.shape(b, a) == expected)
    }

    @Test("add broadcasts a row and a column by hand")
    func addByHand() {
        let tape = Tape()
        let column = tape.constant(Tensor(shape: [2, 1], scalars: [10, 20]))
        let row = tape.constant(Tensor(shape: [3], scalars: [1, 2, 3]))
        let y = tape.value(tape.add(column, row))
        #expect(y == Tensor(shape: [2, 3], scalars: [11, 12, 13, 21, 22, 23]))
        let d = tape.value(tape.div(row, column))
        #expect(isClose(d, Tensor(shape: [2, 3], scalars: [0.1, 0.2, 0.3, 0.05, 0.1, 0.15])))
        let s = tape.value(tape.sub(row, tape.constant(Tensor(scalar: 1))))
        #expect(s == Tensor(shape: [3], scalars: [0, 1, 2]))
    }

    @Test("fast paths agree with the general strided broadcast", arguments: shapePairs)
    func fastPathsMatchGeneral(a: [Int], b: [Int]) {
        var data = TestData(seed: 1)
        let (x, y) = (data.uniform(a), data.awayFromZero(b))
        let outShape = Broadcast.shape(a, b)!
        for (name, f) in [("add", { (p: Float, q: Float) in p + q }), ("mul", { $0 * $1 }), ("div", { $0 / $1 })] {
            let fast = Broadcast.apply(x, y, op: name, f)
            let slow = Broadcast.general(x, y, outShape: outShape, f)
            #expect(fast == slow, "\(name) \(a) with \(b)")
        }
    }

    @Test("reduce sums a gradient over the broadcast axes")
    func reduceByHand() {
        let g = Tensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])
        #expect(Broadcast.reduce(g, to: [3]) == Tensor(shape: [3], scalars: [5, 7, 9]))
        #expect(Broadcast.reduce(g, to: [2, 1]) == Tensor(shape: [2, 1], scalars: [6, 15]))
        #expect(Broadcast.reduce(g, to: []) == Tensor(scalar: 21))
        #expect(Broadcast.reduce(g, to: [1, 3]) == Tensor(shape: [1, 3], scalars: [5, 7, 9]))
    }

    @Test("add gradient", arguments: shapePairs)
    func addGradient(a: [Int], b: [Int]) {
        var data = TestData(seed: 2)
        GradientCheck.check([data.uniform(a), data.uniform(b)]) { t, v in t.add(v[0], v[1]) }
    }

    @Test("sub gradient", arguments: shapePairs)
    func subGradient(a: [Int], b: [Int]) {
        var data = TestData(seed: 3)
        GradientCheck.check([data.uniform(a), data.uniform(b)]) { t, v in t.sub(v[0], v[1]) }
    }

    @Test("mul gradient", arguments: shapePairs)
    func mulGradient(a: [Int], b: [Int]) {
        var data = TestData(seed: 4)
        GradientCheck.check([data.uniform(a), data.uniform(b)]) { t, v in t.mul(v[0], v[1]) }
    }

    @Test("div gradient", arguments: shapePairs)
    func divGradient(a: [Int], b: [Int]) {
        var data = TestData(seed: 5)
        GradientCheck.check([data.uniform(a), data.awayFromZero(b, 0.5, 1.5)]) { t, v in t.div(v[0], v[1]) }
    }

    @Test("an operand used twice accumulates both gradients")
    func sharedOperand() {
        var data = TestData(seed: 6)
        GradientCheck.check([data.uniform([2, 3])]) { t, v in t.mul(v[0], v[0]) }
    }

    @Test("unary ops by hand")
    func unaryByHand() {
        let tape = Tape()
        let x = tape.constant(Tensor(shape: [3], scalars: [-1, 0, 2]))
        #expect(tape.value(tape.scale(x, by: 3)).scalars == [-3, 0, 6])
        #expect(tape.value(tape.addScalar(x, 1)).scalars == [0, 1, 3])
        #expect(tape.value(tape.neg(x)).scalars == [1, -0, -2])
        #expect(tape.value(tape.square(x)).scalars == [1, 0, 4])
        #expect(tape.value(tape.relu(x)).scalars == [0, 0, 2])
        #expect(isClose(tape.value(tape.exp(x)), Tensor(shape: [3], scalars: [0.36787944, 1, 7.3890561])))
        #expect(isClose(tape.value(tape.tanh(x)), Tensor(shape: [3], scalars: [-0.76159416, 0, 0.96402758])))
        #expect(isClose(tape.value(tape.sigmoid(x)), Tensor(shape: [3], scalars: [0.26894142, 0.5, 0.88079708])))
        let positive = tape.constant(Tensor(shape: [2], scalars: [1, 2.718281828]))
        #expect(isClose(tape.value(tape.log(positive)), Tensor(shape: [2], scalars: [0, 1])))
    }

    @Test("sigmoid stays finite and exact at the extremes")
    func sigmoidExtremes() {
        let tape = Tape()
        let y = tape.value(tape.sigmoid(tape.constant(Tensor(shape: [2], scalars: [-200, 200]))))
        #expect(y.scalars == [0, 1])
    }

    @Test("unary gradients", arguments: ["scale", "addScalar", "neg", "exp", "log", "square", "relu", "tanh", "sigmoid"])
    func unaryGradient(op: String) {
        var data = TestData(seed: 8)
        let x: Tensor
        switch op {
        case "log": x = data.uniform([2, 3], 0.5, 2)
        case "relu": x = data.distinct([2, 3])
        default: x = data.uniform([2, 3], -2, 2)
        }
        GradientCheck.check([x]) { t, v in
            switch op {
            case "scale": t.scale(v[0], by: -1.5)
            case "addScalar": t.addScalar(v[0], 4)
            case "neg": t.neg(v[0])
            case "exp": t.exp(v[0])
            case "log": t.log(v[0])
            case "square": t.square(v[0])
            case "relu": t.relu(v[0])
            case "tanh": t.tanh(v[0])
            default: t.sigmoid(v[0])
            }
        }
    }
}
