import FedWorkloads
import Foundation

/// Writes JSON Lines to standard output, flushing each line (scripts read them as they come).
func emit(_ line: JSONLine) {
    print(line.description)
    fflush(stdout)
}

/// Writes human-readable text to standard error (kept apart from JSON on standard output).
func note(_ text: String) {
    FileHandle.standardError.write(Data((text + "\n").utf8))
}
