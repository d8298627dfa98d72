extension Tape {
    /// Max pooling over NHWC input with square windows and no padding (only windows lying
    /// entirely inside the input). The gradient goes to the first maximum of each window.
    ///
    /// Shapes: x [N, H, W, C] → [N, (H - size) / stride + 1, (W - size) / stride + 1, C];
    /// for example [N, 28, 28, C] → [N, 14, 14, C] with size 2 and stride 2.
    public func maxPool2d(_ x: Variable, size: Int, stride: Int) -> Variable {
        let vx = value(x)
        precondition(vx.rank == 4, "Tape.maxPool2d: input of shape \(vx.shape) is not NHWC [N, H, W, C]")
        precondition(size >= 1 && stride >= 1, "Tape.maxPool2d: size \(size) and stride \(stride) must be at least 1")
        let (n, h, w, c) = (vx.shape[0], vx.shape[1], vx.shape[2], vx.shape[3])
        precondition(h >= size && w >= size, "Tape.maxPool2d: window \(size) larger than the input \(vx.shape)")
        // Argmax indices are stored as Int32 (half the memory); the check makes truncation exact.
        precondition(vx.count <= Int(Int32.max), "Tape.maxPool2d: input of \(vx.count) elements is too large")
        let (oh, ow) = ((h - size) / stride + 1, (w - size) / stride + 1)
        let outShape = [n, oh, ow, c]

        // The flat input index of each output's maximum, kept only when a gradient will flow.
        let tracking = requiresGradient(x)
        var argmax = [Int32](repeating: 0, count: tracking ? Tensor.elementCount(outShape) : 0)
        let y = vx.scalars.withUnsafeBufferPointer { X in
            argmax.withUnsafeMutableBufferPointer { A in
                Tensor.filled(shape: outShape) { Y in
                    var out = 0
                    for image in 0..<n {
                        for oy in 0..<oh {
                            for ox in 0..<ow {
                                // Start from the window's top-left element, then scan the rest.
                                let first = ((image * h + oy * stride) * w + ox * stride) * c
                                for ch in 0..<c {
                                    Y[out + ch] = X[first + ch]
                                    if tracking { A[out + ch] = Int32(truncatingIfNeeded: first &+ ch) }
                                }
                                for ky in 0..<size {
                                    for kx in 0..<size where ky > 0 || kx > 0 {
                                        let src = ((image * h + oy * stride + ky) * w + ox * stride + kx) * c
                                        // Branch-free selects (which element wins is data-dependent),
                                        // on pointer offsets so that the channel loop vectorizes.
                                        let (from, to) = (X.baseAddress! + src, Y.baseAddress! + out)
                                        if tracking {
                                            let index = A.baseAddress! + out
                                            for ch in 0..<c {
                                                let (v, best) = (from[ch], to[ch])
                                                to[ch] = v > best ? v : best
                                                index[ch] = v > best ? Int32(truncatingIfNeeded: src &+ ch) : index[ch]
                                            }
                                        } else {
                                            for ch in 0..<c { to[ch] = Swift.max(to[ch], from[ch]) }
                                        }
                                    }
                                }
                                out += c
                            }
                        }
                    }
                }
            }
        }
        return record(y, inputs: [x]) { g, tape in
            // dX[argmax[j]] += dY[j]
            var dx = [Float](repeating: 0, count: vx.count)
            dx.withUnsafeMutableBufferPointer { DX in
                g.scalars.withUnsafeBufferPointer { G in
                    argmax.withUnsafeBufferPointer { A in
                        for j in 0..<G.count { DX[Int(A[j])] += G[j] }
                    }
                }
            }
            tape.accumulateGradient(Tensor(shape: vx.shape, scalars: dx), into: x)
        }
    }
}
