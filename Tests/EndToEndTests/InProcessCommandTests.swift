import Coordinator
import Foundation
import Synchronization
import Testing

@testable import SweeplineCLI

/// Operator commands called as functions with an injected context — no process, no stdout —
/// against a real coordinator process.
@Suite(.serialized) struct InProcessCommandTests {
    /// What a command wrote, block by block.
    final class Output: Sendable {
        private let blocks = Mutex<[String]>([])
        var text: String { blocks.withLock { $0.joined(separator: "\n") } }
        var last: String { blocks.withLock { $0.last ?? "" } }
        func context(_ environment: [String: String]) -> CommandContext {
            CommandContext(environment: environment, write: { block in self.blocks.withLock { $0.append(block) } })
        }
    }

    @Test func validate_writesToTheInjectedContext_notToStdout() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("in-process-\(UUID().uuidString).yaml")
        defer { try? FileManager.default.removeItem(at: file) }
        try SweepEndToEndTests.sweep.write(to: file, atomically: true, encoding: .utf8)
        let output = Output()
        try await ValidateCommand.parse([file.path]).run(in: output.context([:]))
        #expect(output.text.contains("sweep `e2e` is valid"))
    }

    @Test func submitAndStatus_takeTheCoordinatorAndTokenFromTheContextsEnvironment() async throws {
        try await Fleet.run { fleet in
            try await fleet.startCoordinator()
            let output = Output()
            let context = output.context([
                "SWEEPLINE_URL": "http://127.0.0.1:\(fleet.httpPort)", "SWEEPLINE_TOKEN": fleet.operatorToken,
            ])
            let jobs = fleet.path("jobs.yaml")
            try """
            jobs:
              - name: waits
                gpus: 1
                command: {argv: ["true"]}
            """.write(toFile: jobs, atomically: true, encoding: .utf8)
            try await SubmitCommand.parse([jobs]).run(in: context)
            #expect(output.last.hasPrefix("submitted 1 job(s) from \(jobs)"))

            try await StatusCommand.parse(["--format", "json"]).run(in: context)
            let status = try JSONDecoder().decode(StatusResponse.self, from: Data(output.last.utf8))
            #expect(status.jobs["queued"] == 1)
            #expect(status.agentsConnected == 0)

            // Without the token the coordinator refuses, and the error says so.
            await #expect(throws: APIError.self) {
                try await StatusCommand.parse([]).run(
                    in: output.context(["SWEEPLINE_URL": "http://127.0.0.1:\(fleet.httpPort)"]))
            }
        }
    }
}
