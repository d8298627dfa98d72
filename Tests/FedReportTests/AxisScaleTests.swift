@testable import FedReport
import Testing

@Suite struct AxisScaleTests {
    @Test func unitRange() {
        let s = AxisScale(low: 0, high: 1)
        #expect(s.ticks.map(s.label) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
    }

    @Test func narrowAccuracyRange() {
        // rough step 0.06 / 5 = 0.012 → nice step 0.01.
        let s = AxisScale(low: 0.81, high: 0.87)
        #expect(s.ticks.map(s.label) == ["0.81", "0.82", "0.83", "0.84", "0.85", "0.86", "0.87"])
    }

    @Test func negativeToPositive() {
        // rough step 7.72 / 5 = 1.544 → 2; floor(−4.42/2) = −3, ceil(3.3/2) = 2.
        let s = AxisScale(low: -4.42, high: 3.3)
        #expect(s.ticks.map(s.label) == ["-6", "-4", "-2", "0", "2", "4"])
        #expect(s.map(-6, from: 100, to: 0) == 100 && s.map(4, from: 100, to: 0) == 0)
    }

    @Test func flatSeriesIsOpenedAroundItsValue() {
        let s = AxisScale(low: 0.5, high: 0.5)  // → [0.45, 0.55], step 0.02
        #expect(s.lower < 0.5 && s.upper > 0.5)
        #expect(s.ticks.map(s.label) == ["0.44", "0.46", "0.48", "0.50", "0.52", "0.54", "0.56"])
        let z = AxisScale(low: 0, high: 0)
        #expect(z.lower == -1 && z.upper == 1)
    }

    @Test func overflowingRangeStillGivesTwoTicks() {
        let s = AxisScale(low: -1e308, high: 1e308)
        #expect(s.ticks.count == 2 && s.lower.isFinite && s.upper.isFinite && s.lower < s.upper)
    }
}
