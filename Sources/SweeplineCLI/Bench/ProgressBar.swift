import Foundation
import Synchronization

/// A one-line progress bar on standard error, redrawn in place while a point runs; silent when
/// standard error is not a terminal (CI logs, redirections).
final class ProgressBar: Sendable {
    private let done = Mutex(0)
    private let total: Int
    private let label: String
    private let started = ContinuousClock.now
    private let enabled = isatty(STDERR_FILENO) == 1

    init(label: String, total: Int) {
        self.label = label
        self.total = total
    }

    func advance() { done.withLock { $0 += 1 } }

    /// Redraws until the surrounding task is cancelled, then clears the line.
    func draw() async {
        guard enabled else { return }
        while !Task.isCancelled {
            render()
            try? await Task.sleep(for: .milliseconds(200))
        }
        FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8))
    }

    private func render() {
        let count = done.withLock { $0 }
        let width = 30
        let filled = total > 0 ? min(width, count * width / total) : 0
        let elapsed = ContinuousClock.now - started
        let line = String(
            format: "\r\u{1B}[2K%@ [%@%@] %d/%d requests, %.0f s", label,
            String(repeating: "#", count: filled), String(repeating: ".", count: width - filled), count, total,
            Double(elapsed.components.seconds))
        FileHandle.standardError.write(Data(line.utf8))
    }
}
