import Coordinator
import Foundation

/// Live progress of one sweep: a bar redrawn in place on a terminal, a line per tenth otherwise.
enum SweepProgress {
    static func follow(client: APIClient, sweep: String, terminal: Bool, interval: Double = 0.5) async throws {
        var lastTenth = -1
        while true {
            let sweeps: [SweepSummary] = try await client.get("/v1/sweeps")
            guard let summary = sweeps.first(where: { $0.sweepID == sweep }) else {
                throw APIError(status: 404, message: "sweep \(sweep) is not on the coordinator")
            }
            let line = render(summary)
            if terminal {
                FileHandle.standardOutput.write(Data(("\r\u{1B}[2K" + line).utf8))
            } else {
                let tenth = summary.points > 0 ? summary.pointsDone * 10 / summary.points : 10
                if tenth != lastTenth || summary.isFinished {
                    print(line)
                    fflush(nil)  // a pipe or a file: show progress as it happens
                    lastTenth = tenth
                }
            }
            if summary.isFinished {
                if terminal { print("") }
                return
            }
            try await Task.sleep(for: .seconds(interval))
        }
    }

    static func render(_ summary: SweepSummary) -> String {
        let width = 30
        let filled = summary.points > 0 ? min(width, summary.pointsDone * width / summary.points) : 0
        let states = summary.jobStates.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
            separator: ", ")
        return "[\(String(repeating: "#", count: filled))\(String(repeating: ".", count: width - filled))] "
            + "\(summary.pointsDone)/\(summary.points) points; jobs: \(states)"
    }
}
