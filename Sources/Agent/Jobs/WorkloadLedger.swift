import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The process groups of the workloads an agent runs, kept in its state directory
/// (`workloads.json`) while they run.
///
/// A workload's own process dies with the agent (a parent-death signal), but what it started in
/// its group may not; an agent that starts where a killed one left off ends those groups
/// before it takes jobs, so a requeued attempt never shares its GPUs with a leftover.
public final class WorkloadLedger: Sendable {
    /// One process group: its leader's pid and start time (clock ticks since boot), and the
    /// boot it ran in, so that a number reused by someone else's group is never signalled.
    struct Entry: Codable, Hashable {
        var pgid: Int32
        var startTicks: UInt64
        var bootID: String
    }

    let file: URL
    private let entries = Mutex<[Int32: Entry]>([:])

    /// - Parameter directory: created if absent (mode 0700).
    public init(directory: String) throws {
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        file = URL(fileURLWithPath: directory).appendingPathComponent("workloads.json")
    }

    func record(_ pid: Int32) {
        guard let start = ProcessTable.startTicks(of: pid) else { return }
        let entry = Entry(pgid: pid, startTicks: start, bootID: ProcessTable.bootID)
        save(
            entries.withLock {
                $0[pid] = entry; return $0
            })
    }

    func forget(_ pid: Int32) {
        save(
            entries.withLock {
                $0[pid] = nil; return $0
            })
    }

    /// Ends (SIGKILL) every group a previous agent recorded that still has processes, and
    /// returns their numbers; then starts an empty ledger.
    public func endLeftovers() -> [Int32] {
        let recorded = (try? JSONDecoder().decode([Entry].self, from: Data(contentsOf: file))) ?? []
        var ended: [Int32] = []
        for entry in recorded where entry.bootID == ProcessTable.bootID {
            // Its leader alive with another start time: the number now belongs to someone else.
            if let leaderStart = ProcessTable.startTicks(of: entry.pgid), leaderStart != entry.startTicks { continue }
            if kill(-entry.pgid, SIGKILL) == 0 { ended.append(entry.pgid) }
        }
        save([:])
        return ended
    }

    private func save(_ entries: [Int32: Entry]) {
        // Written whole and renamed into place, so a crash mid-write leaves the previous ledger.
        guard let data = try? JSONEncoder().encode(entries.values.sorted { $0.pgid < $1.pgid }) else { return }
        try? data.write(to: file, options: .atomic)
    }
}

/// What /proc says about processes.
enum ProcessTable {
    static let bootID =
        ((try? String(contentsOfFile: "/proc/sys/kernel/random/boot_id", encoding: .utf8)) ?? "")
        .trimmingCharacters(in: .whitespacesAndNewlines)

    /// Field 22 of /proc/PID/stat: when the process started, in clock ticks since boot.
    static func startTicks(of pid: Int32) -> UInt64? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let afterName = stat.range(of: ")", options: .backwards)
        else { return nil }
        // After the name: state is field 3, so field 22 is the 20th from here.
        let fields = stat[afterName.upperBound...].split(separator: " ")
        return fields.count > 19 ? UInt64(fields[19]) : nil
    }
}
