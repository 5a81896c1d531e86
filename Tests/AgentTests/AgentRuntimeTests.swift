import Logging
import Testing
import Wire

@testable import Agent

/// The agent's bookkeeping: what it holds, what it owes, and what it resends after a reconnect.
@Suite struct AgentRuntimeTests {
    static func runtime() -> AgentRuntime {
        let inventory = Inventory(
            hostname: "n1", vendor: .nvidia,
            gpus: (0..<4).map {
                GPUDevice(index: $0, name: "NVIDIA H200", memoryMiB: 143_771, driverVersion: "570", uuid: "GPU-\($0)")
            },
            cpuCores: 8)
        return AgentRuntime(
            agentID: "n1", inventory: inventory, labels: [:], baseEnvironment: [:], logger: Logger(label: "test"))
    }

    static func assign(_ id: JobID, attempt: Attempt = 1, gpus: [Int]) -> Frame {
        .assign(
            Assign(
                jobID: id, attempt: attempt,
                spec: JobSpec(name: id, gpus: gpus.count, command: CommandWorkload(argv: ["true"])), gpus: gpus))
    }

    /// Frames written to the connection so far.
    final class Wire: Sendable {
        let stream: AsyncStream<Frame>
        let continuation: AsyncStream<Frame>.Continuation
        init() { (stream, continuation) = AsyncStream.makeStream(of: Frame.self) }

        func take() async -> [Frame] {
            continuation.yield(.unknown(type: "end-marker"))
            var frames: [Frame] = []
            for await frame in stream {
                if frame == .unknown(type: "end-marker") { break }
                frames.append(frame)
            }
            return frames
        }
    }

    @Test func assign_isAccepted_andStartsTheJob_onDisjointGPUs() async throws {
        let runtime = Self.runtime()
        let wire = Wire()
        await runtime.attach(wire.continuation)
        await runtime.handle(Self.assign("j-1", gpus: [0, 1]))
        await runtime.handle(Self.assign("j-2", gpus: [1, 2]))
        await runtime.handle(Self.assign("j-3", gpus: [9]))
        let frames = await wire.take()
        #expect(frames.filter { if case .accepted = $0 { true } else { false } }.count == 3)
        let refusals = frames.compactMap { if case .finished(let finished) = $0 { finished } else { nil } }
        #expect(refusals.map(\.jobID) == ["j-2", "j-3"])
        #expect(refusals[0].detail.contains("GPU 1 on n1 is still in use"))
        #expect(refusals[1].detail.contains("GPU 9 does not exist"))
        var starts = runtime.starts.makeAsyncIterator()
        #expect(await starts.next()?.job.gpus == [0, 1])
    }

