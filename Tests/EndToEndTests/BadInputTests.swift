import Coordinator
import Foundation
import NIOCore
import SweeplineCLI
import Testing
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// Every kind of bad input is refused with a reason, while the coordinator keeps serving a
/// real agent that runs jobs throughout.
@Suite(.serialized) struct BadInputTests {
    @Test func badAgentsAndBadJobFiles_areRefused_whileTheFleetKeepsWorking() async throws {
        try await Fleet.run(run)
    }

    /// A client that sends half a request header and waits (slowloris) is cut off once the
    /// HTTP idle timeout passes, while a whole request on another connection is answered.
    @Test func halfSentHeaders_areCutOffAfterTheIdleTimeout() async throws {
        try await Fleet.run { fleet in
            try await fleet.startCoordinator(httpIdleTimeoutSeconds: 1)
            let start = ContinuousClock.now
            let answer = try await RawAgent.connect(port: fleet.httpPort).exchange(
                ByteBuffer(string: "GET /v1/status HTTP/1.1\r\nHost: x\r\nX-Slow: "), quiet: .seconds(10))
            #expect(answer.closedByCoordinator, "still open after 10 s")
            #expect(ContinuousClock.now - start < .seconds(8))
            let status: StatusResponse = try await fleet.client.get("/v1/status")
            #expect(status.agentsConnected == 0)
        }
    }

