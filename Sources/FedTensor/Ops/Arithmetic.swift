extension Tape {
    /// Elementwise `a + b` with NumPy broadcasting.
    ///
    /// Shapes: a [..], b [..] → the broadcast shape. The backward sums each input's gradient
    /// over the axes along which it was broadcast.
    public func add(_ a: Variable, _ b: Variable) -> Variable {
        let (va, vb) = (value(a), value(b))
        let y = Broadcast.apply(va, vb, op: "add", +)
        return record(y, inputs: [a, b]) { g, tape in
            // dA = g, dB = g (each reduced to its own shape).
            if tape.requiresGradient(a) { tape.accumulateGradient(Broadcast.reduce(g, to: va.shape), into: a) }
            if tape.requiresGradient(b) { tape.accumulateGradient(Broadcast.reduce(g, to: vb.shape), into: b) }
        }
    }

    /// Elementwise `a - b` with NumPy broadcasting.
    public func sub(_ a: Variable, _ b: Variable) -> Variable {
        let (va, vb) = (value(a), value(b))
        let y = Broadcast.apply(va, vb, op: "sub", -)
        return record(y, inputs: [a, b]) { g, tape in
            // dA = g, dB = -g.
            if tape.requiresGradient(a) { tape.accumulateGradient(Broadcast.reduce(g, to: va.shape), into: a) }
            if tape.requiresGradient(b) {
                tape.accumulateGradient(Broadcast.reduce(g.mapScalars { -$0 }, to: vb.shape), into: b)
            }
        }
    }

    /// Elementwise `a * b` with NumPy broadcasting.
    public func mul(_ a: Variable, _ b: Variable) -> Variable {
        let (va, vb) = (value(a), value(b))
        let y = Broadcast.apply(va, vb, op: "mul", *)
        return record(y, inputs: [a, b]) { g, tape in
            // dA = g·b, dB = g·a.
            if tape.requiresGradient(a) {
                tape.accumulateGradient(Broadcast.reduce(Broadcast.apply(g, vb, op: "mul", *), to: va.shape), into: a)
            }
            if tape.requiresGradient(b) {
                tape.accumulateGradient(Broadcast.reduce(Broadcast.apply(g, va, op: "mul", *), to: vb.shape), into: b)
            }
        }
    }

    /// Elementwise `a / b` with NumPy broadcasting (no guard against division by zero).
    public func div(_ a: Variable, _ b: Variable) -> Variable {
        let (va, vb) = (value(a), value(b))
        let y = Broadcast.apply(va, vb, op: "div", /)
        return record(y, inputs: [a, b]) { g, tape in
            // dA = g / b, dB = -g·a / b².
            if tape.requiresGradient(a) {
                tape.accumulateGradient(Broadcast.reduce(Broadcast.apply(g, vb, op: "div", /), to: va.shape), into: a)
            }
            if tape.requiresGradient(b) {
                let ga = Broadcast.apply(g, va, op: "div", *)
                let gb = Broadcast.apply(ga, vb, op: "div") { -$0 / ($1 * $1) }
                tape.accumulateGradient(Broadcast.reduce(gb, to: vb.shape), into: b)
            }
        }
    }
}
