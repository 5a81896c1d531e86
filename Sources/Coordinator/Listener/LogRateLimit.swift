import Wire

/// How much log text one agent connection may send: a token bucket of bytes, refilled at
/// `bytesPerSecond` up to `burstBytes`.
///
/// A log frame that does not fit is dropped before it costs the engine or the store anything;
/// the next frame that fits carries a note saying how much was dropped. One agent flooding its
/// log (2.4 GiB in 25 s, once) therefore costs the coordinator only the decoding of it, and
/// every other agent's frames keep their pace.
struct LogRateLimit: Sendable {
    let bytesPerSecond: Double
    let burstBytes: Double
    private var available: Double
    private var refilledAt: Double?
    private var droppedLines = 0
    private var droppedBytes = 0

    init(bytesPerSecond: Int, burstBytes: Int) {
        precondition(bytesPerSecond > 0 && burstBytes > 0)
        self.bytesPerSecond = Double(bytesPerSecond)
        self.burstBytes = Double(burstBytes)
        self.available = Double(burstBytes)
    }

    /// The frame to pass on, with a note of what was dropped before it; nil to drop it.
    /// - Parameter now: seconds on a monotonic clock.
    mutating func admit(_ lines: LogLines, at now: Double) -> LogLines? {
        if let refilledAt { available = min(burstBytes, available + (now - refilledAt) * bytesPerSecond) }
        refilledAt = now
        let bytes = lines.lines.reduce(0) { $0 + $1.utf8.count + 1 }
        guard Double(bytes) <= available else {
            droppedLines += lines.lines.count
            droppedBytes += bytes
            return nil
        }
        available -= Double(bytes)
        guard droppedLines > 0 else { return lines }
        var noted = lines
        noted.lines.insert(
            "[sweepline] coordinator dropped \(droppedLines) log lines (\(droppedBytes) bytes) from this agent: "
                + "over its log rate of \(Int(bytesPerSecond)) bytes/s", at: 0)
        droppedLines = 0
        droppedBytes = 0
        return noted
    }
}
