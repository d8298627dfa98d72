/// Self-contained SVG charts for model reports: a line chart (e.g. accuracy per round) and a
/// bar chart (e.g. contribution per node, negative bars below the zero line), with axes, ticks,
/// labels and a title. Output is deterministic (fixed-decimal coordinates, input order kept),
/// all text is escaped, and the markup is well-formed XML. Non-finite values are skipped and
/// the chart says how many; an empty series draws a "no data" chart.
public struct SVGChart: Sendable, Equatable {
    /// A point of a line chart.
    public struct Point: Sendable, Equatable {
        /// The horizontal value (e.g. the round).
        public var x: Double
        /// The vertical value (e.g. the accuracy).
        public var y: Double
        /// Creates a point.
        /// - Parameters:
        ///   - x: The horizontal value.
        ///   - y: The vertical value.
        public init(x: Double, y: Double) {
            self.x = x
            self.y = y
        }
    }

    /// A bar of a bar chart.
    public struct Bar: Sendable, Equatable {
        /// The category label under the bar (e.g. the node name).
        public var label: String
        /// The bar's value; negative values hang below the zero line.
        public var value: Double
        /// Creates a bar.
        /// - Parameters:
        ///   - label: The category label.
        ///   - value: The bar's value.
        public init(label: String, value: Double) {
            self.label = label
            self.value = value
        }
    }

    /// The image width in pixels.
    public var width: Int
    /// The image height in pixels.
    public var height: Int

    /// Creates a chart renderer.
    /// - Parameters:
    ///   - width: Width in pixels, at least 200.
    ///   - height: Height in pixels, at least 150.
    public init(width: Int = 640, height: Int = 320) {
        self.width = max(200, width)
        self.height = max(150, height)
    }

    // Plot-area margins: room for the title (top), tick labels and axis titles.
    private var left: Double { 72 }
    private var right: Double { Double(width) - 20 }
    private var top: Double { 40 }
    private var bottom: Double { Double(height) - 56 }

    /// A line chart of `points` in the given order, one marker (`<circle class="point">`) per
    /// point whose coordinates are both finite.
    /// - Parameters:
    ///   - title: The chart title.
    ///   - xLabel: The horizontal axis title.
    ///   - yLabel: The vertical axis title.
    ///   - points: The series; non-finite points are skipped and counted in a note.
    /// - Returns: An `<svg>` element as text.
    public func line(title: String, xLabel: String, yLabel: String, points: [Point]) -> String {
        let finite = points.filter { $0.x.isFinite && $0.y.isFinite }
        var svg = open(title: title)
        svg += axisTitles(x: xLabel, y: yLabel)
        if finite.isEmpty {
            svg += frame() + noData()
        } else {
            let xs = AxisScale(
                low: finite.map(\.x).min()!, high: finite.map(\.x).max()!,
                integral: finite.allSatisfy { $0.x == $0.x.rounded() })
            let ys = AxisScale(low: finite.map(\.y).min()!, high: finite.map(\.y).max()!)
            svg += yTicks(ys) + xTicks(xs) + frame()
            let coords = finite.map { (xs.map($0.x, from: left, to: right), ys.map($0.y, from: bottom, to: top)) }
            svg += "<polyline class=\"series\" fill=\"none\" stroke=\"#2563eb\" stroke-width=\"2\" points=\""
            svg += coords.map { "\(n($0.0)),\(n($0.1))" }.joined(separator: " ") + "\"/>\n"
            for (p, c) in zip(finite, coords) {
                svg += "<circle class=\"point\" cx=\"\(n(c.0))\" cy=\"\(n(c.1))\" r=\"3.5\" fill=\"#2563eb\">"
                svg += "<title>\(esc(xLabel)) \(esc(whole(p.x))): \(esc(ReportNumber.cell(p.y)))</title></circle>\n"
            }
        }
        svg += skippedNote(points.count - finite.count)
        return svg + "</svg>\n"
    }

    /// A bar chart of `bars` in the given order, one `<rect class="bar">` per finite value,
    /// rising from the zero line for positive values and hanging below it for negative ones.
    /// - Parameters:
    ///   - title: The chart title.
    ///   - yLabel: The vertical axis title.
    ///   - bars: The categories and values; non-finite values are skipped and counted in a note.
    /// - Returns: An `<svg>` element as text.
    public func bars(title: String, yLabel: String, bars: [Bar]) -> String {
        let finite = bars.filter { $0.value.isFinite }
        var svg = open(title: title)
        svg += axisTitles(x: nil, y: yLabel)
        if finite.isEmpty {
            svg += frame() + noData()
        } else {
            let ys = AxisScale(low: min(0, finite.map(\.value).min()!), high: max(0, finite.map(\.value).max()!))
            svg += yTicks(ys) + frame()
            let zero = ys.map(0, from: bottom, to: top)
            let slot = (right - left) / Double(finite.count)
            let barWidth = max(2, slot * 0.6)
            for (i, bar) in finite.enumerated() {
                let x = left + slot * Double(i) + (slot - barWidth) / 2
                let y = ys.map(bar.value, from: bottom, to: top)
                let (yTop, h) = bar.value >= 0 ? (y, zero - y) : (zero, y - zero)
                let colour = bar.value >= 0 ? "#16a34a" : "#dc2626"
                svg += "<rect class=\"bar\" x=\"\(n(x))\" y=\"\(n(yTop))\" width=\"\(n(barWidth))\" height=\"\(n(h))\" fill=\"\(colour)\">"
                svg += "<title>\(esc(bar.label)): \(esc(ReportNumber.cell(bar.value)))</title></rect>\n"
                let cx = left + slot * (Double(i) + 0.5)
                svg += text("category", x: cx, y: bottom + 16, anchor: "middle", size: 11, shortened(bar.label, slot: slot))
            }
            // The zero line, drawn over the bars.
            svg += line("zero", x1: left, y1: zero, x2: right, y2: zero, stroke: "#111827", width: 1.5)
        }
        svg += skippedNote(bars.count - finite.count)
        return svg + "</svg>\n"
    }

