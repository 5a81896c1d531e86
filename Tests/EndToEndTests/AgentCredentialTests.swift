import Coordinator
import Foundation
import Testing
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// An operator's whole round with one agent's credential, through the CLI: enrol, connect,
/// revoke, and the agent is out.
@Suite(.serialized) struct AgentCredentialTests {
    @Test func enrolConnectRevoke_throughTheCLI() async throws {
        try await Fleet.run { fleet in
            try await fleet.startCoordinator()
            let connection = [
                "--url", "http://127.0.0.1:\(fleet.httpPort)", "--token-file", fleet.path("operator.token"),
            ]
            let secretFile = fleet.path("node-x.secret")
            let enrol = try ManagedProcess(
                name: "enroll", arguments: ["agents", "enroll", "node-x", "--secret-file", secretFile] + connection,
                directory: fleet.directory)
            #expect(try await enrol.waitForExit() == 0, "\(enrol.log)")
            let mode = try FileManager.default.attributesOfItem(atPath: secretFile)[.posixPermissions] as? Int
            #expect(mode == 0o600, "the secret file is readable by others: \(String(mode ?? 0, radix: 8))")

            let again = try ManagedProcess(
                name: "enroll-again", arguments: ["agents", "enroll", "node-x"] + connection, directory: fleet.directory
            )
            #expect(try await again.waitForExit() != 0)
            #expect(again.log.contains("agent node-x is already enrolled"), "\(again.log)")

            let agent = try ManagedProcess(
                name: "node-x",
                arguments: [
                    "agent", "--coordinator", "127.0.0.1:\(fleet.agentsPort)", "--credential-file", secretFile,
                    "--ca-file", fleet.tls.ca, "--agent-id", "node-x", "--gpus", "1", "--state-dir",
                    fleet.path("state-node-x"),
                ], directory: fleet.directory)
            try await fleet.waitForAgents(1)

            let enrolled = try ManagedProcess(
                name: "enrolled", arguments: ["agents", "enrolled"] + connection, directory: fleet.directory)
            #expect(try await enrolled.waitForExit() == 0)
            let listed = enrolled.output.joined(separator: "\n")
            #expect(listed.contains("node-x  enrolled"), "\(listed)")
            #expect(!listed.contains(try String(contentsOfFile: secretFile, encoding: .utf8).trimmed))

            // Rotation: the agent stays connected, and after the coordinator restarts it
            // reconnects with the new secret it finds in its file; the old one is refused.
            let old = try String(contentsOfFile: secretFile, encoding: .utf8).trimmed
            let rotate = try ManagedProcess(
                name: "rotate", arguments: ["agents", "rotate", "node-x", "--secret-file", secretFile] + connection,
                directory: fleet.directory)
            #expect(try await rotate.waitForExit() == 0, "\(rotate.log)")
            #expect(try String(contentsOfFile: secretFile, encoding: .utf8).trimmed != old)
            fleet.coordinator!.kill(SIGKILL)
            _ = try await fleet.coordinator!.waitForExit()
            try await fleet.startCoordinator()
            try await fleet.waitForAgents(1)
            let refused = try await fleet.rawAgent().exchange(
                RawAgent.bytes([RawAgent.hello("node-x", token: old)]), quiet: .seconds(2))
            #expect(refused.frames.first.map { if case .rejected = $0 { true } else { false } } == true)

            let revoke = try ManagedProcess(
                name: "revoke", arguments: ["agents", "revoke", "node-x"] + connection, directory: fleet.directory)
            #expect(try await revoke.waitForExit() == 0, "\(revoke.log)")
            // Disconnected at once; its reconnection is refused, which ends the agent.
            #expect(try await agent.waitForExit() != 0)
            #expect(agent.log.contains("coordinator rejected this agent: agent node-x presented no valid credential"))
            let status: StatusResponse = try await fleet.client.get("/v1/status")
            #expect(status.agentsConnected == 0)
        }
    }
}

extension String {
    fileprivate var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
