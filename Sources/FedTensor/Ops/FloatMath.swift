// Foundation-free access to libm's single-precision functions.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// libm's `Float` functions under names that `Tape`'s own `exp`, `log` and `tanh` ops cannot
/// shadow (inside `extension Tape`, an unqualified `exp(x)` would find the op).
enum FloatMath {
    @inline(__always) static func exp(_ x: Float) -> Float { expf(x) }
    @inline(__always) static func log(_ x: Float) -> Float { logf(x) }
    @inline(__always) static func log1p(_ x: Float) -> Float { log1pf(x) }
    @inline(__always) static func tanh(_ x: Float) -> Float { tanhf(x) }

    /// The logistic function 1 / (1 + e^-x), written so that neither branch overflows.
    @inline(__always) static func sigmoid(_ x: Float) -> Float {
        if x >= 0 { return 1 / (1 + expf(-x)) }
        let e = expf(x)
        return e / (1 + e)
    }
}

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
