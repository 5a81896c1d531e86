import Coordinator
import Foundation
import Wire

/// The scheduler core alone (no I/O) at fleet scale: how long decisions take with thousands of
/// agents and jobs, which bounds how far one coordinator goes before the store or the network do.
enum SchedulerScale {
    static func run(agents agentCount: Int = 1000, jobs jobCount: Int = 10_000) {
        print("\n== scheduler core: \(agentCount) agents × 8 GPUs, \(jobCount) one-GPU jobs ==")
        var core = SchedulerCore(configuration: .init())
        var now = SchedulerTime(monotonic: 0, wall: Date())
        for index in 0..<agentCount {
            let inventory = Inventory(
                hostname: "n\(index)", vendor: .nvidia,
                gpus: (0..<8).map {
                    GPUDevice(
                        index: $0, name: "NVIDIA H200", memoryMiB: 143_771, driverVersion: "570",
                        uuid: "n\(index)-\($0)")
                },
                cpuCores: 64)
            let hello = Hello(
                agentID: "n\(index)", instanceID: "i", protocol: .current, agentVersion: "bench", token: "",
                inventory: inventory, labels: [:], holding: [])
            _ = core.agentConnected(hello, sessionID: "s\(index)", at: now)
        }
        let spec = JobSpec(name: "j", gpus: 1, command: CommandWorkload(argv: ["true"]))
        var started = ContinuousClock.now
        let (ids, submitted) = core.submit(Array(repeating: spec, count: jobCount), at: now)
        let submitTime = seconds(ContinuousClock.now - started)
        let placed = submitted.frames.filter { if case .assign = $0.frame { true } else { false } }.count
        print(
            "submit + place:   \(String(format: "%.1f", submitTime * 1000)) ms for \(jobCount) jobs (\(placed) placed, \(core.queuedJobIDs.count) queued)"
        )

        started = ContinuousClock.now
        for _ in 0..<100 {
            now = now.adding(seconds: 0.1)
            _ = core.tick(at: now)
        }
        print(
            "idle tick:        \(String(format: "%.1f", seconds(ContinuousClock.now - started) / 100 * 1e6)) µs (leases checked, nothing to place)"
        )

        // Jobs finish one by one; each frees a GPU that the next queued job takes.
        started = ContinuousClock.now
        var finished = 0
        for id in ids.prefix(1000) {
            guard let job = core.job(id), let agent = job.agentID else { continue }
            _ = core.accepted(agent, job.jobAttempt, at: now)
            _ = core.finished(
                agent, Finished(jobID: id, attempt: job.attempt, outcome: .succeeded, detail: ""), at: now)
            finished += 1
        }
        let perFinish = seconds(ContinuousClock.now - started) / Double(finished)
        print(
            "finish + place:   \(String(format: "%.1f", perFinish * 1e6)) µs per finished job with \(core.queuedJobIDs.count) still queued"
        )
    }
}
