import Foundation
import Wire

/// The coordinator's decisions, as a pure state machine.
///
/// Every input (a submit, a frame from an agent, a tick of the clock) is a `mutating` call that
/// returns a ``Decision``; the caller makes its changes durable and then sends its frames. No I/O
/// and no clock of its own: time comes in as an argument, so tests drive leases and backoffs
/// without sleeping.
public struct SchedulerCore: Sendable {
    struct AgentEntry: Sendable {
        var record: AgentRecord
        /// The session the agent is connected on; `nil` while disconnected.
        var sessionID: String?
        var busyGPUs: Set<Int> = []
        var jobs: Set<JobID> = []
        var cpuJobs = 0
        var exclusiveJobs = 0
        /// The agent said it is shutting down (an `interrupted` attempt): nothing new goes
        /// there until it connects again.
        var stopping = false
    }

    public let configuration: SchedulerConfiguration
    public private(set) var jobs: [JobID: Job] = [:]
    /// Lease expiry (monotonic seconds) of every job an agent holds.
    private var leases: [JobID: Double] = [:]
    /// Earliest monotonic time a requeued job may be placed again.
    private var notBefore: [JobID: Double] = [:]
    /// Record batches stored per job, for its current attempt.
    private var storedBatches: [JobID: StoredBatches] = [:]
    /// Log bytes kept of each job's current attempt in this coordinator's lifetime.
    private var logBytes: [JobID: (attempt: Attempt, bytes: Int)] = [:]
    /// Latest progress each agent reported for the jobs it holds.
    public private(set) var progress: [JobID: JobProgress] = [:]
    /// Queued jobs in the order they should be placed.
    private var queue: [JobID] = []
    /// Something that placement depends on changed (work queued, capacity freed, an agent
    /// arrived or was undrained, a backoff ran out). Placement skips its pass otherwise, which
    /// matters with thousands of queued jobs and agents and a tick every 100 ms.
    private var placementNeeded = false
    private var agents: [AgentID: AgentEntry] = [:]
    private var nextSubmitSeq = 1

    public init(configuration: SchedulerConfiguration = .init()) {
        self.configuration = configuration
    }

    /// Resumes from the store after a restart. Jobs that agents held get `recoveryGraceSeconds`
    /// for those agents to reconnect and reclaim them with `holding`.
    public init(configuration: SchedulerConfiguration, recovering state: RecoveredState, at now: SchedulerTime) {
        self.configuration = configuration
        for record in state.agents { agents[record.id] = AgentEntry(record: record) }
        for job in state.jobs {
            jobs[job.id] = job
            nextSubmitSeq = max(nextSubmitSeq, job.submitSeq + 1)
            if job.state == .queued { enqueue(job) }
            if job.state.isOnAgent, let agentID = job.agentID {
                leases[job.id] = now.monotonic + configuration.recoveryGraceSeconds
                occupy(job, on: agentID)
            }
        }
        for (attempt, seqs) in state.storedSeqs where jobs[attempt.jobID]?.attempt == attempt.attempt {
            var stored = StoredBatches(attempt: attempt.attempt)
            for seq in seqs { stored.insert(seq) }
            storedBatches[attempt.jobID] = stored
        }
    }

    // MARK: Reading

    public func job(_ id: JobID) -> Job? { jobs[id] }

    public var agentIDs: [AgentID] { agents.keys.sorted() }

    public func agentRecord(_ id: AgentID) -> AgentRecord? { agents[id]?.record }

    public func isConnected(_ id: AgentID) -> Bool { agents[id]?.sessionID != nil }

    public func busyGPUs(of id: AgentID) -> [Int] { agents[id].map { $0.busyGPUs.sorted() } ?? [] }

    public func jobs(on id: AgentID) -> [JobID] { agents[id].map { $0.jobs.sorted() } ?? [] }

    public var queuedJobIDs: [JobID] { queue }

    // MARK: Operators

    /// Queues new jobs; returns their ids in the order given.
    public mutating func submit(_ specs: [JobSpec], at now: SchedulerTime) -> (ids: [JobID], decision: Decision) {
        var decision = Decision()
        var ids: [JobID] = []
        for spec in specs {
            let seq = nextSubmitSeq
            nextSubmitSeq += 1
            let job = Job(
                id: Job.id(forSubmitSeq: seq), submitSeq: seq, spec: spec, detail: "submitted",
                submittedAt: now.wall, updatedAt: now.wall)
            jobs[job.id] = job
            enqueue(job)
            ids.append(job.id)
            record(job, at: now, into: &decision)
        }
        decision.merge(place(at: now))
        return (ids, decision)
    }