    @Test func records_areBatchedWithSeq_resentAfterReconnect_andFinishedWaitsForAcks() async throws {
        let runtime = Self.runtime()
        let first = Wire()
        await runtime.attach(first.continuation)
        await runtime.handle(Self.assign("j-1", attempt: 3, gpus: [0]))
        var starts = runtime.starts.makeAsyncIterator()
        let start = try #require(await starts.next())
        for index in 0..<5 { start.output.records.push(#"{"i":\#(index)}"#, bytes: 10) }
        await runtime.flush()
        for index in 5..<8 { start.output.records.push(#"{"i":\#(index)}"#, bytes: 10) }
        await runtime.flush()
        await runtime.jobEnded(JobAttempt(jobID: "j-1", attempt: 3), outcome: .succeeded, detail: "exit code 0")
        let sent = await first.take()
        let batches = sent.compactMap { if case .records(let records) = $0 { records } else { nil } }
        #expect(batches.map(\.seq) == [1, 2])
        #expect(batches.map(\.records.count) == [5, 3])
        #expect(
            !sent.contains { if case .finished = $0 { true } else { false } }, "records unacknowledged: finished waits")

        // The connection drops; on the next one the unacknowledged batches go again, same seq.
        await runtime.detach()
        let second = Wire()
        await runtime.attach(second.continuation)
        #expect(await runtime.holding == [JobAttempt(jobID: "j-1", attempt: 3)])
        await runtime.handle(.recordsAck(RecordsAck(jobID: "j-1", attempt: 3, upToSeq: 2)))
        await runtime.flush()
        let resent = await second.take()
        #expect(resent.compactMap { if case .records(let records) = $0 { records.seq } else { nil } } == [1, 2])
        #expect(
            resent.last == .finished(Finished(jobID: "j-1", attempt: 3, outcome: .succeeded, detail: "exit code 0")))
        await runtime.handle(.finishedAck(JobAttempt(jobID: "j-1", attempt: 3)))
        #expect(await runtime.isIdle)
    }

    @Test func stale_stopsTheWorkload_andForgetsIt() async throws {
        let runtime = Self.runtime()
        let wire = Wire()
        await runtime.attach(wire.continuation)
        await runtime.handle(Self.assign("j-1", gpus: [0]))
        var starts = runtime.starts.makeAsyncIterator()
        let start = try #require(await starts.next())
        await runtime.handle(.stale(Stale(jobID: "j-1", attempt: 1, current: 2)))
        #expect(start.cancel.isCanceled)
        #expect(await runtime.holding.isEmpty)
        await runtime.jobEnded(JobAttempt(jobID: "j-1", attempt: 1), outcome: .canceled, detail: "")
        #expect(await runtime.isIdle)
        #expect(!(await wire.take()).contains { if case .finished = $0 { true } else { false } })
    }

    @Test func shutdown_interruptsWorkloads() async throws {
        let runtime = Self.runtime()
        let wire = Wire()
        await runtime.attach(wire.continuation)
        await runtime.handle(Self.assign("j-1", gpus: [0]))
        var starts = runtime.starts.makeAsyncIterator()
        let start = try #require(await starts.next())
        await runtime.beginShutdown()
        #expect(start.cancel.isCanceled)
        await runtime.jobEnded(JobAttempt(jobID: "j-1", attempt: 1), outcome: .canceled, detail: "stopped on request")
        let frames = await wire.take()
        #expect(
            frames.last
                == .finished(Finished(jobID: "j-1", attempt: 1, outcome: .interrupted, detail: "stopped on request")))
    }

    @Test func heartbeat_reportsProgressAndDrops() async throws {
        let runtime = Self.runtime()
        await runtime.handle(Self.assign("j-1", gpus: [0]))
        var starts = runtime.starts.makeAsyncIterator()
        let start = try #require(await starts.next())
        for index in 0..<100_002 { start.output.records.push(#"{"i":\#(index)}"#, bytes: 1) }
        guard case .heartbeat(let beat) = await runtime.heartbeat() else { Issue.record("not a heartbeat"); return }
        #expect(beat.holding.first?.progress == JobProgress(recordsProduced: 100_002, recordsDropped: 2))
    }
}

@Suite struct AgentRuntimeOrderingTests {
    @Test func finished_waitsForTheLastLogLines() async throws {
        let runtime = AgentRuntimeTests.runtime()
        let wire = AgentRuntimeTests.Wire()
        await runtime.attach(wire.continuation)
        await runtime.handle(AgentRuntimeTests.assign("j-1", gpus: [0]))
        var starts = runtime.starts.makeAsyncIterator()
        let start = try #require(await starts.next())
        for index in 0..<1200 { start.output.logLine("line \(index)") }
        await runtime.jobEnded(JobAttempt(jobID: "j-1", attempt: 1), outcome: .succeeded, detail: "exit code 0")
        await runtime.flush()
        let frames = await wire.take()
        let logs = frames.compactMap { if case .log(let lines) = $0 { lines.lines.count } else { nil } }
        #expect(logs.reduce(0, +) == 1200)
        #expect(
            frames.last.map { if case .finished = $0 { true } else { false } } == true, "finished after every log frame"
        )
    }

    @Test func aNewAttempt_doesNotReplaceAnOldOneStillStopping() async throws {
        let runtime = AgentRuntimeTests.runtime()
        let wire = AgentRuntimeTests.Wire()
        await runtime.attach(wire.continuation)
        await runtime.handle(AgentRuntimeTests.assign("j-1", attempt: 1, gpus: [0]))
        await runtime.handle(.stale(Stale(jobID: "j-1", attempt: 1, current: 2)))
        // Attempt 2 asks for the GPU the stopping attempt 1 still holds: refused, not shared.
        await runtime.handle(AgentRuntimeTests.assign("j-1", attempt: 2, gpus: [0]))
        await runtime.handle(AgentRuntimeTests.assign("j-1", attempt: 2, gpus: [1]))
        let frames = await wire.take()
        #expect(
            frames.contains(
                .finished(
                    Finished(
                        jobID: "j-1", attempt: 2, outcome: .interrupted,
                        detail: "GPU 0 on n1 is still in use by another attempt"))))
    }
}
