import FedReport
import Testing

@Suite struct ModelReportTests {
    static let nasty = "<script>alert('x')</script> & \"Co\" | *bold*"

    static func sample(privacy: PrivacyBudget = .differentialPrivacy(epsilon: 2.5, delta: 1e-5, noiseMultiplier: 1.1, clipNorm: 1)) -> ModelReport {
        ModelReport(
            title: "Heart Disease <4 hospitals>", runID: "run-42", created: "2026-11-29T10:30:00Z",
            provenance: ReportProvenance(
                ledgerCheckpoint: "feddata.ledger/v1\n10\nq1w2e3==\n\n— signed ```", modelSHA256: "ab" + String(repeating: "0", count: 62),
                verifierKey: "ed25519:Zm9v"),
            dataFingerprints: [
                ReportFingerprint(node: "cleveland", records: 303, root: "11aa"),
                ReportFingerprint(node: nasty, records: 123, root: "22bb"),
            ],
            trainingConfiguration: [ReportEntry("learning rate", "0.05"), ReportEntry("rounds", "10"), ReportEntry("model", "logistic|regression")],
            privacy: privacy,
            robustness: RobustnessSettings(strategy: "trimmed mean (β = 0.1)", secureAggregation: true, rejectedUpdates: 2),
            rounds: [
                ReportRound(round: 1, accuracy: 0.61, loss: 0.68, epsilon: 0.8),
                ReportRound(round: 2, accuracy: 0.72, loss: .nan, epsilon: 1.2),
                ReportRound(round: 3, accuracy: nil, loss: 0.51),
                ReportRound(round: 4, accuracy: 0.80, loss: 0.47, epsilon: 2.5),
            ],
            evaluations: [
                NodeEvaluation(node: "cleveland", metrics: [.init("accuracy", 0.83), .init("loss", 0.42)], signatureVerified: true),
                NodeEvaluation(node: nasty, metrics: [.init("accuracy", 0.79), .init("AUC", 0.88)], signatureVerified: false),
            ],
            contributions: [
                NodeContribution(node: "cleveland", method: "GTG-Shapley", value: 0.12),
                NodeContribution(node: nasty, method: "GTG-Shapley", value: -0.03),
                NodeContribution(node: "cleveland", method: "leave-one-out", value: 0.05),
                NodeContribution(node: nasty, method: "leave-one-out", value: .infinity),
            ])
    }

    /// The number of `|` not escaped by a backslash.
    static func unescapedPipes(_ line: Substring) -> Int {
        var count = 0, escaped = false
        for ch in line {
            if escaped { escaped = false } else if ch == "\\" { escaped = true } else if ch == "|" { count += 1 }
        }
        return count
    }

    @Test func markdownTablesAreWellFormed() throws {
        let md = Self.sample().markdown()
        let lines = md.split(separator: "\n", omittingEmptySubsequences: false)
        var tables = 0
        var i = 0
        while i < lines.count {
            guard lines[i].hasPrefix("|") else { i += 1; continue }
            // A table: header, separator, rows, then a blank line.
            let width = Self.unescapedPipes(lines[i])
            let separator = lines[i + 1]
            #expect(separator.hasPrefix("|") && separator.allSatisfy { "| -".contains($0) }, "separator: \(separator)")
            #expect(Self.unescapedPipes(separator) == width)
            var j = i + 1
            while j < lines.count, lines[j].hasPrefix("|") {
                #expect(Self.unescapedPipes(lines[j]) == width, "row \(lines[j]) has a different width than its header")
                #expect(lines[j].hasSuffix(" |") || lines[j].hasSuffix("--- |"))
                j += 1
            }
            #expect(j < lines.count && lines[j].isEmpty, "table must end with a blank line")
            tables += 1
            i = j
        }
        // provenance, fingerprints, configuration, privacy, robustness, rounds, evaluation, contribution
        #expect(tables == 8)
    }