    public mutating func cancel(_ id: JobID, at now: SchedulerTime) -> (CancelResult, Decision) {
        guard var job = jobs[id] else { return (.notFound, Decision()) }
        var decision = Decision()
        switch job.state {
        case .succeeded, .failed, .canceled:
            return (.alreadyFinished, decision)
        case .canceling:
            return (.canceling, decision)
        case .queued:
            dequeue(id)
            notBefore[id] = nil
            job.state = .canceled
            job.detail = "canceled while queued"
            update(job, at: now, into: &decision)
            return (.canceled, decision)
        case .assigned, .running:
            job.state = .canceling
            job.detail = "cancel requested"
            update(job, at: now, into: &decision)
            if let agentID = job.agentID {
                decision.send(agentID, .cancel(cancelFrame(for: job)))
            }
            return (.canceling, decision)
        }
    }

    /// Stops new placements on an agent; what runs there finishes.
    public mutating func drain(_ agentID: AgentID, reason: String, at now: SchedulerTime) -> Decision? {
        guard var entry = agents[agentID] else { return nil }
        entry.record.drainReason = reason
        agents[agentID] = entry
        var decision = Decision(changes: [.agent(entry.record)])
        decision.send(agentID, .drain(Reason(reason: reason)))
        return decision
    }

    public mutating func undrain(_ agentID: AgentID, at now: SchedulerTime) -> Decision? {
        guard var entry = agents[agentID] else { return nil }
        entry.record.drainReason = nil
        agents[agentID] = entry
        placementNeeded = true
        var decision = Decision(changes: [.agent(entry.record)])
        decision.send(agentID, .undrain)
        decision.merge(place(at: now))
        return decision
    }

    // MARK: Agents

    /// An agent completed the handshake. Reconciles what it holds with what the coordinator
    /// thinks it holds: matching attempts are reclaimed, the coordinator's others are requeued,
    /// the agent's others are answered `stale`.
    public mutating func agentConnected(_ hello: Hello, sessionID: String, at now: SchedulerTime) -> Decision {
        var decision = Decision()
        var entry =
            agents[hello.agentID]
            ?? AgentEntry(
                record: AgentRecord(
                    id: hello.agentID, instanceID: hello.instanceID, agentVersion: hello.agentVersion,
                    inventory: hello.inventory, labels: hello.labels, drainReason: nil,
                    firstSeenAt: now.wall, lastSeenAt: now.wall))
        entry.record.instanceID = hello.instanceID
        entry.record.agentVersion = hello.agentVersion
        entry.record.inventory = hello.inventory
        entry.record.labels = hello.labels
        entry.record.lastSeenAt = now.wall
        entry.sessionID = sessionID
        entry.stopping = false
        agents[hello.agentID] = entry
        placementNeeded = true
        decision.changes.append(.agent(entry.record))
        if let reason = entry.record.drainReason { decision.send(hello.agentID, .drain(Reason(reason: reason))) }

        let held = Set(hello.holding)
        for id in entry.jobs.sorted() {
            guard var job = jobs[id] else { continue }
            if held.contains(job.jobAttempt) {
                leases[id] = now.monotonic + configuration.leaseSeconds
                if job.state == .assigned {
                    job.state = .running
                    job.detail = "reclaimed by \(hello.agentID) after reconnect"
                    update(job, at: now, into: &decision)
                }
                if job.state == .canceling { decision.send(hello.agentID, .cancel(cancelFrame(for: job))) }
            } else {
                decision.merge(attemptLost(id, reason: "agent \(hello.agentID) reconnected without it", at: now))
            }
        }
        for attempt in held.sorted(by: { $0.description < $1.description }) {
            let job = jobs[attempt.jobID]
            if job?.attempt != attempt.attempt || job?.agentID != hello.agentID || job?.state.isOnAgent != true {
                decision.send(hello.agentID, .stale(staleFrame(attempt)))
            }
        }
        decision.merge(place(at: now))
        return decision
    }

