import Foundation
import Logging
import NIOCore
import NIOEmbedded
import Testing
import Wire

@testable import Coordinator

/// One agent connection's logic at the coordinator, over `NIOAsyncTestingChannel`: frames in as
/// an agent would write them, frames out as the coordinator answers, a real store beneath.
@Suite struct AgentSessionTests {
    /// The secret every test agent presents: each of `enrolled` holds a credential for it.
    static let token = "session-test-token"
    static let enrolled = ["node-1", "node-2", "node-3", "node-seq", "node-revoked"]

    /// A coordinator engine over a fresh SQLite store, its writer running, and one session on a
    /// testing channel; `body` talks to it, then everything is stopped.
    static func withSession(
        _ body: @Sendable (NIOAsyncTestingChannel, CoordinatorEngine, any SweeplineStore) async throws -> Void
    ) async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("session-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("sweepline.db").path)
        let logger = Logger(label: "test")
        try await store.apply(
            enrolled.map {
                .credential(
                    AgentCredential(agentID: $0, secretDigest: AgentCredential.digest(of: token), enrolledAt: Date()))
            })
        let engine = try await CoordinatorEngine(store: store, configuration: .init(), logger: logger)
        let writer = Task { try await StateWriter(engine: engine, store: store, logger: logger).run() }
        let channel = NIOAsyncTestingChannel()
        let connection = try await channel.testingEventLoop.executeInContext {
            try NIOAsyncChannel<Frame, Frame>(wrappingChannelSynchronously: channel)
        }
        let session = AgentSession(
            engine: engine, limits: AgentLinkLimits(handshakeTimeoutSeconds: 30), logger: logger)
        let running = Task { await session.run(connection) }
        do {
            try await body(channel, engine, store)
        } catch {
            try? await channel.close()
            await running.value
            await engine.writes.close()
            _ = try? await writer.value
            throw error
        }
        try? await channel.close()
        await running.value
        await engine.writes.close()  // the writer commits what is queued, then returns
        try await writer.value
    }

    static func hello(_ agentID: AgentID, secret: String = token) -> Frame {
        .hello(
            Hello(
                agentID: agentID, instanceID: "i-1", protocol: .current, agentVersion: "test", token: secret,
                inventory: Inventory(
                    hostname: agentID, vendor: .nvidia,
                    gpus: [
                        GPUDevice(
                            index: 0, name: "NVIDIA H200", memoryMiB: 143_771, driverVersion: "570", uuid: "GPU-0")
                    ], cpuCores: 8),
                labels: [:], holding: []))
    }

    struct NoSuchFrame: Error {}

    /// The next frame the coordinator writes that `matching` accepts, skipping the others; fails
    /// after 10 s rather than waiting for ever (`waitForOutboundWrite` cannot be cancelled).
    static func next<T>(_ channel: NIOAsyncTestingChannel, _ matching: (Frame) -> T?) async throws -> T {
        for _ in 0..<1000 {
            if let frame = try await channel.readOutbound(as: Frame.self) {
                if let wanted = matching(frame) { return wanted }
            } else {
                try await Task.sleep(for: .milliseconds(10))
            }
        }
        throw NoSuchFrame()
    }

