import Testing
import Wire

@testable import Agent

/// The agent's protocol rules, event by event, with the actions each returns: no actor, no
/// streams, no sentinel frames.
@Suite struct AgentCoreTests {
    static func core() -> AgentCore {
        AgentCore(
            agentID: "n1",
            inventory: Inventory(
                hostname: "n1", vendor: .nvidia,
                gpus: (0..<2).map {
                    GPUDevice(
                        index: $0, name: "NVIDIA H200", memoryMiB: 143_771, driverVersion: "570", uuid: "GPU-\($0)")
                },
                cpuCores: 8),
            baseEnvironment: [:])
    }

    static let attempt = JobAttempt(jobID: "j-1", attempt: 1)

    static func assign(_ id: JobID = "j-1", attempt: Attempt = 1, gpus: [Int] = [0]) -> Frame {
        .assign(
            Assign(
                jobID: id, attempt: attempt,
                spec: JobSpec(name: id, gpus: gpus.count, command: CommandWorkload(argv: ["true"])), gpus: gpus))
    }

    static func sent(_ actions: [AgentCore.Action]) -> [Frame] {
        actions.compactMap { if case .send(let frame) = $0 { frame } else { nil } }
    }

    static func started(_ actions: [AgentCore.Action]) -> [AssignedJob] {
        actions.compactMap { if case .start(let job) = $0 { job } else { nil } }
    }

    @Test func assign_isAcceptedAndStarted_aRepeatOnlyAcceptedAgain() {
        var core = Self.core()
        _ = core.connected()
        let first = core.received(Self.assign())
        #expect(Self.sent(first) == [.accepted(Self.attempt)])
        #expect(Self.started(first).map(\.gpus) == [[0]])
        let repeated = core.received(Self.assign())
        #expect(repeated == [.send(.accepted(Self.attempt))])
        #expect(core.holding == [Self.attempt])
    }