    /// The agent's connection closed. Its jobs keep their leases: it may be back before they expire.
    public mutating func agentDisconnected(_ agentID: AgentID, sessionID: String, at now: SchedulerTime) -> Decision {
        guard var entry = agents[agentID], entry.sessionID == sessionID else { return Decision() }
        entry.sessionID = nil
        entry.record.lastSeenAt = now.wall
        agents[agentID] = entry
        return Decision(changes: [.agent(entry.record)])
    }

    public mutating func heartbeat(_ agentID: AgentID, _ heartbeat: Heartbeat, at now: SchedulerTime) -> Decision {
        var decision = Decision()
        guard agents[agentID] != nil else { return decision }
        for held in heartbeat.holding {
            if isCurrent(held.jobAttempt, on: agentID) {
                leases[held.jobID] = now.monotonic + configuration.leaseSeconds
                progress[held.jobID] = held.progress
            } else {
                decision.send(agentID, .stale(staleFrame(held.jobAttempt)))
            }
        }
        let cancels = agents[agentID]!.jobs.sorted().compactMap { id -> JobAttempt? in
            guard let job = jobs[id], job.state == .canceling else { return nil }
            return job.jobAttempt
        }
        decision.send(agentID, .heartbeatAck(HeartbeatAck(cancel: cancels)))
        return decision
    }

    public mutating func accepted(_ agentID: AgentID, _ attempt: JobAttempt, at now: SchedulerTime) -> Decision {
        var decision = Decision()
        guard isCurrent(attempt, on: agentID), var job = jobs[attempt.jobID] else {
            decision.send(agentID, .stale(staleFrame(attempt)))
            return decision
        }
        leases[job.id] = now.monotonic + configuration.leaseSeconds
        if job.state == .assigned {
            job.state = .running
            job.detail = "running on \(agentID)"
            update(job, at: now, into: &decision)
        }
        return decision
    }

    /// Fencing for a batch of records: only the job's current attempt, on the agent that holds it.
    ///
    /// `seq` starts at 1 and grows by one: a batch may repeat one already stored or accepted, or
    /// be the next after the highest accepted (batches of a reconnected agent can be checked
    /// while its previous connection's are still being stored), nothing else.
    public mutating func checkRecords(_ agentID: AgentID, _ attempt: JobAttempt, seq: Int) -> RecordsVerdict {
        guard isCurrent(attempt, on: agentID) else { return .stale(current: jobs[attempt.jobID]?.attempt) }
        startBatches(of: attempt)
        let stored = storedBatches[attempt.jobID]!
        let next = stored.highestAccepted + 1
        guard seq >= 1 else { return .outOfOrder(next: next) }
        if stored.contains(seq) { return .duplicate }
        guard seq <= next else { return .outOfOrder(next: next) }
        storedBatches[attempt.jobID]!.accept(seq)
        return .store
    }

    /// The store has made a batch durable.
    public mutating func recordsStored(_ attempt: JobAttempt, seq: Int) {
        startBatches(of: attempt)
        storedBatches[attempt.jobID]!.insert(seq)
    }

    /// A new attempt's batches are counted from nothing.
    private mutating func startBatches(of attempt: JobAttempt) {
        if storedBatches[attempt.jobID]?.attempt != attempt.attempt {
            storedBatches[attempt.jobID] = StoredBatches(attempt: attempt.attempt)
        }
    }

    /// Lines of a workload's log; kept only from the current attempt.
    public mutating func log(_ agentID: AgentID, _ lines: LogLines, at now: SchedulerTime) -> Decision {
        let attempt = JobAttempt(jobID: lines.jobID, attempt: lines.attempt)
        guard isCurrent(attempt, on: agentID) else {
            return Decision(frames: [Outbound(agentID, .stale(staleFrame(attempt)))])
        }
        var text = lines.lines
        if lines.dropped > 0 { text.append("[sweepline] agent dropped \(lines.dropped) log lines (buffer full)") }
        let kept = keepWithinLogBudget(text, of: attempt)
        return kept.isEmpty ? Decision() : Decision(changes: [.log(attempt, at: now.wall, lines: kept)])
    }

