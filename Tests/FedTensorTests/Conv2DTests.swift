import Testing
@testable import FedTensor

/// One convolution configuration for the table-driven tests.
struct ConvCase: Sendable, CustomTestStringConvertible {
    var n = 2, h = 5, w = 4, c = 3, oc = 2, kh = 3, kw = 3
    var stride = 1
    var padding = Padding.same
    var bias = true

    var testDescription: String {
        "N\(n) \(h)×\(w)×\(c)→\(oc) k\(kh)×\(kw) s\(stride) \(padding)\(bias ? "" : " no-bias")"
    }
}

@Suite("conv2d")
struct Conv2DTests {
    static let cases: [ConvCase] = [
        ConvCase(),
        ConvCase(stride: 2),
        ConvCase(padding: .valid),
        ConvCase(stride: 2, padding: .valid),
        ConvCase(bias: false),
        ConvCase(n: 1, h: 4, w: 4, c: 2, oc: 3, kh: 2, kw: 2, stride: 2),   // even kernel
        ConvCase(n: 1, h: 6, w: 5, c: 1, oc: 2, kh: 5, kw: 3),              // rectangular kernel
        ConvCase(n: 2, h: 3, w: 3, c: 2, oc: 2, kh: 1, kw: 1),              // 1×1
        ConvCase(n: 1, h: 4, w: 3, c: 2, oc: 1, kh: 3, kw: 3, stride: 3),   // stride as large as the kernel
    ]

    /// The slow twin: a direct convolution with six nested loops, in Double, with the padding
    /// worked out independently (TensorFlow's rule: the smaller half of the padding on top).
    static func direct(_ x: Tensor, _ f: Tensor, _ b: Tensor?, stride: Int, padding: Padding) -> Tensor {
        let (n, h, w, c) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (kh, kw, oc) = (f.shape[0], f.shape[1], f.shape[3])
        let oh = padding == .same ? (h + stride - 1) / stride : (h - kh) / stride + 1
        let ow = padding == .same ? (w + stride - 1) / stride : (w - kw) / stride + 1
        let top = padding == .same ? max((oh - 1) * stride + kh - h, 0) / 2 : 0
        let left = padding == .same ? max((ow - 1) * stride + kw - w, 0) / 2 : 0
        var out = [Float](repeating: 0, count: n * oh * ow * oc)
        for i in 0..<n { for oy in 0..<oh { for ox in 0..<ow { for o in 0..<oc {
            var acc = Double(b?.scalars[o] ?? 0)
            for ky in 0..<kh { for kx in 0..<kw { for ch in 0..<c {
                let (iy, ix) = (oy * stride - top + ky, ox * stride - left + kx)
                guard iy >= 0, iy < h, ix >= 0, ix < w else { continue }
                acc += Double(x.scalars[((i * h + iy) * w + ix) * c + ch]) * Double(f.scalars[((ky * kw + kx) * c + ch) * oc + o])
            } } }
            out[((i * oh + oy) * ow + ox) * oc + o] = Float(acc)
        } } } }
        return Tensor(shape: [n, oh, ow, oc], scalars: out)
    }

    @Test("a 2×2 valid convolution by hand")
    func byHand() {
        let tape = Tape()
        let x = tape.constant(Tensor(shape: [1, 3, 3, 1], scalars: [1, 2, 3, 4, 5, 6, 7, 8, 9]))
        let f = tape.constant(Tensor(shape: [2, 2, 1, 1], scalars: [1, 2, 3, 4]))
        let b = tape.constant(Tensor(shape: [1], scalars: [0.5]))
        // [1 2; 4 5]·[1 2; 3 4] = 1 + 4 + 12 + 20 = 37, and so on, plus the bias.
        let y = tape.value(tape.conv2d(x, filter: f, bias: b, padding: .valid))
        #expect(y == Tensor(shape: [1, 2, 2, 1], scalars: [37.5, 47.5, 67.5, 77.5]))
    }

    @Test("same padding with stride 2 pads bottom and right first, like TensorFlow")
    func samePaddingStride2ByHand() {
        let tape = Tape()
        let x = tape.constant(Tensor(shape: [1, 4, 4, 1], scalars: (1...16).map(Float.init)))
        let f = tape.constant(Tensor(repeating: 1, shape: [3, 3, 1, 1]))
        // Output 2×2; total padding 1, all of it below and to the right.
        let y = tape.value(tape.conv2d(x, filter: f, bias: nil, stride: 2, padding: .same))
        #expect(y == Tensor(shape: [1, 2, 2, 1], scalars: [54, 45, 72, 54]))
    }

    @Test("output shapes", arguments: [
        (28, 5, 1, Padding.same, 28), (28, 5, 1, .valid, 24), (5, 3, 2, .same, 3), (5, 3, 2, .valid, 2),
        (4, 3, 2, .same, 2), (14, 5, 1, .same, 14),
    ])
    func outputShape(size: Int, kernel: Int, stride: Int, padding: Padding, expected: Int) {
        let g = ConvGeometry(input: [1, size, size, 1], filter: [kernel, kernel, 1, 1], stride: stride, padding: padding)
        #expect(g.outHeight == expected && g.outWidth == expected)
    }