    // MARK: pieces

    private func open(title: String) -> String {
        var s = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\""
        s += " role=\"img\" aria-label=\"\(esc(title))\" font-family=\"sans-serif\">\n"
        s += "<title>\(esc(title))</title>\n"
        s += "<rect x=\"0\" y=\"0\" width=\"\(width)\" height=\"\(height)\" fill=\"#ffffff\"/>\n"
        s += text("title", x: Double(width) / 2, y: 24, anchor: "middle", size: 15, attributes: " font-weight=\"bold\"", title)
        return s
    }

    private func frame() -> String {
        line("axis", x1: left, y1: bottom, x2: right, y2: bottom, stroke: "#111827")
            + line("axis", x1: left, y1: top, x2: left, y2: bottom, stroke: "#111827")
    }

    private func axisTitles(x: String?, y: String) -> String {
        var s = ""
        if let x {
            s += text("axis-title", x: (left + right) / 2, y: Double(height) - 12, anchor: "middle", size: 12, x)
        }
        let cy = (top + bottom) / 2
        s += text("axis-title", x: 16, y: cy, anchor: "middle", size: 12, attributes: " transform=\"rotate(-90 16 \(n(cy)))\"", y)
        return s
    }

    private func yTicks(_ scale: AxisScale) -> String {
        var s = ""
        for t in scale.ticks {
            let y = scale.map(t, from: bottom, to: top)
            s += line("grid", x1: left, y1: y, x2: right, y2: y, stroke: "#e5e7eb")
            s += line("tick", x1: left - 5, y1: y, x2: left, y2: y, stroke: "#111827")
            s += text("tick-label", x: left - 8, y: y + 4, anchor: "end", size: 11, scale.label(t))
        }
        return s
    }

    private func xTicks(_ scale: AxisScale) -> String {
        var s = ""
        for t in scale.ticks {
            let x = scale.map(t, from: left, to: right)
            s += line("tick", x1: x, y1: bottom, x2: x, y2: bottom + 5, stroke: "#111827")
            s += text("tick-label", x: x, y: bottom + 18, anchor: "middle", size: 11, scale.label(t))
        }
        return s
    }

    private func noData() -> String {
        text("note", x: (left + right) / 2, y: (top + bottom) / 2, anchor: "middle", size: 13, attributes: " fill=\"#6b7280\"", "no data")
    }

    private func skippedNote(_ skipped: Int) -> String {
        guard skipped > 0 else { return "" }
        let what = skipped == 1 ? "1 non-finite value skipped" : "\(skipped) non-finite values skipped"
        return text("note", x: right, y: Double(height) - 12, anchor: "end", size: 11, attributes: " fill=\"#b45309\"", what)
    }

    /// A label cut with an ellipsis to fit its slot (about 6.5 px a character at 11 px, at most
    /// 14 characters); the full label is in the bar's tooltip.
    private func shortened(_ label: String, slot: Double) -> String {
        let limit = max(3, min(14, Int(slot / 6.5)))
        return label.count <= limit ? label : String(label.prefix(limit - 1)) + "…"
    }

    /// A `<text>` element at (`x`, `y`); `content` is escaped here.
    private func text(
        _ cls: String, x: Double, y: Double, anchor: String, size: Int, attributes: String = "", _ content: String
    ) -> String {
        "<text class=\"\(cls)\" x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\" font-size=\"\(size)\"\(attributes)>"
            + esc(content) + "</text>\n"
    }

    /// A `<line>` element from (`x1`, `y1`) to (`x2`, `y2`).
    private func line(
        _ cls: String, x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double? = nil
    ) -> String {
        let w = width.map { " stroke-width=\"\(n($0))\"" } ?? ""
        return "<line class=\"\(cls)\" x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\"\(w)/>\n"
    }

    /// An integral value without decimals (`3`), otherwise a table cell (`2.5000`).
    private func whole(_ v: Double) -> String {
        v == v.rounded() && abs(v) < 1e15 ? String(Int64(v)) : ReportNumber.cell(v)
    }

    private func n(_ v: Double) -> String { ReportNumber.fixed(v, places: 2) }
    private func esc(_ s: String) -> String { ReportEscaping.html(s) }
}
