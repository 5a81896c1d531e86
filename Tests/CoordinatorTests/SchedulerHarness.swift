import Foundation
import Wire

@testable import Coordinator

/// A scheduler core with an injected clock and a few fleet shortcuts.
struct SchedulerHarness {
    var core: SchedulerCore
    var now = SchedulerTime(monotonic: 1000, wall: Date(timeIntervalSince1970: 1_800_000_000))

    init(
        configuration: SchedulerConfiguration = .init(
            heartbeatSeconds: 1, leaseSeconds: 10, recoveryGraceSeconds: 30, retryBackoffSeconds: 5)
    ) {
        core = SchedulerCore(configuration: configuration)
    }

    mutating func advance(_ seconds: Double) {
        now = now.adding(seconds: seconds)
    }

    static func hello(
        _ id: AgentID, gpus: Int, model: String = "NVIDIA H200", labels: [String: String] = [:],
        holding: [JobAttempt] = []
    ) -> Hello {
        Hello(
            agentID: id, instanceID: "instance-\(id)", protocol: .current, agentVersion: "test", token: "t",
            inventory: Inventory(
                hostname: id, vendor: .nvidia,
                gpus: (0..<gpus).map {
                    GPUDevice(index: $0, name: model, memoryMiB: 143_771, driverVersion: "570", uuid: "\(id)-\($0)")
                },
                cpuCores: 4),
            labels: labels, holding: holding)
    }

    @discardableResult
    mutating func connect(
        _ id: AgentID, gpus: Int, model: String = "NVIDIA H200", labels: [String: String] = [:],
        holding: [JobAttempt] = []
    ) -> Decision {
        core.agentConnected(
            Self.hello(id, gpus: gpus, model: model, labels: labels, holding: holding), sessionID: "session-\(id)",
            at: now)
    }

    mutating func submit(_ specs: JobSpec...) -> (ids: [JobID], decision: Decision) {
        core.submit(specs, at: now)
    }

    static func spec(
        _ name: String, gpus: Int = 1, exclusive: Bool = false, model: String? = nil, labels: [String: String] = [:],
        priority: Int = 0, retries: RetryBudgets = .init()
    ) -> JobSpec {
        JobSpec(
            name: name, gpus: gpus, exclusive: exclusive, gpuModel: model, labels: labels, priority: priority,
            retries: retries,
            command: CommandWorkload(argv: ["true"]))
    }

    /// Accepts every assignment in `decision` on behalf of the agents.
    @discardableResult
    mutating func acceptAll(_ decision: Decision) -> [Assign] {
        let assigns = Self.assigns(decision)
        for assign in assigns {
            let agent = core.job(assign.jobID)!.agentID!
            _ = core.accepted(agent, JobAttempt(jobID: assign.jobID, attempt: assign.attempt), at: now)
        }
        return assigns
    }

    static func assigns(_ decision: Decision) -> [Assign] {
        decision.frames.compactMap { if case .assign(let assign) = $0.frame { return assign } else { return nil } }
    }

    static func frames(_ decision: Decision, to agent: AgentID) -> [Frame] {
        decision.frames.filter { $0.agentID == agent }.map(\.frame)
    }

    func state(_ id: JobID) -> JobState? { core.job(id)?.state }
}
