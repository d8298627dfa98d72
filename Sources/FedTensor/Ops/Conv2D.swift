/// How a convolution treats the border of its input.
public enum Padding: Sendable {
    /// Zero-pads so that the output has ⌈H / stride⌉ × ⌈W / stride⌉ positions, as TensorFlow does:
    /// the total padding is `max((OH - 1)·stride + KH - H, 0)`, with the smaller half on the
    /// top (left), which is `(KH - 1) / 2` for stride 1.
    case same
    /// No padding: only windows lying entirely inside the input, `(H - KH) / stride + 1` rows.
    case valid
}

/// The sizes of one 2-D convolution over NHWC input, and the im2col / col2im transforms.
///
/// im2col turns every output position (n, oy, ox) into one row of the "columns" matrix
/// [N·OH·OW, KH·KW·C], holding its receptive field in (ky, kx, c) order, zeros where the window
/// hangs over the padding. The filter [KH, KW, C, OC] read as [KH·KW·C, OC] then makes the
/// convolution one GEMM. Within a window row, the in-bounds kx run is contiguous in the input
/// (NHWC), so each is one copy of up to KW·C floats.
struct ConvGeometry: Sendable {
    let batch: Int, height: Int, width: Int, channels: Int
    let kernelHeight: Int, kernelWidth: Int, outChannels: Int
    let stride: Int
    let outHeight: Int, outWidth: Int
    let padTop: Int, padLeft: Int

    /// The length of one im2col row: KH·KW·C.
    var patch: Int { kernelHeight * kernelWidth * channels }
    /// Output positions per image: OH·OW.
    var positions: Int { outHeight * outWidth }

    init(input: [Int], filter: [Int], stride: Int, padding: Padding) {
        precondition(input.count == 4, "Tape.conv2d: input of shape \(input) is not NHWC [N, H, W, C]")
        precondition(filter.count == 4 && filter[2] == input[3],
                     "Tape.conv2d: filter \(filter) is not [KH, KW, \(input[3]), OC] for input \(input)")
        precondition(stride >= 1, "Tape.conv2d: stride \(stride) must be at least 1")
        (batch, height, width, channels) = (input[0], input[1], input[2], input[3])
        (kernelHeight, kernelWidth, outChannels) = (filter[0], filter[1], filter[3])
        precondition(kernelHeight >= 1 && kernelWidth >= 1 && channels >= 1 && outChannels >= 1,
                     "Tape.conv2d: empty filter \(filter)")
        precondition(height >= 1 && width >= 1, "Tape.conv2d: empty image in input \(input)")
        self.stride = stride
        switch padding {
        case .same:
            outHeight = (height + stride - 1) / stride
            outWidth = (width + stride - 1) / stride
            padTop = Swift.max((outHeight - 1) * stride + kernelHeight - height, 0) / 2
            padLeft = Swift.max((outWidth - 1) * stride + kernelWidth - width, 0) / 2
        case .valid:
            precondition(height >= kernelHeight && width >= kernelWidth,
                         "Tape.conv2d: valid padding needs the input \(input) at least as large as the filter \(filter)")
            outHeight = (height - kernelHeight) / stride + 1
            outWidth = (width - kernelWidth) / stride + 1
            padTop = 0
            padLeft = 0
        }
    }

    /// How many images one chunk may hold so that its columns matrix stays under `budgetBytes`.
    func imagesPerChunk(budgetBytes: Int) -> Int {
        let bytesPerImage = Swift.max(positions * patch * MemoryLayout<Float>.stride, 1)
        return Swift.min(Swift.max(budgetBytes / bytesPerImage, 1), Swift.max(batch, 1))
    }

