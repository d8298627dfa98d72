import ArgumentParser
import FedReport
import FedStore
import FedWorkloads
import Foundation

/// `feddata report`: a model report (Markdown + HTML + SVG charts) from a recorded run.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a model report (Markdown and HTML with SVG charts): provenance, data fingerprints, configuration, privacy, robustness, evaluations, contributions.")

    @Option(help: "The state file of the run (coordinator --state or simulate --state).") var state: String
    @Option(help: "The run (default: the latest run in the state file).") var run: String?
    @Option(help: "Folder to write report.md, report.html and the charts into (created if missing).") var out: String = "report"

    func run() async throws {
        guard FileManager.default.fileExists(atPath: state) else {
            throw WorkloadError(source: "--state \(state)", "no such file; expected a state file written by the coordinator or simulate --state")
        }
        let store = try SQLiteCoordinatorStore(path: state, readOnly: true)
        let runID: String
        if let run { runID = run } else {
            guard let latest = try await store.latestRun() else { throw WorkloadError(source: "--state \(state)", "the state file holds no run") }
            runID = latest.id
        }
        var contributions: [NodeContribution] = []
        let sidecar = state + ".contributions.json"
        if let data = FileManager.default.contents(atPath: sidecar) {
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw WorkloadError(source: sidecar, "expected the JSON object `simulate --contributions` writes")
            }
            for method in object.keys.sorted() {
                guard let byNode = object[method] as? [String: Double] else { continue }
                contributions += byNode.keys.sorted().map { NodeContribution(node: $0, method: method, value: byNode[$0]!) }
            }
        }
        let report = try await RunReport.build(store: store, runID: runID, contributions: contributions,
                                               created: ISO8601DateFormatter().string(from: Date()))
        let folder = URL(fileURLWithPath: out)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for chart in report.charts() {
            try AtomicFile.write(Data(chart.svg.utf8), to: folder.appendingPathComponent(chart.fileName).path)
        }
        try AtomicFile.write(Data(report.markdown(chartLinks: true).utf8), to: folder.appendingPathComponent("report.md").path)
        try AtomicFile.write(Data(report.html().utf8), to: folder.appendingPathComponent("report.html").path)
        print("report of run \(runID): \(folder.path)/report.md, report.html, \(report.charts().count) charts")
    }
}