    @Test func markdownContent() {
        let md = Self.sample().markdown()
        #expect(md.hasPrefix("# Heart Disease &lt;4 hospitals&gt;\n"))
        #expect(md.contains("| 2 | 0.7200 | NaN | 1.2000 |"))
        #expect(md.contains("| 3 | – | 0.5100 | – |"))
        #expect(md.contains("| node | accuracy | loss | AUC | signature verified |"))
        #expect(md.contains("| cleveland | 0.8300 | 0.4200 | – | yes |"))
        #expect(md.contains("| node | GTG-Shapley | leave-one-out |"))
        #expect(md.contains("| cleveland | 0.1200 | 0.0500 |"))
        #expect(md.contains("| δ (delta) | 1e-05 |"))
        #expect(md.contains("| secure aggregation | on |"))
        #expect(md.contains("| model | logistic\\|regression |"))
        #expect(md.contains("````text\nfeddata.ledger/v1\n"))  // fence outruns the ``` in the checkpoint
        #expect(!md.contains("<script>"))
        #expect(md.contains("&lt;script&gt;alert('x')&lt;/script&gt; &amp; \"Co\" \\| \\*bold\\*"))
        #expect(!md.contains("![") )
        #expect(Self.sample().markdown(chartLinks: true).contains("![Contribution per node (GTG-Shapley)](contribution-gtg-shapley.svg)"))
    }

    @Test func noPrivacySaysSo() {
        let report = Self.sample(privacy: .none)
        #expect(report.markdown().contains("| differential privacy | none |"))
        #expect(report.html().contains("<td>differential privacy</td><td>none</td>"))
    }

    @Test func htmlEscapesEveryNodeName() throws {
        let html = Self.sample().html()
        #expect(!html.contains("<script>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Co&quot; | *bold*"))
        #expect(html.contains("<title>Heart Disease &lt;4 hospitals&gt;</title>"))
        #expect(html.contains("<pre>feddata.ledger/v1\n10\nq1w2e3==\n\n— signed ```</pre>"))
    }

    @Test func htmlIsOneSelfContainedWellFormedFile() throws {
        let html = Self.sample().html()
        #expect(html.hasPrefix("<!DOCTYPE html>\n<html lang=\"en\">"))
        #expect(html.hasSuffix("</html>\n"))
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("href="))
        #expect(XMLCheck.parses(html))
        #expect(XMLCheck.balancedTags(html))
        // accuracy, loss, and one contribution chart per method
        #expect(XMLCheck.count("svg", in: html) == 4)
        #expect(html.components(separatedBy: "<svg ").count - 1 == 4)
        // 3 finite accuracies (round 3 has none); 3 finite losses (round 2 is NaN, skipped and noted)
        #expect(XMLCheck.count("circle", in: html) == 6)
        #expect(html.contains("1 non-finite value skipped"))
    }

    @Test func renderingIsDeterministic() {
        #expect(Self.sample().html() == Self.sample().html())
        #expect(Self.sample().markdown(chartLinks: true) == Self.sample().markdown(chartLinks: true))
    }

    @Test func chartsHaveSafeUniqueFileNames() {
        var report = Self.sample()
        report.contributions.append(NodeContribution(node: "a", method: "GTG Shapley", value: 1))  // same slug as GTG-Shapley
        let names = report.charts().map(\.fileName)
        #expect(names == [
            "accuracy-per-round.svg", "loss-per-round.svg", "contribution-gtg-shapley.svg",
            "contribution-leave-one-out.svg", "contribution-gtg-shapley-2.svg",
        ])
        #expect(names.allSatisfy { $0.allSatisfy { "abcdefghijklmnopqrstuvwxyz0123456789-.".contains($0) } })
    }

    @Test func emptyReportStillRenders() {
        let report = ModelReport(
            title: "", runID: "", created: "", provenance: ReportProvenance(ledgerCheckpoint: "", modelSHA256: "", verifierKey: ""),
            robustness: RobustnessSettings(strategy: "FedAvg", secureAggregation: false, rejectedUpdates: 0))
        let md = report.markdown(), html = report.html()
        #expect(md.contains("No rounds recorded.") && md.contains("No contribution values computed."))
        #expect(report.charts().map(\.fileName) == ["accuracy-per-round.svg", "contribution-per-node.svg"])
        #expect(html.components(separatedBy: ">no data</text>").count - 1 == 2)
        #expect(XMLCheck.parses(html))
        #expect(XMLCheck.balancedTags(html))
    }
}
