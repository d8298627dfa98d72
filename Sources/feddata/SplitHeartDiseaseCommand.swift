import ArgumentParser
import FedNode
import Foundation

/// `feddata split-heart-disease --dir DIR`: one CSV per hospital from the bundled Heart Disease
/// file, so each node of a demo federation can be given only its own hospital's rows.
struct SplitHeartDiseaseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "split-heart-disease",
        abstract: "Write heart-<hospital>.csv for each of the 4 Heart Disease hospitals (node data for a demo federation)."
    )

    @Option(help: "The folder to write the 4 files into (created if missing).")
    var dir: String

    func run() throws {
        let url = URL(fileURLWithPath: dir)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        for file in try LocalData.writeHospitalFiles(to: url) { print(file.path) }
    }
}
