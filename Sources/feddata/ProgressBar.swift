import Foundation

/// A one-line progress bar on standard error: `[#####-----] 512/1875 812.3 steps/s loss 0.2134`.
/// Redrawn at most 10 times a second; silent when standard error is not a terminal unless forced.
struct ProgressBar {
    let total: Int
    let label: String
    let enabled: Bool
    private let start = ContinuousClock.now
    private var lastDraw = ContinuousClock.now - .seconds(1)

    init(total: Int, label: String, enabled: Bool = isatty(STDERR_FILENO) != 0) {
        self.total = total
        self.label = label
        self.enabled = enabled
    }

    mutating func update(step: Int, loss: Float, force: Bool = false) {
        guard enabled else { return }
        let now = ContinuousClock.now
        guard force || now - lastDraw > .milliseconds(100) else { return }
        lastDraw = now
        let elapsed = seconds(now - start)
        let rate = elapsed > 0 ? Double(step) / elapsed : 0
        let width = 30
        let filled = total > 0 ? min(width, width * step / total) : width
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        let line = String(format: "\r%@ [%@] %d/%d %.1f steps/s loss %.4f", label, bar, step, total, rate, loss)
        FileHandle.standardError.write(Data(line.utf8))
    }

    func finish() {
        guard enabled else { return }
        FileHandle.standardError.write(Data("\n".utf8))
    }
}

func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
}
