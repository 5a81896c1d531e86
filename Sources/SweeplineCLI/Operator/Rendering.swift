import Coordinator
import Foundation
import Wire

/// Text renderings of API answers for people. Pure: tests call them directly.
enum Rendering {
    /// Columns padded to their widest cell.
    static func table(_ headers: [String], _ rows: [[String]]) -> String {
        var widths = headers.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() where index < widths.count {
                widths[index] = max(widths[index], cell.count)
            }
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(headers)] + rows.map(line)).joined(separator: "\n")
    }

    /// `2026-11-30 02:00 Europe/Berlin`: a schedule's times on its own wall clock.
    static func time(_ date: Date, in zoneName: String) -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: zoneName) ?? TimeZone(identifier: "UTC")
        return "\(formatter.string(from: date)) \(formatter.timeZone.identifier)"
    }

    static func schedules(_ schedules: [ScheduleSummary]) -> String {
        guard !schedules.isEmpty else { return "no schedules; a sweep file with `schedule:` adds one" }
        return table(
            ["SCHEDULE", "CRON", "LAST RUN", "LAST SWEEP", "NEXT RUN", "JOBS", "POINTS"],
            schedules.map { schedule in
                [
                    schedule.name, schedule.cron, schedule.lastRunAt.map { time($0, in: schedule.timeZone) } ?? "-",
                    schedule.lastSweepID ?? "-", schedule.nextRunAt.map { time($0, in: schedule.timeZone) } ?? "never",
                    String(schedule.jobs), String(schedule.points),
                ]
            })
    }

    /// `2 of 14 points regressed (false-discovery rate 5 %) vs sw-…`, or `no regression among 14
    /// points (3 insufficient data) vs sw-…`.
    static func baselineVerdict(_ note: SweepRegressionNote) -> String {
        guard note.compared > 0 else { return "no valid point to compare with an earlier run" }
        let against = note.baselineSweepIDs.joined(separator: ", ")
        let insufficient = note.insufficientData > 0 ? " (\(note.insufficientData) insufficient data)" : ""
        return note.regressions == 0
            ? "no regression among \(note.compared) points\(insufficient) vs \(against)"
            : "\(note.regressions) of \(note.compared) points regressed (false-discovery rate "
                + "\(ReportNumber.percent(note.falseDiscoveryRate)))\(insufficient) vs \(against)"
    }

    static func status(_ status: StatusResponse) -> String {
        let order = JobState.allCases.map(\.rawValue)
        let jobs = order.map { "\($0) \(status.jobs[$0] ?? 0)" }.joined(separator: "  ")
        var lines = [
            "jobs    \(jobs)",
            "agents  \(status.agentsConnected) connected of \(status.agentsKnown) known, \(status.agentsDrained) drained",
            "gpus    \(status.gpusBusy) busy of \(status.gpusTotal) connected",
        ]
        for note in status.sweepRegressions {
            lines.append(
                "REGRESSED  sweep \(note.name) \(note.sweepID): \(baselineVerdict(note)); `sweepline compare \(note.sweepID)`"
            )
        }
        // The first few: `sweepline history` and the report have the rest.
        for open in status.openChangePoints.prefix(10) {
            let change = open.changePoint
            lines.append(
                "CHANGED  \(open.pointKey) \(change.metric.rawValue) "
                    + String(format: "%+.1f %%", change.change * 100)
                    + " since \(change.sweepID) (\(change.submittedAt.prefix(10))); `sweepline history \(open.pointKey)`"
            )
        }
        if status.openChangePoints.count > 10 {
            lines.append("CHANGED  … \(status.openChangePoints.count - 10) more (GET /v1/changepoints)")
        }
        if let failure = status.failure { lines.append("FAILED  \(failure)") }
        return lines.joined(separator: "\n")
    }

    static func jobs(_ jobs: [JobSummary]) -> String {
        table(
            ["JOB", "NAME", "STATE", "ATTEMPT", "AGENT", "GPUS", "RECORDS", "DETAIL"],
            jobs.map { summary in
                let job = summary.job
                return [
                    job.id, job.spec.name, job.state.rawValue, String(job.attempt), job.agentID ?? "-",
                    job.gpus.isEmpty ? "-" : job.gpus.map(String.init).joined(separator: ","),
                    summary.progress.map { String($0.recordsProduced) } ?? "-", job.detail,
                ]
            })
    }

    static func job(_ detail: JobDetail) -> String {
        let job = detail.job
        var lines = [
            "job       \(job.id) (\(job.spec.name))",
            "state     \(job.state.rawValue) — \(job.detail)",
            "attempt   \(job.attempt)" + (job.agentID.map { " on \($0)" } ?? "")
                + (job.gpus.isEmpty ? "" : ", GPUs \(job.gpus.map(String.init).joined(separator: ","))"),
            "needs     \(job.spec.exclusive ? "a whole node" : "\(job.spec.gpus) GPU(s)")"
                + (job.spec.gpuModel.map { " of model \($0)" } ?? "")
                + (job.spec.labels.isEmpty
                    ? ""
                    : ", labels \(job.spec.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ","))")
                + ", priority \(job.spec.priority)",
            "retries   workload \(job.retriesUsed.workloadFailures)/\(job.spec.retries.workloadFailures), agent lost \(job.retriesUsed.agentLosses)/\(job.spec.retries.agentLosses), drained \(job.retriesUsed.drains)",
        ]
        if let argv = job.spec.command?.argv { lines.append("command   \(argv.joined(separator: " "))") }
        let records = detail.records.map {
            "attempt \($0.attempt): \($0.records) in \($0.batches) batches, \($0.dropped) dropped"
        }
        lines.append("records   " + (records.isEmpty ? "none" : records.joined(separator: "; ")))
        lines.append("")
        lines.append("history")
        let formatter = ISO8601DateFormatter()
        lines.append(
            table(
                ["  AT", "ATTEMPT", "STATE", "AGENT", "DETAIL"],
                detail.history.map {
                    [
                        "  " + formatter.string(from: $0.at), String($0.attempt), $0.state.rawValue, $0.agentID ?? "-",
                        $0.detail,
                    ]
                }))
        lines.append("")
        lines.append("log (last \(detail.logTail.count) lines)")
        lines += detail.logTail.map { "  [\($0.attempt)] \($0.line)" }
        return lines.joined(separator: "\n")
    }

    static func agents(_ agents: [AgentStatus]) -> String {
        table(
            ["AGENT", "STATE", "GPUS", "MODEL", "BUSY", "JOBS", "LABELS", "DRAIN REASON"],
            agents.map { agent in
                let record = agent.record
                let state = !agent.connected ? "disconnected" : record.drainReason != nil ? "drained" : "ready"
                return [
                    record.id, state, String(record.inventory.gpus.count), record.inventory.gpuModel ?? "-",
                    agent.busyGPUs.isEmpty ? "-" : agent.busyGPUs.map(String.init).joined(separator: ","),
                    agent.jobs.isEmpty ? "-" : agent.jobs.joined(separator: ","),
                    record.labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                        .ifEmpty("-"),
                    record.drainReason ?? "-",
                ]
            })
    }
}

extension String {
    func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