    @Test func recordsImmediatelyFollowedByFinished_areAllStoredBeforeTheJobSucceeds() async throws {
        try await Self.withSession { channel, engine, store in
            let ids = try await engine.submit([
                JobSpec(name: "burst", gpus: 1, command: CommandWorkload(argv: ["true"]))
            ])
            let jobID = try #require(ids.first)
            try await channel.writeInbound(Self.hello("node-1"))
            _ = try await Self.next(channel) { if case .welcome(let welcome) = $0 { welcome } else { nil } }
            await engine.tick()
            let assign = try await Self.next(channel) { if case .assign(let assign) = $0 { assign } else { nil } }
            #expect(assign.jobID == jobID)

            // An agent that does not wait for acknowledgements: accepted, eight batches and
            // finished, back to back on one connection, all read in one go.
            let batches = 8
            let perBatch = 250
            var burst: [Frame] = [.accepted(JobAttempt(jobID: jobID, attempt: assign.attempt))]
            for seq in 1...batches {
                let records = (0..<perBatch).map { index -> JSONValue in
                    .object(["seq": .number(Double(seq)), "i": .number(Double(index))])
                }
                burst.append(
                    .records(
                        Records(
                            jobID: jobID, attempt: assign.attempt, seq: seq, records: RecordsJSON(records), dropped: 0))
                )
            }
            burst.append(
                .finished(Finished(jobID: jobID, attempt: assign.attempt, outcome: .succeeded, detail: "exit code 0")))
            try await channel.testingEventLoop.executeInContext { [burst] in
                for frame in burst { channel.pipeline.fireChannelRead(frame) }
                channel.pipeline.fireChannelReadComplete()
            }

            var acked: [Int] = []
            while acked.count < batches {
                acked.append(
                    try await Self.next(channel) { frame -> Int? in
                        if case .stale(let stale) = frame { Issue.record("answered stale: \(stale)") }
                        if case .recordsAck(let ack) = frame { return ack.upToSeq }
                        return nil
                    })
            }
            #expect(acked == Array(1...batches))
            _ = try await Self.next(channel) { if case .finishedAck(let attempt) = $0 { attempt } else { nil } }

            #expect(await engine.job(jobID)?.state == .succeeded)
            let counts = try await store.recordCounts(of: jobID)
            #expect(
                counts == [
                    RecordCount(attempt: assign.attempt, batches: batches, records: batches * perBatch, dropped: 0)
                ])
            #expect(try await store.records(of: jobID, attempt: assign.attempt).count == batches * perBatch)
        }
    }

    @Test func recordsWithSeqZeroOrAGap_areRefusedWithTheReason_andNotAcknowledged() async throws {
        for badSeq in [0, -3, 3] {
            try await Self.withSession { channel, engine, store in
                let ids = try await engine.submit([
                    JobSpec(name: "bad-seq", gpus: 1, command: CommandWorkload(argv: ["true"]))
                ])
                let jobID = try #require(ids.first)
                try await channel.writeInbound(Self.hello("node-seq"))
                _ = try await Self.next(channel) { if case .welcome(let welcome) = $0 { welcome } else { nil } }
                await engine.tick()
                let assign = try await Self.next(channel) { if case .assign(let assign) = $0 { assign } else { nil } }
                try await channel.writeInbound(Frame.accepted(JobAttempt(jobID: jobID, attempt: assign.attempt)))
                let record = RecordsJSON([.object(["i": .number(1)])])
                if badSeq == 3 {  // 1 is fine; 3 skips 2
                    try await channel.writeInbound(
                        Frame.records(
                            Records(jobID: jobID, attempt: assign.attempt, seq: 1, records: record, dropped: 0)))
                    _ = try await Self.next(channel) { if case .recordsAck(let ack) = $0 { ack } else { nil } }
                }
                try await channel.writeInbound(
                    Frame.records(
                        Records(jobID: jobID, attempt: assign.attempt, seq: badSeq, records: record, dropped: 0)))
                let reason = try await Self.next(channel) { frame -> Reason? in
                    if case .recordsAck(let ack) = frame { Issue.record("seq \(ack.upToSeq) acknowledged") }
                    if case .error(let reason) = frame { return reason }
                    return nil
                }
                #expect(
                    reason.reason.contains("with seq \(badSeq): seq starts at 1 and grows by one"), "\(reason.reason)")
                #expect(try await store.recordCounts(of: jobID).first?.batches ?? 0 == (badSeq == 3 ? 1 : 0))
            }
        }
    }

    @Test func agentIDsThatForgeLogLinesOrHideKilobytes_areRejectedAtHello() async throws {
        let forged = "node-1\n2026-12-01T00:00:00+0000 info coordinator: agent=root [Coordinator] granted admin"
        let huge = String(repeating: "n", count: 400_000)
        let combining = "a" + String(repeating: "\u{0301}", count: 2_000)  // one Character, 4,001 bytes
        for id in [forged, huge, combining, ""] {
            try await Self.withSession { channel, engine, _ in
                try await channel.writeInbound(Self.hello(id))
                let reason = try await Self.next(channel) { if case .rejected(let reason) = $0 { reason } else { nil } }
                #expect(reason.reason.hasPrefix("an agent id is"), "\(reason.reason)")
                #expect(await engine.snapshot().agents.isEmpty)
            }
        }
    }

    @Test func aHeartbeat_afterHello_isAcknowledged() async throws {
        try await Self.withSession { channel, engine, _ in
            try await channel.writeInbound(Self.hello("node-2"))
            _ = try await Self.next(channel) { if case .welcome(let welcome) = $0 { welcome } else { nil } }
            try await channel.writeInbound(Frame.heartbeat(Heartbeat(holding: [])))
            _ = try await Self.next(channel) { if case .heartbeatAck(let ack) = $0 { ack } else { nil } }
            #expect(await engine.snapshot().agents.map(\.record.id) == ["node-2"])
        }
    }

    @Test func aSecondHello_closesTheSessionWithAnError() async throws {
        try await Self.withSession { channel, _, _ in
            try await channel.writeInbound(Self.hello("node-3"))
            _ = try await Self.next(channel) { if case .welcome(let welcome) = $0 { welcome } else { nil } }
            try await channel.writeInbound(Self.hello("node-3"))
            let reason = try await Self.next(channel) { if case .error(let reason) = $0 { reason } else { nil } }
            #expect(reason.reason.contains("hello sent twice"))
        }
    }

    /// One agent's credential never admits another: the shared-token takeover (a second
    /// connection presenting another agent's id) is refused at hello, and the real agent's
    /// session is untouched.
    @Test func anImpostorWithAnotherAgentsCredential_isRefused() async throws {
        try await Self.withSession { channel, engine, _ in
            guard case .minted(let theirs) = try await engine.enroll("node-impostor") else {
                Issue.record("enrolment refused")
                return
            }
            try await channel.writeInbound(Self.hello("node-1", secret: theirs.secret))
            let reason = try await Self.next(channel) { if case .rejected(let reason) = $0 { reason } else { nil } }
            #expect(reason.reason.hasPrefix("agent node-1 presented no valid credential"), "\(reason.reason)")
            #expect(await engine.snapshot().agents.isEmpty)
        }
    }

    @Test func aRotatedCredential_admitsOnlyTheNewSecret() async throws {
        try await Self.withSession { channel, engine, _ in
            guard case .minted(let rotated) = try await engine.rotate("node-2") else {
                Issue.record("rotation refused")
                return
            }
            #expect(await !engine.admits("node-2", secret: Self.token))
            #expect(await engine.admits("node-2", secret: rotated.secret))
            #expect(
                try await engine.enroll("node-2")
                    == .refused("agent node-2 is already enrolled; rotate its credential to get a new secret"))
            try await channel.writeInbound(Self.hello("node-2", secret: rotated.secret))
            _ = try await Self.next(channel) { if case .welcome(let welcome) = $0 { welcome } else { nil } }
        }
    }

    /// Revocation ends the agent's connection at once, and survives a restart of the engine.
    @Test func aRevokedAgent_isDisconnected_andRefusedFromThenOn() async throws {
        try await Self.withSession { channel, engine, store in
            try await channel.writeInbound(Self.hello("node-revoked"))
            _ = try await Self.next(channel) { if case .welcome(let welcome) = $0 { welcome } else { nil } }
            #expect(try await engine.revoke("node-revoked"))
            try await eventuallyTrue { await engine.snapshot().agents.filter(\.connected).isEmpty }
            #expect(await !engine.admits("node-revoked", secret: Self.token))
            #expect(try await !store.recover().credentials.contains { $0.agentID == "node-revoked" })
            #expect(try await !engine.revoke("node-revoked"))
        }
    }

    private func eventuallyTrue(_ condition: () async -> Bool) async throws {
        for _ in 0..<500 {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("condition never held")
    }
}
