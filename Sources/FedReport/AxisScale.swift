/// A linear axis with "nice" tick marks (1, 2 or 5 × 10^k apart) covering a data range.
struct AxisScale: Equatable {
    /// The axis' lower and upper ends (both tick values).
    let lower: Double, upper: Double
    /// Tick positions from `lower` to `upper`.
    let ticks: [Double]
    /// Digits after the point that label every tick exactly.
    let places: Int

    /// A scale covering `[low, high]` (finite, `low ≤ high`) with about `target` intervals.
    /// With `integral`, ticks are at least 1 apart (for counts such as round numbers).
    init(low: Double, high: Double, target: Int = 5, integral: Bool = false) {
        precondition(low.isFinite && high.isFinite && low <= high, "AxisScale: bad range [\(low), \(high)]")
        var lo = low, hi = high
        if lo == hi {  // a flat series: open the range around the value
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad
            hi += pad
        }
        let rough = (hi - lo) / Double(max(1, target))
        guard rough.isFinite, rough > 0 else {
            // Extreme magnitudes whose range overflows: two ticks at the (clamped) data ends.
            let limit = Double.greatestFiniteMagnitude / 4
            lower = max(lo, -limit)
            upper = max(min(hi, limit), lower + 1)
            ticks = [lower, upper]
            places = 0
            return
        }
        // rough = m · 10^e with 1 ≤ m < 10, found without libm.
        var e = 0
        var mag = 1.0
        while rough >= mag * 10 { mag *= 10; e += 1 }
        while rough < mag { mag = AxisScale.power10(e - 1); e -= 1 }
        let m = rough / mag
        var mantissa: Double
        if m < 1.5 { mantissa = 1 } else if m < 3 { mantissa = 2 } else if m < 7 { mantissa = 5 } else { mantissa = 1; e += 1 }
        if integral && e < 0 { mantissa = 1; e = 0 }
        let step = mantissa * AxisScale.power10(e)
        // A data end within 1e-9 of a tick counts as on it (0.80 / 0.05 = 16.000000000000004).
        let first = (lo / step + 1e-9).rounded(.down), last = (hi / step - 1e-9).rounded(.up)
        let count = Int(last - first)
        ticks = (0...count).map { (first + Double($0)) * step }
        lower = ticks.first!
        upper = ticks.last!
        places = max(0, -e)
    }

    /// 10^e for an integer exponent, from exact powers of ten.
    static func power10(_ e: Int) -> Double {
        var p = 1.0
        for _ in 0..<abs(e) { p *= 10 }
        return e >= 0 ? p : 1 / p
    }

    /// The position of `value` on a screen axis from `start` (at `lower`) to `end` (at `upper`).
    func map(_ value: Double, from start: Double, to end: Double) -> Double {
        start + (value - lower) / (upper - lower) * (end - start)
    }

    /// The label of a tick.
    func label(_ value: Double) -> String { ReportNumber.fixed(value, places: places) }
}
