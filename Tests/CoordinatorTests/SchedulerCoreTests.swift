import Foundation
import Testing
import Wire

@testable import Coordinator

@Suite struct SchedulerCoreTests {
    // MARK: Placement and GPU slots

    @Test func eightGPUNode_runsTwoFourGPUJobsAtOnce_andQueuesTheThird() {
        var h = SchedulerHarness()
        h.connect("node-a", gpus: 8)
        let (ids, decision) = h.submit(
            SchedulerHarness.spec("a", gpus: 4), SchedulerHarness.spec("b", gpus: 4),
            SchedulerHarness.spec("c", gpus: 4))
        let assigns = SchedulerHarness.assigns(decision)
        #expect(assigns.map(\.jobID) == [ids[0], ids[1]])
        #expect(assigns[0].gpus == [0, 1, 2, 3])
        #expect(assigns[1].gpus == [4, 5, 6, 7])
        #expect(h.state(ids[2]) == .queued)
        #expect(h.core.busyGPUs(of: "node-a") == Array(0..<8))
    }

    @Test func finishingAJob_freesItsGPUsForTheNext() {
        var h = SchedulerHarness()
        h.connect("node-a", gpus: 4)
        let (ids, decision) = h.submit(SchedulerHarness.spec("a", gpus: 4), SchedulerHarness.spec("b", gpus: 2))
        h.acceptAll(decision)
        #expect(h.state(ids[1]) == .queued)
        let done = h.core.finished(
            "node-a", Finished(jobID: ids[0], attempt: 1, outcome: .succeeded, detail: ""), at: h.now)
        #expect(h.state(ids[0]) == .succeeded)
        #expect(SchedulerHarness.assigns(done).map(\.jobID) == [ids[1]])
        #expect(
            SchedulerHarness.frames(done, to: "node-a").contains(.finishedAck(JobAttempt(jobID: ids[0], attempt: 1))))
    }

    @Test func aFleetWideLimit_keepsAtMostThatManyJobsOnAgents() {
        var h = SchedulerHarness(
            configuration: .init(
                heartbeatSeconds: 1, leaseSeconds: 10, recoveryGraceSeconds: 30, retryBackoffSeconds: 5,
                maximumJobsOnAgents: 2))
        h.connect("node-a", gpus: 8)
        h.connect("node-b", gpus: 8)
        let (ids, decision) = h.submit(
            SchedulerHarness.spec("a"), SchedulerHarness.spec("b"), SchedulerHarness.spec("c"))
        #expect(SchedulerHarness.assigns(decision).map(\.jobID) == [ids[0], ids[1]], "GPUs free, but the limit is 2")
        h.acceptAll(decision)
        #expect(h.state(ids[2]) == .queued)
        let done = h.core.finished(
            h.core.job(ids[0])!.agentID!, Finished(jobID: ids[0], attempt: 1, outcome: .succeeded, detail: ""),
            at: h.now)
        #expect(SchedulerHarness.assigns(done).map(\.jobID) == [ids[2]], "a finished job makes room for the next")
    }

    @Test func exclusiveJob_takesTheWholeNode_andWaitsForItToBeIdle() {
        var h = SchedulerHarness()
        h.connect("node-a", gpus: 8)
        let (ids, decision) = h.submit(
            SchedulerHarness.spec("small", gpus: 1), SchedulerHarness.spec("whole", exclusive: true),
            SchedulerHarness.spec("after", gpus: 1))
        // The small job runs; the exclusive one cannot start on a busy node, and by submission
        // order it does not block the later small job (backfill).
        #expect(SchedulerHarness.assigns(decision).map(\.jobID) == [ids[0], ids[2]])
        h.acceptAll(decision)
        _ = h.core.finished("node-a", Finished(jobID: ids[0], attempt: 1, outcome: .succeeded, detail: ""), at: h.now)
        let next = h.core.finished(
            "node-a", Finished(jobID: ids[2], attempt: 1, outcome: .succeeded, detail: ""), at: h.now)
        #expect(SchedulerHarness.assigns(next).first?.gpus == Array(0..<8))
        let (more, blocked) = h.submit(SchedulerHarness.spec("blocked", gpus: 1))
        #expect(SchedulerHarness.assigns(blocked).isEmpty)
        #expect(h.state(more[0]) == .queued)
    }

    @Test func labelsAndGPUModel_selectTheAgent() {
        var h = SchedulerHarness()
        h.connect("h200", gpus: 8, model: "NVIDIA H200", labels: ["rack": "r1"])
        h.connect("b200", gpus: 8, model: "NVIDIA B200", labels: ["rack": "r2"])
        let (_, decision) = h.submit(
            SchedulerHarness.spec("b", model: "b200"), SchedulerHarness.spec("r1", labels: ["rack": "r1"]),
            SchedulerHarness.spec("nowhere", model: "MI355X"))
        let assigns = SchedulerHarness.assigns(decision)
        #expect(decision.frames.first { $0.frame == .assign(assigns[0]) }?.agentID == "b200")
        #expect(decision.frames.first { $0.frame == .assign(assigns[1]) }?.agentID == "h200")
        #expect(assigns.count == 2)
    }

    @Test func priority_placesHigherFirst_thenSubmissionOrder() {
        var h = SchedulerHarness()
        let (ids, _) = h.submit(
            SchedulerHarness.spec("low", gpus: 1), SchedulerHarness.spec("high", gpus: 1, priority: 10),
            SchedulerHarness.spec("low2", gpus: 1))
        let decision = h.connect("node", gpus: 2)
        #expect(SchedulerHarness.assigns(decision).map(\.jobID) == [ids[1], ids[0]])
    }

    @Test func bestFit_keepsLargeHolesForLargeJobs() {
        var h = SchedulerHarness()
        h.connect("big", gpus: 8)
        h.connect("small", gpus: 2)
        let (_, decision) = h.submit(SchedulerHarness.spec("two", gpus: 2))
        #expect(decision.frames.first { if case .assign = $0.frame { true } else { false } }?.agentID == "small")
    }

    // MARK: Leases and fencing

    @Test func leaseExpiry_requeuesWithNextAttempt_andPlacesElsewhere() {
        var h = SchedulerHarness()
        h.connect("a", gpus: 1)
        let (ids, decision) = h.submit(SchedulerHarness.spec("j"))
        h.acceptAll(decision)
        h.advance(5)
        _ = h.core.heartbeat(
            "a", Heartbeat(holding: [HeldJob(jobID: ids[0], attempt: 1, progress: .init())]), at: h.now)
        h.advance(9)
        _ = h.core.tick(at: h.now)
        #expect(h.state(ids[0]) == .running, "the heartbeat renewed the lease")
        h.connect("b", gpus: 1)
        h.advance(2)
        let expired = h.core.tick(at: h.now)
        let job = h.core.job(ids[0])!
        #expect(job.attempt == 2)
        #expect(job.agentID == "b")
        #expect(job.retriesUsed.agentLosses == 1)
        #expect(SchedulerHarness.assigns(expired).first?.attempt == 2)
        #expect(h.core.busyGPUs(of: "a").isEmpty)
    }

    @Test func staleAttempt_recordsAreRefused_andCurrentOnesStored() {
        var h = SchedulerHarness()
        h.connect("a", gpus: 1)
        h.connect("b", gpus: 1)
        let (ids, decision) = h.submit(SchedulerHarness.spec("j"))
        h.acceptAll(decision)
        let first = h.core.job(ids[0])!.agentID!
        h.advance(11)
        h.acceptAll(h.core.tick(at: h.now))
        let second = h.core.job(ids[0])!.agentID!
        #expect(first != second)
        #expect(h.core.checkRecords(first, JobAttempt(jobID: ids[0], attempt: 1), seq: 1) == .stale(current: 2))
        #expect(h.core.checkRecords(second, JobAttempt(jobID: ids[0], attempt: 1), seq: 1) == .stale(current: 2))
        #expect(
            h.core.checkRecords(first, JobAttempt(jobID: ids[0], attempt: 2), seq: 1) == .stale(current: 2),
            "right attempt, wrong agent")
        #expect(h.core.checkRecords(second, JobAttempt(jobID: ids[0], attempt: 2), seq: 1) == .store)
        // And the dead attempt's late `finished` is answered stale, changing nothing.
        let late = h.core.finished(
            first, Finished(jobID: ids[0], attempt: 1, outcome: .succeeded, detail: ""), at: h.now)
        #expect(late.frames == [Outbound(first, .stale(Stale(jobID: ids[0], attempt: 1, current: 2)))])
        #expect(h.state(ids[0]) == .running)
    }

    @Test func duplicateSeq_isIgnored() {
        var h = SchedulerHarness()
        h.connect("a", gpus: 1)
        let (ids, decision) = h.submit(SchedulerHarness.spec("j"))
        h.acceptAll(decision)
        let attempt = JobAttempt(jobID: ids[0], attempt: 1)
        #expect(h.core.checkRecords("a", attempt, seq: 1) == .store)
        h.core.recordsStored(attempt, seq: 1)
        #expect(h.core.checkRecords("a", attempt, seq: 1) == .duplicate)
        #expect(h.core.checkRecords("a", attempt, seq: 2) == .store)
        // A batch beyond a gap is stored; the gap itself still is not a duplicate.
        h.core.recordsStored(attempt, seq: 4)
        #expect(h.core.checkRecords("a", attempt, seq: 4) == .duplicate)
        #expect(h.core.checkRecords("a", attempt, seq: 3) == .store)
        h.core.recordsStored(attempt, seq: 3)
        h.core.recordsStored(attempt, seq: 2)
        #expect((1...4).allSatisfy { h.core.checkRecords("a", attempt, seq: $0) == .duplicate })
    }

    @Test func seqBelowOneOrPastAGap_isRefused_andNothingIsStored() {
        var h = SchedulerHarness()
        h.connect("a", gpus: 1)
        let (ids, decision) = h.submit(SchedulerHarness.spec("j"))
        h.acceptAll(decision)
        let attempt = JobAttempt(jobID: ids[0], attempt: 1)
        #expect(h.core.checkRecords("a", attempt, seq: 0) == .outOfOrder(next: 1))
        #expect(h.core.checkRecords("a", attempt, seq: -7) == .outOfOrder(next: 1))
        #expect(h.core.checkRecords("a", attempt, seq: 2) == .outOfOrder(next: 1), "the first batch is 1")
        #expect(h.core.checkRecords("a", attempt, seq: 1) == .store)
        // Accepted but not yet stored (a reconnect resends it on a new connection): 2 may follow.
        #expect(h.core.checkRecords("a", attempt, seq: 1) == .store)
        #expect(h.core.checkRecords("a", attempt, seq: 2) == .store)
        h.core.recordsStored(attempt, seq: 1)
        h.core.recordsStored(attempt, seq: 2)
        #expect(h.core.checkRecords("a", attempt, seq: 4) == .outOfOrder(next: 3))
        #expect(h.core.checkRecords("a", attempt, seq: 3) == .store)
    }

    @Test func aLogFlood_keepsTheAttemptsBudget_andSaysSoOnce() {
        var h = SchedulerHarness(
            configuration: .init(
                heartbeatSeconds: 1, leaseSeconds: 10, recoveryGraceSeconds: 30, logBytesPerAttempt: 30))
        h.connect("a", gpus: 1)
        let (ids, decision) = h.submit(SchedulerHarness.spec("j"))
        h.acceptAll(decision)
        func logged(_ lines: [String], attempt: Attempt = 1) -> [String] {
            let decision = h.core.log(
                "a", LogLines(jobID: ids[0], attempt: attempt, lines: lines, dropped: 0), at: h.now)
            return decision.changes.flatMap { change -> [String] in
                if case .log(_, _, let lines) = change { return lines }
                return []
            }
        }
        #expect(logged(["0123456789", "0123456789"]) == ["0123456789", "0123456789"])  // 22 of 30 bytes
        #expect(
            logged(["0123456789", "never"]) == [
                "[sweepline] this attempt's log reached its 30-byte limit; later lines are not kept"
            ])
        #expect(logged(["more"]).isEmpty, "said once")
    }

    @Test func interruptedAgent_getsNoNewWork_untilItReconnects() {
        var h = SchedulerHarness()
        h.connect("a", gpus: 1)
        let (ids, decision) = h.submit(SchedulerHarness.spec("j"))
        h.acceptAll(decision)
        let interrupted = h.core.finished(
            "a", Finished(jobID: ids[0], attempt: 1, outcome: .interrupted, detail: "agent is shutting down"), at: h.now
        )
        #expect(SchedulerHarness.assigns(interrupted).isEmpty, "not straight back onto the agent that is stopping")
        #expect(h.state(ids[0]) == .queued)
        #expect(h.core.job(ids[0])!.retriesUsed.agentLosses == 1)
        let back = h.connect("a", gpus: 1)
        #expect(SchedulerHarness.assigns(back).map(\.attempt) == [2])
    }

    @Test func reconnectWithHolding_reclaims_andUnheldJobsAreRequeued() {
        var h = SchedulerHarness()
        h.connect("a", gpus: 2)
        let (ids, decision) = h.submit(SchedulerHarness.spec("kept"), SchedulerHarness.spec("lost"))
        h.acceptAll(decision)
        _ = h.core.agentDisconnected("a", sessionID: "session-a", at: h.now)
        h.advance(3)
        let back = h.connect(
            "a", gpus: 2, holding: [JobAttempt(jobID: ids[0], attempt: 1), JobAttempt(jobID: "j-999999", attempt: 4)])
        #expect(h.state(ids[0]) == .running)
        #expect(h.core.job(ids[1])!.attempt == 2)
        #expect(
            SchedulerHarness.frames(back, to: "a").contains(.stale(Stale(jobID: "j-999999", attempt: 4, current: nil))))
        // The lost job went back to the queue and straight onto the freed GPU, as attempt 2.
        #expect(SchedulerHarness.assigns(back).map(\.jobID) == [ids[1]])
    }

    // MARK: Retry budgets

    @Test func workloadFailure_retriesAfterBackoff_onAnotherNode_untilTheBudgetIsSpent() {
        var h = SchedulerHarness()
        h.connect("a", gpus: 1)
        h.connect("b", gpus: 1)
        let (ids, decision) = h.submit(SchedulerHarness.spec("j", retries: RetryBudgets(workloadFailures: 1)))
        h.acceptAll(decision)
        let first = h.core.job(ids[0])!.agentID!
        let failed = h.core.finished(
            first, Finished(jobID: ids[0], attempt: 1, outcome: .failed, detail: "exit code 1"), at: h.now)
        #expect(SchedulerHarness.assigns(failed).isEmpty, "backoff first")
        #expect(h.state(ids[0]) == .queued)
        #expect(h.core.job(ids[0])!.retriesUsed.workloadFailures == 1)
        h.advance(4.9)
        #expect(SchedulerHarness.assigns(h.core.tick(at: h.now)).isEmpty)
        h.advance(0.2)
        let retry = h.core.tick(at: h.now)
        #expect(SchedulerHarness.assigns(retry).map(\.attempt) == [2])
        #expect(h.core.job(ids[0])!.agentID != first, "prefers another node")
        h.acceptAll(retry)
        let second = h.core.job(ids[0])!.agentID!
        _ = h.core.finished(
            second, Finished(jobID: ids[0], attempt: 2, outcome: .failed, detail: "exit code 1"), at: h.now)
        #expect(h.state(ids[0]) == .failed)
        #expect(h.core.job(ids[0])!.detail.contains("retries exhausted"))
    }

    @Test func agentLoss_budget_failsTheJobWhenSpent() {
        var h = SchedulerHarness()
        h.connect("a", gpus: 1)
        let (ids, decision) = h.submit(SchedulerHarness.spec("j", retries: RetryBudgets(agentLosses: 1)))
        h.acceptAll(decision)
        h.advance(11)
        h.acceptAll(h.core.tick(at: h.now))
        #expect(h.core.job(ids[0])!.attempt == 2)
        #expect(h.state(ids[0]) == .running, "placed again on the same, still-connected agent")
        h.advance(11)
        _ = h.core.tick(at: h.now)
        #expect(h.state(ids[0]) == .failed)
        #expect(h.core.job(ids[0])!.retriesUsed.agentLosses == 1)
    }

    @Test func drainedAgent_lostJobs_retryForFree() {
        var h = SchedulerHarness()
        h.connect("a", gpus: 1)
        let (ids, decision) = h.submit(
            SchedulerHarness.spec("j", retries: RetryBudgets(workloadFailures: 0, agentLosses: 0, drains: 5)))
        h.acceptAll(decision)
        _ = h.core.drain("a", reason: "firmware update", at: h.now)
        _ = h.core.finished(
            "a", Finished(jobID: ids[0], attempt: 1, outcome: .interrupted, detail: "agent stopping"), at: h.now)
        let job = h.core.job(ids[0])!
        #expect(job.state == .queued)
        #expect(job.attempt == 2)
        #expect(job.retriesUsed == RetryCounts(workloadFailures: 0, agentLosses: 0, drains: 1))
    }

    // MARK: Drain and cancel

    @Test func drain_stopsPlacement_untilUndrained() {
        var h = SchedulerHarness()
        h.connect("a", gpus: 1)
        let drain = h.core.drain("a", reason: "rack 12 maintenance", at: h.now)!
        #expect(drain.frames == [Outbound("a", .drain(Reason(reason: "rack 12 maintenance")))])
        #expect(
            drain.changes.contains {
                if case .agent(let record) = $0 { record.drainReason == "rack 12 maintenance" } else { false }
            })
        let (ids, decision) = h.submit(SchedulerHarness.spec("j"))
        #expect(SchedulerHarness.assigns(decision).isEmpty)
        let undrain = h.core.undrain("a", at: h.now)!
        #expect(SchedulerHarness.assigns(undrain).map(\.jobID) == ids)
        #expect(h.core.drain("nobody", reason: "x", at: h.now) == nil)
    }

    @Test func cancelWhileQueued_cancelsAtOnce() {
        var h = SchedulerHarness()
        let (ids, _) = h.submit(SchedulerHarness.spec("j"))
        let (result, decision) = h.core.cancel(ids[0], at: h.now)
        #expect(result == .canceled)
        #expect(h.state(ids[0]) == .canceled)
        #expect(decision.frames.isEmpty)
        #expect(SchedulerHarness.assigns(h.connect("a", gpus: 1)).isEmpty)
        #expect(h.core.cancel(ids[0], at: h.now).0 == .alreadyFinished)
        #expect(h.core.cancel("j-424242", at: h.now).0 == .notFound)
    }

    @Test func cancelWhileRunning_sendsCancel_repeatsItOnHeartbeats_andEndsCanceled() {
        var h = SchedulerHarness()
        h.connect("a", gpus: 1)
        let (ids, decision) = h.submit(SchedulerHarness.spec("j"))
        h.acceptAll(decision)
        let (result, cancel) = h.core.cancel(ids[0], at: h.now)
        #expect(result == .canceling)
        #expect(cancel.frames == [Outbound("a", .cancel(CancelJob(jobID: ids[0], attempt: 1, graceSeconds: 10)))])
        let beat = h.core.heartbeat(
            "a", Heartbeat(holding: [HeldJob(jobID: ids[0], attempt: 1, progress: .init())]), at: h.now)
        #expect(
            beat.frames == [Outbound("a", .heartbeatAck(HeartbeatAck(cancel: [JobAttempt(jobID: ids[0], attempt: 1)])))]
        )
        _ = h.core.finished(
            "a", Finished(jobID: ids[0], attempt: 1, outcome: .canceled, detail: "stopped on request"), at: h.now)
        #expect(h.state(ids[0]) == .canceled)
        #expect(h.core.busyGPUs(of: "a").isEmpty)
    }

    @Test func cancelingJob_whoseAgentIsLost_endsCanceled_notRequeued() {
        var h = SchedulerHarness()
        h.connect("a", gpus: 1)
        let (ids, decision) = h.submit(SchedulerHarness.spec("j"))
        h.acceptAll(decision)
        _ = h.core.cancel(ids[0], at: h.now)
        h.advance(11)
        _ = h.core.tick(at: h.now)
        #expect(h.state(ids[0]) == .canceled)
    }

    // MARK: Durability

    @Test func everyStateChange_isReturnedForTheStore_beforeItsFrames() {
        var h = SchedulerHarness()
        h.connect("a", gpus: 1)
        let (ids, decision) = h.submit(SchedulerHarness.spec("j"))
        let jobRows = decision.changes.compactMap { if case .job(let job) = $0 { job } else { nil } }
        #expect(jobRows.map(\.state) == [.queued, .assigned])
        #expect(jobRows.last?.id == ids[0])
        let events = decision.changes.compactMap { if case .event(let event) = $0 { event.state } else { nil } }
        #expect(events == [.queued, .assigned])
    }

    @Test func recovery_givesRunningJobsAGracePeriod_thenRequeues() {
        var h = SchedulerHarness()
        h.connect("a", gpus: 1)
        let (ids, decision) = h.submit(SchedulerHarness.spec("running"), SchedulerHarness.spec("queued"))
        h.acceptAll(decision)
        let stored = RecoveredState(
            jobs: ids.map { h.core.job($0)! }, agents: [h.core.agentRecord("a")!],
            storedSeqs: [JobAttempt(jobID: ids[0], attempt: 1): [1, 2, 3, 4, 5, 6, 7]])
        var restarted = SchedulerCore(configuration: h.core.configuration, recovering: stored, at: h.now)
        #expect(restarted.checkRecords("a", JobAttempt(jobID: ids[0], attempt: 1), seq: 7) == .duplicate)
        #expect(restarted.checkRecords("a", JobAttempt(jobID: ids[0], attempt: 1), seq: 8) == .store)
        // 29 s later the agent has not come back: the job still waits for it.
        _ = restarted.tick(at: h.now.adding(seconds: 29))
        #expect(restarted.job(ids[0])?.state == .running)
        // Reclaimed with `holding` before the grace ends.
        var reclaimed = restarted
        _ = reclaimed.agentConnected(
            SchedulerHarness.hello("a", gpus: 1, holding: [JobAttempt(jobID: ids[0], attempt: 1)]), sessionID: "s2",
            at: h.now.adding(seconds: 29))
        #expect(reclaimed.job(ids[0])?.state == .running)
        #expect(reclaimed.job(ids[0])?.attempt == 1)
        // Not reclaimed: requeued once the grace ends.
        _ = restarted.tick(at: h.now.adding(seconds: 31))
        #expect(restarted.job(ids[0])?.state == .queued)
        #expect(restarted.job(ids[0])?.attempt == 2)
        #expect(restarted.queuedJobIDs == [ids[0], ids[1]], "back in submission order")
    }
}
