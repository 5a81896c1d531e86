import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// How the agent starts workloads and launched engines: as which user, in which cgroup, and
/// with a ledger of their process groups so that a later agent can end what this one leaves
/// behind.
public struct WorkloadLauncher: Sendable {
    public var user: WorkloadUser?
    public var ledger: WorkloadLedger?
    public var cgroups: WorkloadCgroups?

    public init(user: WorkloadUser? = nil, ledger: WorkloadLedger? = nil, cgroups: WorkloadCgroups? = nil) {
        self.user = user
        self.ledger = ledger
        self.cgroups = cgroups
    }

    /// Starts a workload; its process group is in the ledger until ``ended(_:)``.
    func spawn(argv: [String], environment: [String: String]) throws -> ChildProcess {
        let cgroup = try cgroups?.make()
        do {
            let process = try ChildProcess.spawn(argv: argv, environment: environment, as: user, cgroup: cgroup)
            ledger?.record(process.pid)
            return process
        } catch {
            if let cgroup { WorkloadCgroups.end(cgroup) }
            throw error
        }
    }

    /// The workload's leader has exited: whatever it left running in its group or its cgroup
    /// (a background child, a daemon) ends too, as nothing of a job may outlive it on the GPUs.
    func ended(_ process: ChildProcess) {
        process.signalGroup(SIGKILL)
        if let cgroup = process.cgroup { WorkloadCgroups.end(cgroup) }
        ledger?.forget(process.pid)
    }
}

/// The user workloads run as, so that they cannot read the agent's credential file.
public struct WorkloadUser: Sendable, Hashable {
    public var name: String
    public var uid: uid_t
    public var gid: gid_t
    /// The user's supplementary groups, as a login gives them (AMD GPUs' device nodes belong
    /// to `video` and `render`); none of the agent's own.
    public var groups: [gid_t]

    /// Looks the user and its groups up in the system's databases.
    public static func named(_ name: String) throws -> WorkloadUser {
        guard let entry = getpwnam(name) else {
            throw WorkloadUserError(description: "--workload-user \(name): no such user")
        }
        let gid = entry.pointee.pw_gid
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        while getgrouplist(name, gid, &groups, &count) == -1 {
            groups = [gid_t](repeating: 0, count: Int(count) * 2)
            count = Int32(groups.count)
        }
        return WorkloadUser(name: name, uid: entry.pointee.pw_uid, gid: gid, groups: Array(groups.prefix(Int(count))))
    }
}

public struct WorkloadUserError: Error, CustomStringConvertible {
    public var description: String
}
