// Buffer-level helpers shared by the ops: allocation without a zero fill, elementwise maps.

extension Tensor {
    /// A tensor of `shape` whose every element is written by `body` (no zero fill first).
    @inline(__always)
    static func filled(shape: [Int], _ body: (UnsafeMutableBufferPointer<Float>) -> Void) -> Tensor {
        let n = Tensor.elementCount(shape)
        let scalars = [Float](unsafeUninitializedCapacity: n) { buffer, initialized in
            body(buffer)
            initialized = n
        }
        return Tensor(shape: shape, scalars: scalars)
    }

    /// The tensor with `body` applied to each element.
    @inline(__always)
    func mapScalars(_ body: (Float) -> Float) -> Tensor {
        scalars.withUnsafeBufferPointer { x in
            Tensor.filled(shape: shape) { y in
                for i in 0..<x.count { y[i] = body(x[i]) }
            }
        }
    }

    /// The elementwise combination of two tensors of the same shape.
    @inline(__always)
    func zipScalars(_ other: Tensor, _ body: (Float, Float) -> Float) -> Tensor {
        precondition(shape == other.shape, "Tensor.zipScalars: shapes \(shape) and \(other.shape)")
        return scalars.withUnsafeBufferPointer { a in
            other.scalars.withUnsafeBufferPointer { b in
                Tensor.filled(shape: shape) { y in
                    for i in 0..<a.count { y[i] = body(a[i], b[i]) }
                }
            }
        }
    }
}

/// An array of `count` floats that the caller fills completely before reading any of it
/// (skips the zero fill of a buffer that im2col overwrites anyway).
func uninitializedFloats(_ count: Int) -> [Float] {
    [Float](unsafeUninitializedCapacity: count) { _, initialized in initialized = count }
}

