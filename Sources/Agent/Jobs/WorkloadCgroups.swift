import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A cgroup v2 directory delegated to the agent (`--workload-cgroup`; systemd: `Delegate=yes`):
/// each workload runs in a cgroup of its own below it, joined before exec.
///
/// A process group is not a boundary: a workload can `setsid` out of it and outlive both its
/// job and its agent. A cgroup it cannot leave, so ending a job writes `cgroup.kill`, and an
/// agent starting over ends every cgroup a killed one left below the directory.
public struct WorkloadCgroups: Sendable {
    public let directory: String

    /// Checks that `directory` is a cgroup v2 directory the agent can make cgroups in.
    public init(directory: String) throws {
        guard FileManager.default.fileExists(atPath: directory + "/cgroup.procs"),
            FileManager.default.fileExists(atPath: directory + "/cgroup.controllers")
        else {
            throw WorkloadCgroupError(description: "--workload-cgroup \(directory): not a cgroup v2 directory")
        }
        guard access(directory, W_OK) == 0 else {
            throw WorkloadCgroupError(
                description:
                    "--workload-cgroup \(directory): not writable by the agent (delegate it: systemd Delegate=yes)")
        }
        self.directory = directory
    }

    /// A new, empty cgroup for one workload; its `cgroup.procs` is what the child joins.
    func make() throws -> String {
        let path = directory + "/workload-" + UUID().uuidString.prefix(12).lowercased()
        guard mkdir(path, 0o755) == 0 else {
            throw WorkloadCgroupError(
                description: "cannot make the cgroup \(path): \(String(cString: strerror(errno)))")
        }
        return path
    }

    /// Kills everything in the cgroup and removes it.
    static func end(_ path: String) {
        _ = try? "1".write(toFile: path + "/cgroup.kill", atomically: false, encoding: .utf8)
        // Removal fails while the killed processes are still being reaped; a moment is enough.
        for _ in 0..<100 where rmdir(path) != 0 && errno == EBUSY {
            usleep(10_000)
        }
    }

    /// Ends every workload cgroup below the directory, as a previous agent left them; returns
    /// how many there were.
    public func endLeftovers() -> Int {
        let children = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        let leftovers = children.filter { $0.hasPrefix("workload-") }
        for child in leftovers { Self.end(directory + "/" + child) }
        return leftovers.count
    }
}

public struct WorkloadCgroupError: Error, CustomStringConvertible {
    public var description: String
}