    @Test func anAssignmentThatCannotRun_isAcceptedAndFinishedInterrupted_withoutStarting() {
        var core = Self.core()
        _ = core.connected()
        _ = core.received(Self.assign("j-1", gpus: [0]))
        let busy = core.received(Self.assign("j-2", gpus: [0]))
        #expect(Self.started(busy).isEmpty)
        #expect(
            Self.sent(busy) == [
                .accepted(JobAttempt(jobID: "j-2", attempt: 1)),
                .finished(
                    Finished(
                        jobID: "j-2", attempt: 1, outcome: .interrupted,
                        detail: "GPU 0 on n1 is still in use by another attempt")),
            ])
        let missing = core.received(Self.assign("j-3", gpus: [7]))
        #expect(
            Self.sent(missing).last.map { if case .finished(let f) = $0 { f.detail } else { "" } }
                == "GPU 7 does not exist on n1")
    }

    @Test func batches_areNumberedFromOne_andTheWindowCloses() {
        var core = Self.core()
        _ = core.connected()
        _ = core.received(Self.assign())
        #expect(core.batchesAllowed(Self.attempt) == AgentCore.window)
        for seq in 1...AgentCore.window {
            let action = core.batch(Self.attempt, records: [#"{"i":1}"#], dropped: seq == 3 ? 2 : 0)
            guard case .send(.records(let records)) = action else {
                Issue.record("expected a records frame, got \(action)")
                return
            }
            #expect(records.seq == seq)
        }
        #expect(core.batchesAllowed(Self.attempt) == 0)
        _ = core.received(.recordsAck(RecordsAck(jobID: "j-1", attempt: 1, upToSeq: 10)))
        #expect(core.batchesAllowed(Self.attempt) == 10)
    }

    @Test func finished_waitsForEveryAck_andIsSentAgainAfterAReconnect() {
        var core = Self.core()
        _ = core.connected()
        _ = core.received(Self.assign())
        _ = core.batch(Self.attempt, records: [#"{"i":1}"#], dropped: 0)
        _ = core.jobEnded(Self.attempt, outcome: .succeeded, detail: "exit code 0")
        #expect(core.outputDrained(Self.attempt).isEmpty, "batch 1 unacknowledged")

        core.disconnected()
        #expect(core.batchesAllowed(Self.attempt) == 0, "nothing new goes out without a connection")
        let resent = Self.sent(core.connected())
        #expect(resent.map { if case .records(let records) = $0 { records.seq } else { -1 } } == [1])
        _ = core.received(.recordsAck(RecordsAck(jobID: "j-1", attempt: 1, upToSeq: 1)))
        let finished = Finished(jobID: "j-1", attempt: 1, outcome: .succeeded, detail: "exit code 0")
        #expect(core.outputDrained(Self.attempt) == [.send(.finished(finished))])
        #expect(core.outputDrained(Self.attempt).isEmpty, "sent once per connection")

        core.disconnected()
        _ = core.connected()
        #expect(core.outputDrained(Self.attempt) == [.send(.finished(finished))], "unacknowledged: due again")
        let done = core.received(.finishedAck(Self.attempt))
        #expect(done.contains(.forget(Self.attempt)))
        #expect(core.isIdle)
    }

    @Test func stale_cancelsTheWorkload_andItsEndIsNeverReported() {
        var core = Self.core()
        _ = core.connected()
        _ = core.received(Self.assign())
        let stale = core.received(.stale(Stale(jobID: "j-1", attempt: 1, current: 2)))
        #expect(stale.contains(.cancel(Self.attempt, graceSeconds: 5)))
        #expect(core.holding.isEmpty)
        #expect(core.batchesAllowed(Self.attempt) == 0)
        #expect(core.jobEnded(Self.attempt, outcome: .canceled, detail: "") == [.forget(Self.attempt)])
        #expect(core.isIdle)
    }

    @Test func cancel_isAskedOnce_andHeartbeatAckCancelsUseTheJobsGrace() {
        var core = Self.core()
        _ = core.received(Self.assign())
        let first = core.received(.cancel(CancelJob(jobID: "j-1", attempt: 1, graceSeconds: 3)))
        #expect(first.filter { if case .log = $0 { true } else { false } }.count == 1)
        #expect(first.last == .cancel(Self.attempt, graceSeconds: 3))
        let again = core.received(.heartbeatAck(HeartbeatAck(cancel: [Self.attempt])))
        #expect(again == [.cancel(Self.attempt, graceSeconds: 10)], "logged once, asked again")
    }

    @Test func shutdown_interrupts_andRefusesNewWork() {
        var core = Self.core()
        _ = core.connected()
        _ = core.received(Self.assign())
        #expect(core.beginShutdown() == [.cancel(Self.attempt, graceSeconds: 10)])
        _ = core.jobEnded(Self.attempt, outcome: .canceled, detail: "stopped on request")
        #expect(
            core.outputDrained(Self.attempt) == [
                .send(
                    .finished(Finished(jobID: "j-1", attempt: 1, outcome: .interrupted, detail: "stopped on request")))
            ])
        let late = Self.sent(core.received(Self.assign("j-2", gpus: [1])))
        #expect(
            late.last
                == .finished(
                    Finished(jobID: "j-2", attempt: 1, outcome: .interrupted, detail: "agent is shutting down")))
    }

    @Test func heartbeat_countsDropsReportedAndPending() {
        var core = Self.core()
        _ = core.connected()
        _ = core.received(Self.assign())
        _ = core.batch(Self.attempt, records: [], dropped: 4)
        let beat = core.heartbeat([Self.attempt: .init(recordsProduced: 9, recordsPendingDrops: 1, pointsDone: 2)])
        #expect(
            beat
                == .heartbeat(
                    Heartbeat(holding: [
                        HeldJob(
                            jobID: "j-1", attempt: 1,
                            progress: JobProgress(recordsProduced: 9, recordsDropped: 5, pointsDone: 2))
                    ])))
    }
}
