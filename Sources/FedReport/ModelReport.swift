/// A model report (a "model card" for a federated run): where the model came from, what data
/// and configuration trained it, its privacy and robustness guarantees, how it did per round
/// and per node, and what each node contributed. Pure data; `markdown()` and `html()` render
/// it, `charts()` draws its SVG charts. Rendering is deterministic and escapes all text.
public struct ModelReport: Sendable, Equatable {
    /// The report's title, e.g. `Heart Disease, 4 hospitals`.
    public var title: String
    /// The run's identifier.
    public var runID: String
    /// When the report was created, as given (e.g. ISO 8601); the renderer never reads a clock.
    public var created: String
    /// Ledger checkpoint, model hash and verifier key.
    public var provenance: ReportProvenance
    /// Each node's data fingerprint.
    public var dataFingerprints: [ReportFingerprint]
    /// The training configuration, in the order given.
    public var trainingConfiguration: [ReportEntry]
    /// The differential-privacy budget, or none.
    public var privacy: PrivacyBudget
    /// Strategy, secure aggregation and rejected updates.
    public var robustness: RobustnessSettings
    /// Global metrics per round.
    public var rounds: [ReportRound]
    /// Each node's evaluation of the final model.
    public var evaluations: [NodeEvaluation]
    /// Contribution values per node and method.
    public var contributions: [NodeContribution]

    /// Creates a report.
    /// - Parameters:
    ///   - title: The title.
    ///   - runID: The run's identifier.
    ///   - created: The creation time, as text.
    ///   - provenance: Ledger checkpoint, model hash, verifier key.
    ///   - dataFingerprints: Per-node data fingerprints.
    ///   - trainingConfiguration: Training settings, in order.
    ///   - privacy: The privacy budget.
    ///   - robustness: The robustness settings.
    ///   - rounds: Per-round metrics.
    ///   - evaluations: Per-node evaluations.
    ///   - contributions: Per-node contribution values.
    public init(
        title: String, runID: String, created: String, provenance: ReportProvenance,
        dataFingerprints: [ReportFingerprint] = [], trainingConfiguration: [ReportEntry] = [],
        privacy: PrivacyBudget = .none, robustness: RobustnessSettings,
        rounds: [ReportRound] = [], evaluations: [NodeEvaluation] = [], contributions: [NodeContribution] = []
    ) {
        self.title = title
        self.runID = runID
        self.created = created
        self.provenance = provenance
        self.dataFingerprints = dataFingerprints
        self.trainingConfiguration = trainingConfiguration
        self.privacy = privacy
        self.robustness = robustness
        self.rounds = rounds
        self.evaluations = evaluations
        self.contributions = contributions
    }

    /// The contribution methods, in first-seen order.
    var contributionMethods: [String] { firstSeen(contributions.map(\.method)) }

    /// The metric names across all node evaluations, in first-seen order.
    var metricNames: [String] { firstSeen(evaluations.flatMap { $0.metrics.map(\.name) }) }

    /// The nodes that have a contribution value, in first-seen order.
    var contributionNodes: [String] { firstSeen(contributions.map(\.node)) }

    /// The report's charts: accuracy per round, loss per round (when any loss was recorded),
    /// and one contribution-per-node bar chart per method (one empty chart when there are none).
    /// - Parameter chart: The renderer (size).
    public func charts(_ chart: SVGChart = SVGChart()) -> [ReportChart] {
        var out: [ReportChart] = []
        let accuracy = rounds.compactMap { r in r.accuracy.map { SVGChart.Point(x: Double(r.round), y: $0) } }
        out.append(ReportChart(
            fileName: "accuracy-per-round.svg", title: "Accuracy per round",
            svg: chart.line(title: "Accuracy per round", xLabel: "round", yLabel: "accuracy", points: accuracy)))
        let loss = rounds.compactMap { r in r.loss.map { SVGChart.Point(x: Double(r.round), y: $0) } }
        if !loss.isEmpty {
            out.append(ReportChart(
                fileName: "loss-per-round.svg", title: "Loss per round",
                svg: chart.line(title: "Loss per round", xLabel: "round", yLabel: "loss", points: loss)))
        }
        let methods = contributionMethods
        if methods.isEmpty {
            out.append(ReportChart(
                fileName: "contribution-per-node.svg", title: "Contribution per node",
                svg: chart.bars(title: "Contribution per node", yLabel: "contribution", bars: [])))
        }
        var usedNames: Set<String> = []
        for method in methods {
            let bars = contributions.filter { $0.method == method }.map { SVGChart.Bar(label: $0.node, value: $0.value) }
            let title = "Contribution per node (\(method))"
            var name = "contribution-" + slug(method)
            var k = 2
            while usedNames.contains(name) { name = "contribution-" + slug(method) + "-\(k)"; k += 1 }
            usedNames.insert(name)
            out.append(ReportChart(
                fileName: name + ".svg", title: title, svg: chart.bars(title: title, yLabel: "contribution", bars: bars)))
        }
        return out
    }
}

/// One rendered chart of a report, with a file name to store it under beside a Markdown report.
public struct ReportChart: Sendable, Equatable {
    /// A safe file name (`[a-z0-9-]` and `.svg`), unique within the report.
    public var fileName: String
    /// The chart's title.
    public var title: String
    /// The `<svg>` element.
    public var svg: String
}

/// The distinct elements of `items` in first-seen order.
func firstSeen(_ items: [String]) -> [String] {
    var seen: Set<String> = []
    return items.filter { seen.insert($0).inserted }
}

/// `text` lower-cased with runs of anything but ASCII letters and digits turned into one `-`.
func slug(_ text: String) -> String {
    var out = ""
    for ch in text.lowercased().unicodeScalars {
        if ("a"..."z").contains(ch) || ("0"..."9").contains(ch) {
            out.unicodeScalars.append(ch)
        } else if !out.isEmpty, !out.hasSuffix("-") {
            out += "-"
        }
    }
    while out.hasSuffix("-") { out.removeLast() }
    return out.isEmpty ? "method" : out
}
