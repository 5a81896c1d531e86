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
            // The kill comes first, the line about it just after.
            _ = try await eventually("the agent to log what it ended", timeout: .seconds(10)) {
                fleet.agents["mortal"]!.log.contains("ended workload process groups a previous agent left running")
                    ? true : nil
            }
        }
    }

    static let canMountCgroup2: Bool = {
        guard getuid() == 0 else { return false }
        let probe = FileManager.default.temporaryDirectory.appendingPathComponent("cgroup2-probe-\(getpid())").path
        try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard mount("none", probe, "cgroup2", 0, nil) == 0 else { return false }
        umount2(probe, Int32(MNT_DETACH))
        return true
    }()

    /// With a delegated cgroup, even what leaves the workload's process group (`setsid`) ends:
    /// when its job ends, and when its agent was killed and the next one starts.
    @Test(.enabled(if: canMountCgroup2, "needs root and a cgroup v2 hierarchy to mount"))
    func withACgroup_evenASetsidEscapeeEnds_withItsJobAndItsAgent() async throws {
        try await Fleet.run { fleet in
            let mountPoint = fleet.path("cgroup2")
            try FileManager.default.createDirectory(atPath: mountPoint, withIntermediateDirectories: true)
            guard mount("none", mountPoint, "cgroup2", 0, nil) == 0 else { throw FloodTestError("mount failed") }
            let base = mountPoint + "/sweepline-e2e-\(UUID().uuidString.prefix(8))"
            try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: false)
            defer {
                rmdir(base)
                umount2(mountPoint, Int32(MNT_DETACH))
            }
            try await fleet.startCoordinator(leaseSeconds: 30)
            try await fleet.startAgent("contained", gpus: 1, extraArguments: ["--workload-cgroup", base])
            try await fleet.waitForAgents(1)

            // A job that leaves a session-leading child behind and exits.
            let quick = fleet.path("quick.pid")
            _ = try await fleet.submit(
                """
                jobs:
                  - name: escapes-and-exits
                    gpus: 1
                    command: {argv: [sh, -c, "setsid sleep 300 & echo $! > \(quick)"]}
                """)
            let quickPID = try await eventually("the escapee's pid") { Self.pid(in: quick) }
            _ = try await fleet.waitUntilSettled()
            _ = try await eventually("the escapee to end with its job", timeout: .seconds(5)) {
                Self.isAlive(quickPID) ? nil : true
            }

            // A job whose escapee outlives the agent's kill -9, until the next agent starts.
            let lasting = fleet.path("lasting.pid")
            _ = try await fleet.submit(
                """
                jobs:
                  - name: escapes-and-waits
                    gpus: 1
                    command: {argv: [sh, -c, "setsid sleep 300 & echo $! > \(lasting); wait"]}
                """)
            let lastingPID = try await eventually("the second escapee's pid") { Self.pid(in: lasting) }
            let membership = (try? String(contentsOfFile: "/proc/\(lastingPID)/cgroup", encoding: .utf8)) ?? ""
            #expect(membership.contains("/sweepline-e2e-"), "not in a workload cgroup: \(membership)")
            fleet.agents["contained"]!.kill(SIGKILL)
            try await Task.sleep(for: .seconds(1))
            #expect(Self.isAlive(lastingPID), "outside the process group, the ledger cannot reach it")
            try await fleet.startAgent("contained", gpus: 1, extraArguments: ["--workload-cgroup", base])
            _ = try await eventually("the next agent to end the leftover cgroup", timeout: .seconds(10)) {
                Self.isAlive(lastingPID) ? nil : true
            }
            _ = try await eventually("the agent to log what it ended", timeout: .seconds(10)) {
                fleet.agents["contained"]!.log.contains("ended workload cgroups a previous agent left running")
                    ? true : nil
            }
            fleet.agents["contained"]!.kill(SIGTERM)
            _ = try await fleet.agents["contained"]!.waitForExit()
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
