import Foundation
import Testing
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// An agent killed with SIGKILL leaves no workload running: its direct child gets the kernel's
/// parent-death signal, and what that child started in its process group is ended by the next
/// agent on the node before it takes a job.
@Suite(.serialized) struct NoOrphanTests {
    @Test func theAgentKilledWithSIGKILL_leavesNoWorkloadRunning() async throws {
        try await Fleet.run { fleet in
            try await fleet.startCoordinator(leaseSeconds: 30)
            try await fleet.startAgent("mortal", gpus: 1)
            try await fleet.waitForAgents(1)
            let shell = fleet.path("shell.pid")
            let background = fleet.path("background.pid")
            _ = try await fleet.submit(
                """
                jobs:
                  - name: leaves-a-child
                    gpus: 1
                    command: {argv: [sh, -c, "echo $$ > \(shell); sleep 300 & echo $! > \(background); wait"]}
                """)
            let (shellPID, backgroundPID) = try await eventually("the workload to write its pids") {
                guard let a = Self.pid(in: shell), let b = Self.pid(in: background) else {
                    return nil as (Int32, Int32)?
                }
                return (a, b)
            }
            #expect(Self.isAlive(shellPID) && Self.isAlive(backgroundPID))

            fleet.agents["mortal"]!.kill(SIGKILL)
            _ = try await eventually("the workload's own process to die with its agent", timeout: .seconds(5)) {
                Self.isAlive(shellPID) ? nil : true
            }
            // Started in the background, in the workload's group: still there, until an agent
            // with the same state directory starts.
            #expect(Self.isAlive(backgroundPID), "nothing to prove about the state directory")
            try await fleet.startAgent("mortal", gpus: 1)
            _ = try await eventually("the next agent to end the leftover group", timeout: .seconds(10)) {
                Self.isAlive(backgroundPID) ? nil : true
            }
            #expect(fleet.agents["mortal"]!.log.contains("ended workload process groups a previous agent left running"))
        }
    }

    static func pid(in file: String) -> Int32? {
        (try? String(contentsOfFile: file, encoding: .utf8)).flatMap {
            Int32($0.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// Running, not merely a zombie that no one has reaped yet.
    static func isAlive(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.range(of: ")", options: .backwards)
        else { return false }
        return stat[close.upperBound...].split(separator: " ").first != "Z"
    }
}
