/// What clipping did to one update.
public struct ClipOutcome: Sendable, Equatable {
    /// The update's L2 norm before clipping.
    public var norm: Double
    /// The factor the update was multiplied by: min(1, C/norm), or 1 for a zero update.
    public var factor: Double
    /// Whether the update was scaled down (norm > C).
    public var wasClipped: Bool

    /// Creates an outcome.
    public init(norm: Double, factor: Double, wasClipped: Bool) {
        self.norm = norm
        self.factor = factor
        self.wasClipped = wasClipped
    }
}

/// Fixed L2 clipping of a whole update (flat over all layers), the first half of DP-FedAvg
/// (McMahan, Ramage, Talwar, Zhang 2018): Δ ← Δ·min(1, C/‖Δ‖₂). A zero update is left alone
/// (factor 1), where Flower's `clip_inputs_inplace` divides by zero.
///
/// The scaled update's norm is C up to Float rounding (a relative error of a few 10⁻⁷).
public struct UpdateClipper: Sendable, Equatable {
    /// The clip norm C > 0.
    public let clipNorm: Double

    /// Creates a clipper.
    /// - Parameter clipNorm: C, finite and > 0.
    /// - Throws: `PrivacyError.invalidArgument` naming `clipNorm` when it is not a finite positive number.
    public init(clipNorm: Double) throws(PrivacyError) {
        try ArgumentCheck.positive(clipNorm, "clipNorm", of: "update clipper")
        self.clipNorm = clipNorm
    }

    /// The clipping factor for an update of L2 norm `norm`: norm > 0 ? min(1, C/norm) : 1.
    public static func factor(norm: Double, clipNorm: Double) -> Double {
        norm > 0 ? min(1, clipNorm / norm) : 1
    }

    /// ‖v‖₂, accumulated in Double.
    public static func l2Norm(_ v: [Float]) -> Double {
        v.withUnsafeBufferPointer { p in
            var s0 = 0.0, s1 = 0.0
            var i = 0
            while i + 1 < p.count {
                let a = Double(p[i]), b = Double(p[i + 1])
                s0 += a * a
                s1 += b * b
                i += 2
            }
            if i < p.count { s0 += Double(p[i]) * Double(p[i]) }
            return (s0 + s1).squareRoot()
        }
    }

    /// Clips `update` in place to L2 norm at most C.
    /// - Parameter update: the update, scaled by min(1, C/‖update‖₂).
    /// - Returns: its norm before clipping, the factor and whether it was clipped.
    @discardableResult
    public func clip(_ update: inout [Float]) -> ClipOutcome {
        let norm = Self.l2Norm(update)
        let factor = Self.factor(norm: norm, clipNorm: clipNorm)
        if factor < 1 {
            let f = Float(factor)
            update.withUnsafeMutableBufferPointer { p in
                for i in 0..<p.count { p[i] *= f }
            }
        }
        return ClipOutcome(norm: norm, factor: factor, wasClipped: factor < 1)
    }
}