    /// A workload that prints its whole environment finds neither the agent's token nor any
    /// SWEEPLINE_ variable of the agent's, only its job's own.
    @Test func aWorkloadsEnvironment_holdsNoAgentCredential() async throws {
        try await Fleet.run { fleet in
            try await fleet.startCoordinator()
            try await fleet.startAgent("env-agent", gpus: 1, credentialInEnvironment: true)
            try await fleet.waitForAgents(1)
            let ids = try await fleet.submit(
                """
                jobs:
                  - name: print-env
                    gpus: 1
                    command: {argv: [env], env: {JOB_OWN: "yes"}}
                """)
            _ = try await fleet.waitUntilSettled()
            let detail = try await fleet.job(ids[0])
            #expect(detail.job.state == .succeeded)
            let lines = detail.logTail.map(\.line)
            #expect(lines.contains("JOB_OWN=yes"), "\(lines)")
            #expect(lines.contains { $0.hasPrefix("PATH=") })
            let secret = try await fleet.enroll("env-agent")
            #expect(!lines.contains { $0.contains(secret) }, "the agent's credential reached the workload")
            #expect(
                lines.filter { $0.hasPrefix("SWEEPLINE_") }.map { String($0.prefix { $0 != "=" }) }.sorted()
                    == ["SWEEPLINE_ATTEMPT", "SWEEPLINE_JOB_ID"])
        }
    }

    /// With `--workload-user`, a workload cannot read the agent's credential file (0600, the
    /// agent's user). Needs root to switch users; elsewhere it is skipped, and docs/security.md
    /// says what protects the file then.
    @Test(.enabled(if: getuid() == 0, "switching users needs root"))
    func aWorkloadAsAnotherUser_cannotReadTheAgentsCredentialFile() async throws {
        try await Fleet.run { fleet in
            // The fleet's directory must be searchable by the workload's user to reach the file.
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: fleet.directory.path)
            try await fleet.startCoordinator()
            try await fleet.startAgent("separate-agent", gpus: 1, extraArguments: ["--workload-user", "nobody"])
            try await fleet.waitForAgents(1)
            let credential = fleet.path("separate-agent.credential")
            let ids = try await fleet.submit(
                """
                jobs:
                  - name: try-the-credential
                    gpus: 1
                    command: {argv: [sh, -c, "id -un; cat \(credential) || echo CANNOT-READ"]}
                """)
            _ = try await fleet.waitUntilSettled()
            let lines = try await fleet.job(ids[0]).logTail.map(\.line)
            #expect(lines.contains("nobody"), "\(lines)")
            #expect(lines.contains("CANNOT-READ"), "\(lines)")
            #expect(!lines.contains { $0.contains(try! String(contentsOfFile: credential, encoding: .utf8)) })
        }
    }

    /// Connections that never say hello take at most the cap: the ones past it are closed at
    /// once, those within it only by the handshake timeout, and an agent that says hello
    /// after they are gone is welcomed.
    @Test func connectionsThatNeverSayHello_areCapped() async throws {
        try await Fleet.run { fleet in
            // Plain TCP: the cap is about connections, and a TLS handshake under a loaded CI
            // machine would only blur the timing.
            try await fleet.startCoordinator(maximumConnectionsBeforeHello: 8, plaintextAgentLink: true)
            var silent: [RawAgent] = []
            for _ in 0..<12 { silent.append(try await RawAgent.connect(port: fleet.agentsPort)) }
            let closed = try await withThrowingTaskGroup(of: Bool.self) { group in
                for agent in silent {
                    group.addTask { try await agent.exchange(ByteBuffer(), quiet: .seconds(2)).closedByCoordinator }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(closed == 4, "the four past the cap of eight are closed at once")
            // The exchanges closed all twelve; a real hello now gets in.
            let secret = try await fleet.enroll("after-the-crowd")
            let answer = try await fleet.rawAgent().exchange(
                RawAgent.bytes([RawAgent.hello("after-the-crowd", token: secret)]), quiet: .seconds(1))
            #expect(answer.frames.first.map { if case .welcome = $0 { true } else { false } } == true)
        }
    }

    /// A peer that says hello, then sends heartbeats and never reads: once its socket and 64
    /// queued frames are full, the coordinator hangs up on it instead of queueing without bound.
    @Test func aPeerThatNeverReads_isDisconnected_notQueuedForWithoutBound() async throws {
        try await Fleet.run { fleet in
            // Plain TCP: a TLS peer that never reads would never finish its handshake either.
            try await fleet.startCoordinator(maximumFramesQueuedPerAgent: 64, plaintextAgentLink: true)
            let secret = try await fleet.enroll("deaf")
            let peer = try await RawAgent.connectWithoutReading(port: fleet.agentsPort)
            let beat = try RawAgent.bytes([.heartbeat(Heartbeat(holding: []))])
            try await peer.writeAndFlush(try RawAgent.bytes([RawAgent.hello("deaf", token: secret)]))
            try await fleet.waitForAgents(1)
            // Up to 20,000 heartbeats (about 400 KB), in batches, until the coordinator closes.
            var sent = 0
            while peer.isActive, sent < 20_000 {
                var batch = ByteBuffer()
                for _ in 0..<500 { batch.writeImmutableBuffer(beat) }
                try? await peer.writeAndFlush(batch)
                sent += 500
                try await Task.sleep(for: .milliseconds(5))
            }
            try await eventually("the coordinator to hang up on the peer that does not read") {
                let status: StatusResponse = try await fleet.client.get("/v1/status")
                return status.agentsConnected == 0 ? true : nil
            }
            try? await peer.close()
        }
    }

    private func run(_ fleet: Fleet) async throws {
        // Plain TCP, so that raw bytes reach the frame decoder (TLS has tests of its own).
        try await fleet.startCoordinator(plaintextAgentLink: true)
        try await fleet.startAgent("good-agent", gpus: 2)
        try await fleet.waitForAgents(1)
        let ids = try await fleet.submit(fleet.exampleJobs("steady", count: 4, records: 40, intervalMs: 50))

        // A guessed credential.
        var answer = try await RawAgent.connect(port: fleet.agentsPort).exchange(
            RawAgent.bytes([RawAgent.hello("intruder", token: "guess")]))
        #expect(
            answer.frames == [
                .rejected(
                    Reason(
                        reason:
                            "agent intruder presented no valid credential: enrol it with `sweepline agents enroll intruder` and give it that secret"
                    ))
            ])
        #expect(answer.closedByCoordinator)

        // A protocol 1 agent (whose token was the fleet's shared one), and a future major.
        for major in [1, 3] {
            answer = try await RawAgent.connect(port: fleet.agentsPort).exchange(
                RawAgent.bytes([RawAgent.hello("skewed", token: "x", major: major)]))
            #expect(
                answer.frames == [
                    .rejected(Reason(reason: "protocol \(major).0 is not supported: this coordinator speaks 2.x"))
                ])
            #expect(answer.closedByCoordinator)
        }

        // Garbage bytes (an HTTP client on the wrong port).
        answer = try await RawAgent.connect(port: fleet.agentsPort).exchange(
            ByteBuffer(string: "GET / HTTP/1.1\r\nHost: x\r\n\r\n"))
        #expect(answer.closedByCoordinator)
        guard case .rejected(let reason)? = answer.frames.first else {
            Issue.record("expected a rejection, got \(answer.frames)")
            return
        }
        #expect(reason.reason.contains("invalid JSON"))

        // A 2 MiB frame from an agent that had shaken hands properly.
        let huge = Frame.log(
            LogLines(jobID: "j-000001", attempt: 1, lines: [String(repeating: "x", count: 2 << 20)], dropped: 0))
        answer = try await RawAgent.connect(port: fleet.agentsPort).exchange(
            RawAgent.bytes([RawAgent.hello("fat-agent", token: try await fleet.enroll("fat-agent")), huge]))
        #expect(answer.closedByCoordinator)
        #expect(answer.frames.first.map { if case .welcome = $0 { true } else { false } } == true)
        #expect(
            answer.frames.contains(
                .error(Reason(reason: "frame larger than the 1048576-byte limit (send smaller record batches)"))))

        // A frame type from the future is ignored, not fatal.
        answer = try await RawAgent.connect(port: fleet.agentsPort).exchange(
            RawAgent.bytes([RawAgent.hello("curious-agent", token: try await fleet.enroll("curious-agent"))])
                + ByteBuffer(string: #"{"type":"telemetry","watts":700}"# + "\n"),
            quiet: .milliseconds(500))
        #expect(!answer.closedByCoordinator)
        #expect(!answer.frames.contains { if case .error = $0 { true } else { false } })

        // A malformed job file, through the API and through the CLI.
        await #expect {
            try await fleet.submit("jobs:\n  - name: x\n    gpu: 1\n    command: {argv: [true]}\n")
        } throws: { error in
            "\(error)".contains("400")
                && "\(error)".contains("request body:3:5: jobs[0]: unknown field `gpu`; did you mean `gpus`?")
        }
        let badFile = fleet.path("bad.yaml")
        try "jobs:\n  - name: x\n    gpus: many\n    command: {argv: [true]}\n".write(
            toFile: badFile, atomically: true, encoding: .utf8)
        let cli = try ManagedProcess(
            name: "submit-bad",
            arguments: [
                "submit", badFile, "--url", "http://127.0.0.1:\(fleet.httpPort)", "--token-file",
                fleet.path("operator.token"),
            ],
            directory: fleet.directory)
        #expect(try await cli.waitForExit() != 0)
        #expect(cli.log.contains("\(badFile):3:11: jobs[0].gpus: expected an integer, got `many`"))

        // Tokens: none, read-only for a write, unknown.
        let anonymous = try APIClient(url: "http://127.0.0.1:\(fleet.httpPort)", token: nil)
        await #expect { try await anonymous.send(.GET, "/v1/status") } throws: { "\($0)".contains("401") }
        let reader = try APIClient(url: "http://127.0.0.1:\(fleet.httpPort)", token: fleet.readerToken)
        let status: StatusResponse = try await reader.get("/v1/status")
        #expect(status.agentsConnected >= 1)
        await #expect { try await reader.send(.POST, "/v1/jobs/\(ids[0])/cancel") } throws: { "\($0)".contains("403") }

        // Through all of that, the real agent finished every job.
        let jobs = try await fleet.waitUntilSettled()
        #expect(jobs.allSatisfy { $0.job.state == .succeeded })
        #expect(fleet.coordinator!.isRunning)
        for id in ids { #expect(try await fleet.records(id, attempt: 1).count == 40) }

        // Records come in pages, each naming the next; a page size out of range is refused.
        let first: RecordsPage = try await fleet.client.get("/v1/jobs/\(ids[0])/records?attempt=1&limit=5")
        #expect((5..<40).contains(first.records.count), "whole batches, at least the limit")
        #expect(first.next?.hasPrefix("/v1/jobs/\(ids[0])/records?attempt=1&after=") == true)
        await #expect {
            try await fleet.client.send(.GET, "/v1/jobs/\(ids[0])/records?limit=0")
        } throws: { "\($0)".contains("400") && "\($0)".contains("limit must be 1 to 10000, got 0") }
    }
}

extension ByteBuffer {
    static func + (lhs: ByteBuffer, rhs: ByteBuffer) -> ByteBuffer {
        var result = lhs
        result.writeImmutableBuffer(rhs)
        return result
    }
}