    /// The lines that fit in the attempt's log budget; the first line that does not is replaced
    /// by a note, and everything after it is dropped.
    private mutating func keepWithinLogBudget(_ lines: [String], of attempt: JobAttempt) -> [String] {
        let budget = configuration.logBytesPerAttempt
        var used = logBytes[attempt.jobID].flatMap { $0.attempt == attempt.attempt ? $0.bytes : nil } ?? 0
        guard used <= budget else { return [] }
        var kept: [String] = []
        for line in lines {
            let bytes = line.utf8.count + 1
            if used + bytes > budget {
                kept.append(
                    "[sweepline] this attempt's log reached its \(budget)-byte limit; later lines are not kept")
                used = budget + 1
                break
            }
            kept.append(line)
            used += bytes
        }
        logBytes[attempt.jobID] = (attempt.attempt, used)
        return kept
    }

    public mutating func finished(_ agentID: AgentID, _ finished: Finished, at now: SchedulerTime) -> Decision {
        var decision = Decision()
        let attempt = JobAttempt(jobID: finished.jobID, attempt: finished.attempt)
        guard var job = jobs[finished.jobID], job.attempt == finished.attempt else {
            decision.send(agentID, .stale(staleFrame(attempt)))
            return decision
        }
        if job.state.isTerminal, job.agentID == agentID {
            decision.send(agentID, .finishedAck(attempt))  // a repeat after a reconnect
            return decision
        }
        guard isCurrent(attempt, on: agentID) else {
            decision.send(agentID, .stale(staleFrame(attempt)))
            return decision
        }
        release(job)
        let wasCanceling = job.state == .canceling
        switch finished.outcome {
        case .succeeded:
            job.state = .succeeded
            job.detail = finished.detail.isEmpty ? "succeeded" : finished.detail
            update(job, at: now, into: &decision)
        case _ where wasCanceling:
            job.state = .canceled
            job.detail = "canceled: \(finished.detail)"
            update(job, at: now, into: &decision)
        case .canceled:
            job.state = .canceled
            job.detail = finished.detail
            update(job, at: now, into: &decision)
        case .failed:
            if job.retriesUsed.workloadFailures < job.spec.retries.workloadFailures {
                job.retriesUsed.workloadFailures += 1
                let backoff = min(
                    configuration.retryBackoffCapSeconds,
                    configuration.retryBackoffSeconds * pow(2, Double(job.retriesUsed.workloadFailures - 1)))
                notBefore[job.id] = now.monotonic + backoff
                job.avoidAgent = agentID
                requeue(
                    &job, detail: "workload failed on \(agentID): \(finished.detail); retry in \(Int(backoff)) s",
                    at: now, into: &decision)
            } else {
                job.state = .failed
                job.detail = "workload failed on \(agentID): \(finished.detail) (retries exhausted)"
                update(job, at: now, into: &decision)
            }
        case .interrupted:
            agents[agentID]?.stopping = true
            decision.merge(requeueAfterLoss(&job, reason: "interrupted on \(agentID): \(finished.detail)", at: now))
        }
        decision.send(agentID, .finishedAck(attempt))
        decision.merge(place(at: now))
        return decision
    }

    // MARK: Time

    /// Expires leases and places queued jobs. Call it often (every 100 ms or so).
    public mutating func tick(at now: SchedulerTime) -> Decision {
        var decision = Decision()
        let expired = leases.filter { $0.value <= now.monotonic }.keys.sorted()
        for id in expired {
            let agent = jobs[id]?.agentID ?? "?"
            decision.merge(attemptLost(id, reason: "lease expired: no heartbeat from \(agent)", at: now))
        }
        let backoffsOver = notBefore.filter { $0.value <= now.monotonic }.keys
        if !backoffsOver.isEmpty {
            for id in backoffsOver { notBefore[id] = nil }
            placementNeeded = true
        }
        decision.merge(place(at: now))
        return decision
    }

    // MARK: Internals

    private func isCurrent(_ attempt: JobAttempt, on agentID: AgentID) -> Bool {
        guard let job = jobs[attempt.jobID] else { return false }
        return job.attempt == attempt.attempt && job.agentID == agentID && job.state.isOnAgent
    }

    private func staleFrame(_ attempt: JobAttempt) -> Stale {
        Stale(jobID: attempt.jobID, attempt: attempt.attempt, current: jobs[attempt.jobID]?.attempt)
    }

    private func cancelFrame(for job: Job) -> CancelJob {
        CancelJob(jobID: job.id, attempt: job.attempt, graceSeconds: job.spec.cancelGraceSeconds)
    }

