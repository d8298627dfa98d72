extension ModelReport {
    /// The report as GitHub-flavoured Markdown: headings, key/value and data tables (every cell
    /// escaped, every row as wide as its header), the ledger checkpoint in a fenced block.
    /// - Parameter chartLinks: When true, embeds each chart of `charts()` as an image link to its
    ///   `fileName`, for a caller that writes the SVG files beside the Markdown file.
    /// - Returns: The document, ending in a newline.
    public func markdown(chartLinks: Bool = false) -> String {
        let e = ReportEscaping.markdown
        var md = "# \(e(title))\n\n"
        md += "Run \(e(runID)), created \(e(created)).\n\n"

        md += "## Provenance\n\n"
        md += markdownTable(["field", "value"], [
            ["model SHA-256", provenance.modelSHA256],
            ["verifier key", provenance.verifierKey],
        ])
        md += "\nLedger checkpoint:\n\n" + ReportEscaping.markdownCodeBlock(provenance.ledgerCheckpoint) + "\n"

        md += "## Data fingerprints\n\n"
        md += dataFingerprints.isEmpty
            ? "No data fingerprints recorded.\n\n"
            : markdownTable(["node", "records", "Merkle root"], dataFingerprints.map { [$0.node, String($0.records), $0.root] })

        md += "## Training configuration\n\n"
        md += trainingConfiguration.isEmpty
            ? "No training configuration recorded.\n\n"
            : markdownTable(["setting", "value"], trainingConfiguration.map { [$0.key, $0.value] })

        md += "## Privacy budget\n\n"
        md += markdownTable(["setting", "value"], privacy.entries.map { [$0.key, $0.value] })

        md += "## Robustness\n\n"
        md += markdownTable(["setting", "value"], robustness.entries.map { [$0.key, $0.value] })

        md += "## Rounds\n\n"
        md += rounds.isEmpty
            ? "No rounds recorded.\n\n"
            : markdownTable(["round", "accuracy", "loss", "ε"], rounds.map { roundRow($0) })

        md += "## Per-node evaluation\n\n"
        md += evaluations.isEmpty
            ? "No node evaluations recorded.\n\n"
            : markdownTable(["node"] + metricNames + ["signature verified"], evaluations.map { evaluationRow($0) })

        md += "## Contribution\n\n"
        md += contributions.isEmpty
            ? "No contribution values computed.\n\n"
            : markdownTable(["node"] + contributionMethods, contributionRows())

        if chartLinks {
            md += "## Charts\n\n"
            for chart in charts() { md += "![\(e(chart.title))](\(chart.fileName))\n\n" }
        }
        return md
    }

    /// A table row for a round: missing metrics as `–`.
    func roundRow(_ r: ReportRound) -> [String] {
        [String(r.round), optionalCell(r.accuracy), optionalCell(r.loss), optionalCell(r.epsilon)]
    }

    /// A table row for a node evaluation, one cell per name of `metricNames`.
    func evaluationRow(_ ev: NodeEvaluation) -> [String] {
        let cells = metricNames.map { name in optionalCell(ev.metrics.first { $0.name == name }?.value) }
        return [ev.node] + cells + [ev.signatureVerified ? "yes" : "no"]
    }

    /// One row per node: its value under each method of `contributionMethods`.
    func contributionRows() -> [[String]] {
        contributionNodes.map { node in
            [node] + contributionMethods.map { method in
                optionalCell(contributions.first { $0.node == node && $0.method == method }?.value)
            }
        }
    }
}

/// `–` for a missing value, else the value as a table cell.
func optionalCell(_ value: Double?) -> String {
    value.map(ReportNumber.cell) ?? "–"
}

/// A Markdown table with escaped cells; rows are padded or cut to the header's width.
func markdownTable(_ header: [String], _ rows: [[String]]) -> String {
    func line(_ cells: [String]) -> String {
        let fitted = (0..<header.count).map { $0 < cells.count ? cells[$0] : "" }
        return "| " + fitted.map(ReportEscaping.markdown).joined(separator: " | ") + " |\n"
    }
    var out = line(header)
    out += "|" + String(repeating: " --- |", count: header.count) + "\n"
    for row in rows { out += line(row) }
    return out + "\n"
}