    /// Walks the windows of images `first..<first+count`, calling
    /// `body(columnOffset, inputOffset, length)` for every in-bounds run of a window row, after
    /// `pad(columnOffset, length)` for every out-of-bounds run.
    @inline(__always)
    private func forEachRun(
        first: Int, count: Int,
        pad: (Int, Int) -> Void, body: (Int, Int, Int) -> Void
    ) {
        let (c, kw, rowLength) = (channels, kernelWidth, kernelWidth * channels)
        var dst = 0
        for image in first..<(first + count) {
            let imageBase = image * height * width * c
            for oy in 0..<outHeight {
                let iy0 = oy * stride - padTop
                for ox in 0..<outWidth {
                    let ix0 = ox * stride - padLeft
                    let kxLow = Swift.max(0, -ix0)
                    let kxHigh = Swift.min(kw, width - ix0)
                    for ky in 0..<kernelHeight {
                        let iy = iy0 + ky
                        let d = dst + ky * rowLength
                        if iy < 0 || iy >= height || kxLow >= kxHigh {
                            pad(d, rowLength)
                            continue
                        }
                        if kxLow > 0 { pad(d, kxLow * c) }
                        body(d + kxLow * c, imageBase + (iy * width + ix0 + kxLow) * c, (kxHigh - kxLow) * c)
                        if kxHigh < kw { pad(d + kxHigh * c, (kw - kxHigh) * c) }
                    }
                    dst += patch
                }
            }
        }
    }

    /// cols [count·OH·OW, KH·KW·C] ← the windows of images `first..<first+count` of x.
    func im2col(_ x: UnsafeBufferPointer<Float>, first: Int, count: Int, into cols: UnsafeMutableBufferPointer<Float>) {
        let src = x.baseAddress!
        let dst = cols.baseAddress!
        forEachRun(first: first, count: count,
                   pad: { d, n in (dst + d).update(repeating: 0, count: n) },
                   body: { d, s, n in (dst + d).update(from: src + s, count: n) })
    }

    /// dx += the scatter of dCols [count·OH·OW, KH·KW·C] back onto images `first..<first+count`
    /// (the adjoint of `im2col`; overlapping windows add up).
    func col2im(_ cols: UnsafeBufferPointer<Float>, first: Int, count: Int, into dx: UnsafeMutableBufferPointer<Float>) {
        let src = cols.baseAddress!
        let dst = dx.baseAddress!
        forEachRun(first: first, count: count, pad: { _, _ in }, body: { d, s, n in
            // Pointer offsets, not checked index arithmetic, so the loop vectorizes.
            let (to, from) = (dst + s, src + d)
            for i in 0..<n { to[i] += from[i] }
        })
    }
}

extension Tape {
    /// A 2-D convolution (cross-correlation, as in every deep learning library) over NHWC input.
    ///
    /// Shapes: x [N, H, W, C], filter [KH, KW, C, OC], bias [OC] → [N, OH, OW, OC], with
    /// OH = ⌈H / stride⌉ for `.same` padding and (H - KH) / stride + 1 for `.valid`.
    ///
    /// Computed as im2col followed by one GEMM with the filter viewed as [KH·KW·C, OC], over
    /// chunks of the batch so that the columns matrix stays under `columnBudgetBytes`.
    public func conv2d(_ x: Variable, filter: Variable, bias: Variable?, stride: Int = 1, padding: Padding = .same) -> Variable {
        conv2d(x, filter: filter, bias: bias, stride: stride, padding: padding, columnBudgetBytes: Tape.columnBudgetBytes)
    }

    /// The most bytes one im2col buffer may take (one image at least). 16 MB keeps it below
    /// glibc's largest mmap threshold (32 MB), so the buffer comes from the heap and is not
    /// faulted in page by page, zeroed by the kernel, on every call; and a chunk of the
    /// FedAvg CNN's second layer (25 images of 196 × 800 floats) still makes one large GEMM.
    static let columnBudgetBytes = 16 << 20

