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
