extension Tape {
    /// `x · s` elementwise, for a constant `s`.
    public func scale(_ x: Variable, by s: Float) -> Variable {
        let y = value(x).mapScalars { $0 * s }
        return record(y, inputs: [x]) { g, tape in
            // dX = g · s
            tape.accumulateGradient(g.mapScalars { $0 * s }, into: x)
        }
    }

    /// `x + s` elementwise, for a constant `s`.
    public func addScalar(_ x: Variable, _ s: Float) -> Variable {
        let y = value(x).mapScalars { $0 + s }
        return record(y, inputs: [x]) { g, tape in
            // dX = g
            tape.accumulateGradient(g, into: x)
        }
    }

    /// `-x` elementwise.
    public func neg(_ x: Variable) -> Variable {
        scale(x, by: -1)
    }

    /// `eˣ` elementwise.
    public func exp(_ x: Variable) -> Variable {
        let y = value(x).mapScalars { FloatMath.exp($0) }
        return record(y, inputs: [x]) { g, tape in
            // dX = g · eˣ = g · y
            tape.accumulateGradient(g.zipScalars(y, *), into: x)
        }
    }

    /// The natural logarithm, elementwise (non-positive inputs give NaN or -∞, as in libm).
    public func log(_ x: Variable) -> Variable {
        let vx = value(x)
        let y = vx.mapScalars { FloatMath.log($0) }
        return record(y, inputs: [x]) { g, tape in
            // dX = g / x
            tape.accumulateGradient(g.zipScalars(vx, /), into: x)
        }
    }

    /// `x²` elementwise.
    public func square(_ x: Variable) -> Variable {
        let vx = value(x)
        let y = vx.mapScalars { $0 * $0 }
        return record(y, inputs: [x]) { g, tape in
            // dX = 2 · x · g
            tape.accumulateGradient(g.zipScalars(vx) { 2 * $0 * $1 }, into: x)
        }
    }

    /// `max(x, 0)` elementwise. The gradient at exactly 0 is taken as 0.
    public func relu(_ x: Variable) -> Variable {
        let y = value(x).mapScalars { $0 > 0 ? $0 : 0 }
        return record(y, inputs: [x]) { g, tape in
            // dX = g where x > 0 (equivalently y > 0), else 0
            tape.accumulateGradient(g.zipScalars(y) { $1 > 0 ? $0 : 0 }, into: x)
        }
    }

    /// The hyperbolic tangent, elementwise.
    public func tanh(_ x: Variable) -> Variable {
        let y = value(x).mapScalars { FloatMath.tanh($0) }
        return record(y, inputs: [x]) { g, tape in
            // dX = g · (1 - y²)
            tape.accumulateGradient(g.zipScalars(y) { $0 * (1 - $1 * $1) }, into: x)
        }
    }

    /// The logistic sigmoid 1 / (1 + e⁻ˣ), elementwise (stable for large |x|).
    public func sigmoid(_ x: Variable) -> Variable {
        let y = value(x).mapScalars { FloatMath.sigmoid($0) }
        return record(y, inputs: [x]) { g, tape in
            // dX = g · y · (1 - y)
            tape.accumulateGradient(g.zipScalars(y) { $0 * $1 * (1 - $1) }, into: x)
        }
    }
}