    /// `conv2d` with an explicit bound on the columns matrix (tests force chunking with it).
    func conv2d(
        _ x: Variable, filter: Variable, bias: Variable?, stride: Int, padding: Padding, columnBudgetBytes: Int
    ) -> Variable {
        let (vx, vf) = (value(x), value(filter))
        let vb = bias.map { value($0) }
        let geo = ConvGeometry(input: vx.shape, filter: vf.shape, stride: stride, padding: padding)
        if let vb { precondition(vb.shape == [geo.outChannels], "Tape.conv2d: bias \(vb.shape) is not [\(geo.outChannels)]") }
        let (patch, oc, positions) = (geo.patch, geo.outChannels, geo.positions)
        let outShape = [geo.batch, geo.outHeight, geo.outWidth, oc]
        let chunk = geo.imagesPerChunk(budgetBytes: columnBudgetBytes)

        // Y [N·OH·OW, OC] = bias rows; then per chunk: cols = im2col(x); Y += cols · F.
        var y = vb.map { MatrixProduct.repeatedRows($0.scalars, rows: geo.batch * positions) }
            ?? [Float](repeating: 0, count: geo.batch * positions * oc)
        var cols = uninitializedFloats(chunk * positions * patch)  // im2col writes every element
        vx.scalars.withUnsafeBufferPointer { X in
            vf.scalars.withUnsafeBufferPointer { F in
                cols.withUnsafeMutableBufferPointer { C in
                    y.withUnsafeMutableBufferPointer { Y in
                        for first in Swift.stride(from: 0, to: geo.batch, by: chunk) {
                            let count = Swift.min(chunk, geo.batch - first)
                            geo.im2col(X, first: first, count: count, into: C)
                            MatrixProduct.multiply(m: count * positions, n: oc, k: patch,
                                                   a: UnsafeBufferPointer(C), b: F,
                                                   beta: vb == nil ? 0 : 1, c: Y, cOffset: first * positions * oc)
                        }
                    }
                }
            }
        }

        let inputs = bias.map { [x, filter, $0] } ?? [x, filter]
        return record(Tensor(shape: outShape, scalars: y), inputs: inputs) { g, tape in
            // g = dY [N·OH·OW, OC]
            let needFilter = tape.requiresGradient(filter)
            let needInput = tape.requiresGradient(x)
            if needFilter || needInput {
                var df = [Float](repeating: 0, count: needFilter ? patch * oc : 0)
                var dx = [Float](repeating: 0, count: needInput ? vx.count : 0)
                var cols = uninitializedFloats(chunk * positions * patch)
                vx.scalars.withUnsafeBufferPointer { X in
                    vf.scalars.withUnsafeBufferPointer { F in
                        g.scalars.withUnsafeBufferPointer { G in
                            cols.withUnsafeMutableBufferPointer { C in
                                df.withUnsafeMutableBufferPointer { DF in
                                    dx.withUnsafeMutableBufferPointer { DX in
                                        for first in Swift.stride(from: 0, to: geo.batch, by: chunk) {
                                            let count = Swift.min(chunk, geo.batch - first)
                                            let rows = count * positions
                                            if needFilter {
                                                // dF [KH·KW·C, OC] += colsᵀ · dY
                                                geo.im2col(X, first: first, count: count, into: C)
                                                MatrixProduct.multiply(transA: true, m: patch, n: oc, k: rows,
                                                                       a: UnsafeBufferPointer(C), b: G, bOffset: first * positions * oc,
                                                                       beta: 1, c: DF)
                                            }
                                            if needInput {
                                                // dCols [rows, KH·KW·C] = dY · Fᵀ; dX += col2im(dCols)
                                                MatrixProduct.multiply(transB: true, m: rows, n: patch, k: oc,
                                                                       a: G, aOffset: first * positions * oc, b: F, c: C)
                                                geo.col2im(UnsafeBufferPointer(C), first: first, count: count, into: DX)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
                if needFilter { tape.accumulateGradient(Tensor(shape: vf.shape, scalars: df), into: filter) }
                if needInput { tape.accumulateGradient(Tensor(shape: vx.shape, scalars: dx), into: x) }
            }
            if let bias, tape.requiresGradient(bias) {
                // db [OC] = Σ over all N·OH·OW positions of dY
                tape.accumulateGradient(
                    Tensor(shape: [oc], scalars: MatrixProduct.columnSums(g.scalars, rows: geo.batch * positions, columns: oc)),
                    into: bias)
            }
        }
    }
}
