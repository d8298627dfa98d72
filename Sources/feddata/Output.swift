import FedWorkloads
import Foundation

/// Writes one JSON line to standard output, unbuffered (scripts read the lines as they come).
func emit(_ line: JSONLine) {
    FileHandle.standardOutput.write(Data((line.description + "\n").utf8))
}

/// Writes human-readable text to standard error (kept apart from JSON on standard output).
func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
