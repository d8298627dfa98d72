/// Deterministic number formatting for reports and charts: the same value gives the same text
/// on every platform and locale (no `printf`, no locale), so reports can be compared byte for byte.
public enum ReportNumber {
    /// `value` with exactly `places` digits after the decimal point, rounded half away from zero:
    /// `fixed(0.85316, places: 3) == "0.853"`, `fixed(-2, places: 1) == "-2.0"`.
    /// Non-finite values read `NaN`, `inf` and `-inf`; magnitudes of 2^53 / 10^places and more
    /// fall back to Swift's shortest round-trip form.
    /// - Parameters:
    ///   - value: The number.
    ///   - places: Digits after the point, `0...15`.
    public static func fixed(_ value: Double, places: Int) -> String {
        precondition((0...15).contains(places), "ReportNumber.fixed: \(places) places, expected 0...15")
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-inf" : "inf" }
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        let scaled = (abs(value) * scale).rounded(.toNearestOrAwayFromZero)
        guard scaled < 9_007_199_254_740_992 else { return "\(value)" }
        let digits = UInt64(scaled)
        let unit = UInt64(scale)
        let whole = digits / unit, fraction = digits % unit
        var text = (value < 0 && digits != 0 ? "-" : "") + String(whole)
        if places > 0 {
            let f = String(fraction)
            text += "." + String(repeating: "0", count: places - f.count) + f
        }
        return text
    }

    /// A value for a table cell: four decimals for ordinary magnitudes (`0.8532`), Swift's
    /// shortest form for very small or very large ones (`1e-05`, `2500000.0`), `0` for zero.
    /// - Parameter value: The number.
    public static func cell(_ value: Double) -> String {
        if value == 0 { return "0" }
        if value.isFinite, abs(value) < 1e-3 || abs(value) >= 1e6 { return "\(value)" }
        return fixed(value, places: 4)
    }
}
