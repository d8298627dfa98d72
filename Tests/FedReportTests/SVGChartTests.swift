import FedReport
import Testing

@Suite struct SVGChartTests {
    static let accuracy: [SVGChart.Point] = [
        .init(x: 1, y: 0.61), .init(x: 2, y: 0.72), .init(x: 3, y: .nan), .init(x: 4, y: 0.80), .init(x: .infinity, y: 0.9),
    ]

    static func occurrences(_ needle: String, _ text: String) -> Int {
        text.components(separatedBy: needle).count - 1
    }

    @Test func oneMarkerPerFiniteValueAndANoteForTheRest() throws {
        let svg = SVGChart().line(title: "Accuracy", xLabel: "round", yLabel: "accuracy", points: Self.accuracy)
        #expect(Self.occurrences("<circle class=\"point\"", svg) == 3)
        #expect(svg.contains("2 non-finite values skipped"))
        #expect(!svg.contains("NaN") && !svg.contains("inf"))
        #expect(XMLCheck.parses(svg))
        #expect(XMLCheck.count("circle", in: svg) == 3)
        #expect(XMLCheck.balancedTags(svg))
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    }

    @Test func lineChartHasAxesTicksAndLabels() {
        let svg = SVGChart().line(title: "Accuracy", xLabel: "round", yLabel: "accuracy", points: Self.accuracy)
        #expect(Self.occurrences("<line class=\"axis\"", svg) == 2)
        #expect(svg.contains(">round</text>") && svg.contains(">accuracy</text>"))
        // y: 0.61…0.80 → step 0.05 (rough 0.038): 0.60 … 0.80; x: 1…4 → step 1 (rough 0.6): 1 … 4.
        for label in ["0.60", "0.65", "0.70", "0.75", "0.80", ">1<", ">4<"] { #expect(svg.contains(label), "\(label)") }
    }

    @Test func outputIsDeterministic() {
        let a = SVGChart().line(title: "A", xLabel: "x", yLabel: "y", points: Self.accuracy)
        let b = SVGChart().line(title: "A", xLabel: "x", yLabel: "y", points: Self.accuracy)
        #expect(a == b)
        let bars: [SVGChart.Bar] = [.init(label: "a", value: 1), .init(label: "b", value: -0.5)]
        #expect(SVGChart().bars(title: "B", yLabel: "v", bars: bars) == SVGChart().bars(title: "B", yLabel: "v", bars: bars))
    }

    @Test func emptySeriesSaysNoData() {
        let line = SVGChart().line(title: "Empty", xLabel: "x", yLabel: "y", points: [])
        let bars = SVGChart().bars(title: "Empty", yLabel: "y", bars: [.init(label: "n", value: .nan)])
        for svg in [line, bars] {
            #expect(svg.contains(">no data</text>"))
            #expect(XMLCheck.parses(svg))
            #expect(XMLCheck.balancedTags(svg))
        }
        #expect(!line.contains("skipped"))
        #expect(bars.contains("1 non-finite value skipped"))
    }

    /// Bars rise from the zero line or hang below it: a positive bar ends at zero, a negative
    /// bar starts there. With values 2 and −1 the axis runs −1…2 (step 0.5, rough 0.6).
    @Test func negativeBarsHangBelowTheZeroLine() throws {
        let chart = SVGChart(width: 640, height: 320)  // plot area y from 40 (top) to 264 (bottom)
        let svg = chart.bars(title: "Contribution", yLabel: "value", bars: [
            .init(label: "good", value: 2), .init(label: "noisy", value: -1),
        ])
        // zero at 264 − (0 − (−1)) / 3 · 224 = 189.33
        #expect(svg.contains("<line class=\"zero\" x1=\"72.00\" y1=\"189.33\" x2=\"620.00\" y2=\"189.33\""))
        // good: top 40.00, height 149.33 (ends at the zero line); noisy: top 189.33, height 74.67
        #expect(svg.contains("y=\"40.00\" width=\"164.40\" height=\"149.33\" fill=\"#16a34a\""))
        #expect(svg.contains("y=\"189.33\" width=\"164.40\" height=\"74.67\" fill=\"#dc2626\""))
        #expect(Self.occurrences("<rect class=\"bar\"", svg) == 2)
        #expect(XMLCheck.count("rect", in: svg) == 3)  // 2 bars + background
    }

    @Test func labelsAreEscaped() {
        let svg = SVGChart().bars(title: "T <&>\"'", yLabel: "y", bars: [.init(label: "<script>&\"'", value: 1)])
        #expect(!svg.contains("<script>"))
        #expect(svg.contains("&lt;script&gt;&amp;&quot;&#39;"))
        #expect(svg.contains("T &lt;&amp;&gt;&quot;&#39;"))
        #expect(XMLCheck.parses(svg))
    }

    /// Ten bars share 548 px: slots of 54.8 px fit 8 characters (54.8 / 6.5), so long names are
    /// cut to 7 and an ellipsis; the full name stays in the tooltip.
    @Test func longLabelsAreCutToTheirSlot() {
        let bars = (0..<10).map { SVGChart.Bar(label: "hospital-\($0)-long-name", value: Double($0)) }
        let svg = SVGChart().bars(title: "T", yLabel: "y", bars: bars)
        #expect(svg.contains(">hospita…</text>"))
        #expect(svg.contains("<title>hospital-3-long-name: 3.0000</title>"))
        #expect(Self.occurrences("<rect class=\"bar\"", svg) == 10)
    }
}
