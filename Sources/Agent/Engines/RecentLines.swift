import Synchronization

/// The last lines a child process wrote, the oldest dropped past a limit: an engine's output
/// for the error that says why it did not come up, a sampling tool's for the points' energy.
final class RecentLines: Sendable {
    private let kept = Mutex<[String]>([])
    let limit: Int

    init(limit: Int) {
        self.limit = limit
    }

    func add(_ line: String) {
        kept.withLock { lines in
            lines.append(line)
            if lines.count > limit { lines.removeFirst(lines.count - limit) }
        }
    }

    var lines: [String] { kept.withLock { $0 } }
    var isEmpty: Bool { kept.withLock { $0.isEmpty } }
}
