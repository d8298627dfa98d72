import FedReport
import Testing

@Suite struct ReportNumberTests {
    @Test(arguments: [
        (0.85316, 3, "0.853"), (-2.0, 1, "-2.0"), (0.125, 2, "0.13"), (-0.125, 2, "-0.13"),
        (12.0, 0, "12"), (-0.001, 2, "0.00"), (1.5, 0, "2"), (0.05, 4, "0.0500"), (123456.789, 2, "123456.79"),
    ])
    func fixedDecimals(value: Double, places: Int, expected: String) {
        #expect(ReportNumber.fixed(value, places: places) == expected)
    }

    @Test func nonFiniteAndHuge() {
        #expect(ReportNumber.fixed(.nan, places: 2) == "NaN")
        #expect(ReportNumber.fixed(.infinity, places: 2) == "inf")
        #expect(ReportNumber.fixed(-.infinity, places: 2) == "-inf")
        #expect(ReportNumber.fixed(1e300, places: 2) == "1e+300")
    }

    @Test func cells() {
        #expect(ReportNumber.cell(0) == "0")
        #expect(ReportNumber.cell(0.85316) == "0.8532")
        #expect(ReportNumber.cell(1e-5) == "1e-05")
        #expect(ReportNumber.cell(2.5e6) == "2500000.0")
        #expect(ReportNumber.cell(-4.42227) == "-4.4223")
    }
}