    @Test("conv2d matches the direct convolution", arguments: cases)
    func matchesDirect(_ k: ConvCase) {
        var data = TestData(seed: 30)
        let x = data.uniform([k.n, k.h, k.w, k.c])
        let f = data.uniform([k.kh, k.kw, k.c, k.oc])
        let b = k.bias ? data.uniform([k.oc]) : nil
        let tape = Tape()
        let y = tape.conv2d(tape.constant(x), filter: tape.constant(f), bias: b.map { tape.constant($0) },
                            stride: k.stride, padding: k.padding)
        #expect(isClose(tape.value(y), Self.direct(x, f, b, stride: k.stride, padding: k.padding)))
    }

    @Test("conv2d gradient", arguments: cases)
    func gradient(_ k: ConvCase) {
        var data = TestData(seed: 31)
        var inputs = [data.uniform([k.n, k.h, k.w, k.c]), data.uniform([k.kh, k.kw, k.c, k.oc])]
        if k.bias { inputs.append(data.uniform([k.oc])) }
        GradientCheck.check(inputs) { t, v in
            t.conv2d(v[0], filter: v[1], bias: k.bias ? v[2] : nil, stride: k.stride, padding: k.padding)
        }
    }

    @Test("processing the batch in chunks changes nothing", arguments: [1, 2, 3])
    func chunked(imagesPerChunk: Int) {
        var data = TestData(seed: 32)
        let (x, f, b) = (data.uniform([5, 6, 5, 3]), data.uniform([3, 3, 3, 4]), data.uniform([4]))
        let seed = data.uniform([5, 3, 3, 4])
        func run(budget: Int) -> [Tensor?] {
            let tape = Tape()
            let (vx, vf, vb) = (tape.parameter(x), tape.parameter(f), tape.parameter(b))
            let y = tape.conv2d(vx, filter: vf, bias: vb, stride: 2, padding: .same, columnBudgetBytes: budget)
            tape.backward(from: y, seed: seed)
            return [tape.value(y), tape.gradient(of: vx), tape.gradient(of: vf), tape.gradient(of: vb)]
        }
        // One image's columns: 3·3 positions × 27 floats × 4 bytes.
        let whole = run(budget: 64 << 20)
        let pieces = run(budget: imagesPerChunk * 9 * 27 * 4)
        for (a, b) in zip(whole, pieces) { #expect(isClose(a!, b!)) }
        GradientCheck.check([x, f, b]) { t, v in
            t.conv2d(v[0], filter: v[1], bias: v[2], stride: 2, padding: .same, columnBudgetBytes: imagesPerChunk * 9 * 27 * 4)
        }
    }

    @Test("a constant input gets no gradient and the filter's is unchanged")
    func constantInput() {
        var data = TestData(seed: 33)
        let (x, f) = (data.uniform([2, 5, 4, 3]), data.uniform([3, 3, 3, 2]))
        func filterGradient(inputIsParameter: Bool) -> Tensor? {
            let tape = Tape()
            let vx = inputIsParameter ? tape.parameter(x) : tape.constant(x)
            let vf = tape.parameter(f)
            tape.backward(from: tape.sum(tape.square(tape.conv2d(vx, filter: vf, bias: nil))))
            return tape.gradient(of: vf)
        }
        #expect(filterGradient(inputIsParameter: true) == filterGradient(inputIsParameter: false))
    }
}

@Suite("maxPool2d")
struct MaxPool2DTests {
    @Test("2×2 pooling by hand")
    func byHand() {
        let tape = Tape()
        // One 4×4 image with 2 channels: channel 1 is channel 0 negated.
        let plane: [Float] = [1, 3, 2, 0, 4, 2, 1, 5, 0, 1, 7, 6, 2, 9, 8, 3]
        let x = tape.parameter(Tensor(shape: [1, 4, 4, 2], scalars: plane.flatMap { [$0, -$0] }))
        let y = tape.maxPool2d(x, size: 2, stride: 2)
        #expect(tape.value(y) == Tensor(shape: [1, 2, 2, 2], scalars: [4, -1, 5, 0, 9, 0, 8, -3]))
        tape.backward(from: tape.sum(y))
        // Maxima of channel 0 at (1,0), (1,3), (3,1), (3,2); of channel 1 at (0,0), (0,3), (2,0), (3,3):
        // flat index (row·4 + column)·2 + channel.
        var expected = [Float](repeating: 0, count: 32)
        for i in [8, 14, 26, 28, 1, 7, 17, 31] { expected[i] = 1 }
        #expect(tape.gradient(of: x)?.scalars == expected)
    }

    @Test("28×28 pools to 14×14 and 5×5 to 2×2")
    func shapes() {
        let tape = Tape()
        #expect(tape.shape(tape.maxPool2d(tape.constant(Tensor(zeros: [2, 28, 28, 3])), size: 2, stride: 2)) == [2, 14, 14, 3])
        #expect(tape.shape(tape.maxPool2d(tape.constant(Tensor(zeros: [1, 5, 5, 1])), size: 2, stride: 2)) == [1, 2, 2, 1])
    }

    @Test("maxPool2d gradient", arguments: [(2, 2, 4), (2, 2, 5), (3, 1, 4), (3, 2, 5)])
    func gradient(size: Int, stride: Int, extent: Int) {
        var data = TestData(seed: 34)
        GradientCheck.check([data.distinct([2, extent, extent, 3])]) { t, v in t.maxPool2d(v[0], size: size, stride: stride) }
    }
}
