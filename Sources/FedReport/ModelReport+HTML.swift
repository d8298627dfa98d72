extension ModelReport {
    /// The report as one self-contained HTML file: inline CSS, the charts of `charts()` as
    /// inline SVG, no scripts and no external resources. All text is HTML-escaped, and the
    /// markup is also well-formed XML (void elements self-closed, no named entities beyond XML's).
    /// - Returns: The document, ending in a newline.
    public func html() -> String {
        let e = ReportEscaping.html
        var h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n"
        h += "<title>\(e(title))</title>\n<style>\n" + Self.css + "</style>\n</head>\n<body>\n"
        h += "<h1>\(e(title))</h1>\n<p class=\"meta\">Run <code>\(e(runID))</code>, created \(e(created)).</p>\n"

        h += "<h2>Provenance</h2>\n"
        h += htmlTable(["field", "value"], [["model SHA-256", provenance.modelSHA256], ["verifier key", provenance.verifierKey]])
        h += "<p>Ledger checkpoint:</p>\n<pre>\(e(provenance.ledgerCheckpoint))</pre>\n"

        h += "<h2>Data fingerprints</h2>\n"
        h += dataFingerprints.isEmpty
            ? "<p>No data fingerprints recorded.</p>\n"
            : htmlTable(["node", "records", "Merkle root"], dataFingerprints.map { [$0.node, String($0.records), $0.root] })

        h += "<h2>Training configuration</h2>\n"
        h += trainingConfiguration.isEmpty
            ? "<p>No training configuration recorded.</p>\n"
            : htmlTable(["setting", "value"], trainingConfiguration.map { [$0.key, $0.value] })

        h += "<h2>Privacy budget</h2>\n" + htmlTable(["setting", "value"], privacy.entries.map { [$0.key, $0.value] })
        h += "<h2>Robustness</h2>\n" + htmlTable(["setting", "value"], robustness.entries.map { [$0.key, $0.value] })

        h += "<h2>Rounds</h2>\n"
        h += rounds.isEmpty ? "<p>No rounds recorded.</p>\n" : htmlTable(["round", "accuracy", "loss", "ε"], rounds.map { roundRow($0) })

        h += "<h2>Per-node evaluation</h2>\n"
        h += evaluations.isEmpty
            ? "<p>No node evaluations recorded.</p>\n"
            : htmlTable(["node"] + metricNames + ["signature verified"], evaluations.map { evaluationRow($0) })

        h += "<h2>Contribution</h2>\n"
        h += contributions.isEmpty
            ? "<p>No contribution values computed.</p>\n"
            : htmlTable(["node"] + contributionMethods, contributionRows())

        h += "<h2>Charts</h2>\n"
        for chart in charts() {
            h += "<figure>\n" + chart.svg + "<figcaption>\(e(chart.title))</figcaption>\n</figure>\n"
        }
        return h + "</body>\n</html>\n"
    }

    /// The inline style sheet (no `<` or `&`, so it is also valid XML character data).
    static let css = """
        body { font-family: system-ui, sans-serif; max-width: 960px; margin: 2em auto; padding: 0 1em; color: #111827; }
        table { border-collapse: collapse; margin: 0.5em 0 1.5em; }
        th, td { border: 1px solid #d1d5db; padding: 0.3em 0.7em; text-align: left; vertical-align: top; }
        td { font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
        th { background: #f3f4f6; }
        pre { background: #f9fafb; border: 1px solid #e5e7eb; padding: 0.7em; overflow-x: auto; }
        figure { margin: 1em 0; }
        figcaption { color: #4b5563; font-size: 0.9em; }
        .meta { color: #4b5563; }

        """
}

/// An HTML table with escaped cells; rows are padded or cut to the header's width.
func htmlTable(_ header: [String], _ rows: [[String]]) -> String {
    let e = ReportEscaping.html
    var out = "<table>\n<thead><tr>" + header.map { "<th>\(e($0))</th>" }.joined() + "</tr></thead>\n<tbody>\n"
    for row in rows {
        let fitted = (0..<header.count).map { $0 < row.count ? row[$0] : "" }
        out += "<tr>" + fitted.map { "<td>\(e($0))</td>" }.joined() + "</tr>\n"
    }
    return out + "</tbody>\n</table>\n"
}