    /// The agent no longer runs the attempt (lease expired, or it came back without it).
    private mutating func attemptLost(_ id: JobID, reason: String, at now: SchedulerTime) -> Decision {
        guard var job = jobs[id], job.state.isOnAgent else { return Decision() }
        release(job)
        if job.state == .canceling {
            var decision = Decision()
            job.state = .canceled
            job.detail = "canceled; \(reason)"
            update(job, at: now, into: &decision)
            return decision
        }
        return requeueAfterLoss(&job, reason: reason, at: now)
    }

    /// Requeues a job its agent lost, charging the drain budget when the agent was drained and
    /// the agent-loss budget otherwise. The job must already be released.
    private mutating func requeueAfterLoss(_ job: inout Job, reason: String, at now: SchedulerTime) -> Decision {
        var decision = Decision()
        let drained = job.agentID.flatMap { agents[$0]?.record.drainReason } != nil
        // An agent that lost a job while connected may be wedged: prefer any other.
        job.avoidAgent = job.agentID
        if drained, job.retriesUsed.drains < job.spec.retries.drains {
            job.retriesUsed.drains += 1
            requeue(&job, detail: "\(reason) (agent drained; retry is free)", at: now, into: &decision)
        } else if !drained, job.retriesUsed.agentLosses < job.spec.retries.agentLosses {
            job.retriesUsed.agentLosses += 1
            requeue(&job, detail: reason, at: now, into: &decision)
        } else {
            job.state = .failed
            job.detail = "\(reason) (retries exhausted)"
            update(job, at: now, into: &decision)
        }
        return decision
    }

    private mutating func requeue(
        _ job: inout Job, detail: String, at now: SchedulerTime, into decision: inout Decision
    ) {
        job.state = .queued
        job.attempt += 1
        job.agentID = nil
        job.gpus = []
        job.detail = detail
        enqueue(job)
        update(job, at: now, into: &decision)
    }

    private mutating func place(at now: SchedulerTime) -> Decision {
        var decision = Decision()
        guard placementNeeded, !queue.isEmpty else { return decision }
        placementNeeded = false
        // Agents with free GPUs, and agents with room for CPU-only jobs: a job searches only the
        // pool it can use, and a full pool ends the search for its kind of job at once.
        var gpuPool: [PlacementCandidate] = []
        var cpuPool: [PlacementCandidate] = []
        for entry in agents.values {
            guard let candidate = candidate(entry) else { continue }
            if !candidate.freeGPUs.isEmpty { gpuPool.append(candidate) }
            if candidate.cpuJobs < candidate.cpuSlots { cpuPool.append(candidate) }
        }
        var placed: Set<JobID> = []
        var onAgents = configuration.maximumJobsOnAgents == nil ? 0 : jobs.values.filter(\.state.isOnAgent).count
        for id in queue {
            if gpuPool.isEmpty && cpuPool.isEmpty { break }
            if let limit = configuration.maximumJobsOnAgents, onAgents >= limit { break }
            guard var job = jobs[id], notBefore[id] == nil else { continue }
            let pool: [PlacementCandidate]
            switch (job.spec.gpus > 0, job.spec.exclusive) {
            case (true, _): pool = gpuPool
            case (false, false): pool = cpuPool
            case (false, true): pool = gpuPool + cpuPool
            }
            guard !pool.isEmpty, let choice = Placement.choose(for: job.spec, avoiding: job.avoidAgent, among: pool)
            else {
                continue
            }
            job.state = .assigned
            job.agentID = choice.agentID
            job.gpus = choice.gpus
            job.detail = "assigned to \(choice.agentID)"
            leases[id] = now.monotonic + configuration.leaseSeconds
            occupy(job, on: choice.agentID)
            update(job, at: now, into: &decision)
            decision.send(
                choice.agentID, .assign(Assign(jobID: id, attempt: job.attempt, spec: job.spec, gpus: job.gpus)))
            placed.insert(id)
            onAgents += 1
            let updated = agents[choice.agentID].flatMap(candidate)
            gpuPool.removeAll { $0.agentID == choice.agentID }
            cpuPool.removeAll { $0.agentID == choice.agentID }
            if let updated, !updated.freeGPUs.isEmpty { gpuPool.append(updated) }
            if let updated, updated.cpuJobs < updated.cpuSlots { cpuPool.append(updated) }
        }
        if !placed.isEmpty { queue.removeAll { placed.contains($0) } }
        return decision
    }

