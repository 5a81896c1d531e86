import Foundation
import Wire

/// How much faster than its simulated GPU each demo job runs in real time: as fast as possible
/// while the token events its busiest point streams stay within what one machine's client and
/// engine take in together, so that no point measures the machine instead of the deployment.
///
/// The rate is read off the job's own points run first in virtual time (a second or two for
/// the whole demo), not predicted from a decode step: at 8k/1k a point spends most of its time
/// in prefill, streaming a fraction of the tokens a 1k/1k point does, and a scale set by its
/// decode rate left those points running several times slower than the machine allows.
struct DemoTimeScale: Hashable {
    /// Token events a second (chunks of 16 tokens) that the simulated engine and the client take
    /// in together on this project's two-core machines. Chosen by running the demo
    /// (docs/sweeps.md).
    static let eventBudget = 25_000.0
    /// A cap on the scale: the lightest points already take a fraction of a second at it.
    static let fastest = 400.0
    /// The point is cut into this many stretches of equal time to find its busiest.
    static let stretches = 20

    var scale: Double
    /// Token events a simulated second in the busiest stretch of the busiest point.
    var peakEventsPerSecond: Double

    init(scale: Double, peakEventsPerSecond: Double) {
        self.scale = scale
        self.peakEventsPerSecond = peakEventsPerSecond
    }

    /// The scale for a job whose points, run in virtual time, gave `points` (warm-ups included),
    /// streamed in chunks of `streamInterval` tokens.
    init(points: [[RequestRecord]], streamInterval: Int) {
        let peak = points.map { Self.peakEventsPerSecond($0, streamInterval: streamInterval) }.max() ?? 0
        let fitting = peak > 0 ? Self.eventBudget / peak : Self.fastest
        self.init(scale: min(Self.fastest, max(1, fitting.rounded(.down))), peakEventsPerSecond: peak)
    }

    /// Token events a second in the busiest of ``stretches`` equal stretches of the point: the
    /// first token is one event, the rest one per chunk, spread evenly from first to last token
    /// (the records keep no per-chunk instants in virtual time).
    static func peakEventsPerSecond(_ records: [RequestRecord], streamInterval: Int) -> Double {
        let streamed = records.filter { $0.succeeded && $0.outputTokens > 0 }
        guard let start = streamed.map(\.start).min(), let end = streamed.map(\.lastToken).max(), end > start
        else { return 0 }
        let width = (end - start) / Double(stretches)
        func stretch(_ time: Double) -> Int { min(stretches - 1, max(0, Int((time - start) / width))) }
        var events = [Double](repeating: 0, count: stretches)
        for record in streamed {
            events[stretch(record.firstToken)] += 1
            let chunks = (Double(record.outputTokens - 1) / Double(max(1, streamInterval))).rounded(.up)
            guard chunks > 0 else { continue }
            let span = record.lastToken - record.firstToken
            guard span > 0 else {
                events[stretch(record.lastToken)] += chunks
                continue
            }
            for index in stretch(record.firstToken)...stretch(record.lastToken) {
                let from = max(record.firstToken, start + Double(index) * width)
                let to = min(record.lastToken, start + Double(index + 1) * width)
                if to > from { events[index] += chunks * (to - from) / span }
            }
        }
        return (events.max() ?? 0) / width
    }
}