    /// The agent as placement sees it, or `nil` when it takes nothing new.
    private func candidate(_ entry: AgentEntry) -> PlacementCandidate? {
        guard entry.sessionID != nil, entry.record.drainReason == nil, !entry.stopping, entry.exclusiveJobs == 0 else {
            return nil
        }
        let all = entry.record.inventory.gpuIndices
        return PlacementCandidate(
            agentID: entry.record.id, gpuModel: entry.record.inventory.gpuModel, labels: entry.record.labels,
            allGPUs: all, freeGPUs: all.filter { !entry.busyGPUs.contains($0) }, cpuJobs: entry.cpuJobs,
            cpuSlots: max(1, entry.record.inventory.cpuCores), heldExclusively: false)
    }

    private mutating func occupy(_ job: Job, on agentID: AgentID) {
        var entry =
            agents[agentID]
            ?? AgentEntry(
                record: AgentRecord(
                    id: agentID, instanceID: "", agentVersion: "",
                    inventory: Inventory(hostname: agentID, vendor: .declared, gpus: [], cpuCores: 1), labels: [:],
                    drainReason: nil, firstSeenAt: job.updatedAt, lastSeenAt: job.updatedAt))
        entry.jobs.insert(job.id)
        entry.busyGPUs.formUnion(job.gpus)
        if job.spec.exclusive { entry.exclusiveJobs += 1 }
        if job.gpus.isEmpty { entry.cpuJobs += 1 }
        agents[agentID] = entry
    }

    private mutating func release(_ job: Job) {
        leases[job.id] = nil
        progress[job.id] = nil
        storedBatches[job.id] = nil
        logBytes[job.id] = nil
        guard let agentID = job.agentID, var entry = agents[agentID], entry.jobs.remove(job.id) != nil else { return }
        entry.busyGPUs.subtract(job.gpus)
        if job.spec.exclusive { entry.exclusiveJobs -= 1 }
        if job.gpus.isEmpty { entry.cpuJobs -= 1 }
        agents[agentID] = entry
        placementNeeded = true
    }

    private mutating func enqueue(_ job: Job) {
        // Higher priority first; within a priority, submission order. Binary search: a sweep
        // submits thousands of jobs at once.
        func before(_ other: JobID) -> Bool {
            guard let queued = jobs[other] else { return true }
            return (queued.spec.priority, -queued.submitSeq) >= (job.spec.priority, -job.submitSeq)
        }
        var low = 0
        var high = queue.count
        while low < high {
            let middle = (low + high) / 2
            if before(queue[middle]) { low = middle + 1 } else { high = middle }
        }
        queue.insert(job.id, at: low)
        placementNeeded = true
    }

    private mutating func dequeue(_ id: JobID) {
        queue.removeAll { $0 == id }
    }

    private mutating func update(_ job: Job, at now: SchedulerTime, into decision: inout Decision) {
        var job = job
        job.updatedAt = now.wall
        jobs[job.id] = job
        record(job, at: now, into: &decision)
    }

    private func record(_ job: Job, at now: SchedulerTime, into decision: inout Decision) {
        decision.changes.append(.job(job))
        decision.changes.append(
            .event(
                JobEvent(
                    jobID: job.id, attempt: job.attempt, at: now.wall, state: job.state, agentID: job.agentID,
                    detail: job.detail)))
    }
}

/// Which record batches of one attempt are stored: every seq up to `contiguous`, and the few
/// that arrived beyond a gap. Agents send in order, so the set stays empty or tiny.
struct StoredBatches: Sendable {
    let attempt: Attempt
    private(set) var contiguous = 0
    private var beyond: Set<Int> = []
    /// The highest seq accepted for storing or stored: the next may be at most one more.
    private(set) var highestAccepted = 0

    init(attempt: Attempt) {
        self.attempt = attempt
    }

    func contains(_ seq: Int) -> Bool { seq <= contiguous || beyond.contains(seq) }

    mutating func accept(_ seq: Int) {
        highestAccepted = max(highestAccepted, seq)
    }

    mutating func insert(_ seq: Int) {
        accept(seq)
        guard !contains(seq) else { return }
        beyond.insert(seq)
        while beyond.remove(contiguous + 1) != nil { contiguous += 1 }
    }
}
