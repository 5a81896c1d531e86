import Foundation
import Logging
import NIOCore
import Wire

/// One agent's connection: the handshake, then frames in both directions until it closes.
///
/// The handshake comes first and alone: the first frame must be a valid `hello` (answered
/// `rejected` otherwise), and nothing else is made for the connection until it is, so peers
/// that never say it cost little. Then:
///
/// ```
///  inbound ──▶ read loop ──heartbeat──────────────────────────────▶ engine (answered at once)
///                 │      ──log, over the agent's rate──▶ dropped (the next log says so)
///                 └─every other frame─▶ ordered lane ──records────▶ store, then recordsAck
///                                       (one task,     finished,──▶ engine
///                                        in order)     accepted, log, …
///  outbound ◀── writer task ◀── outbox ◀── replies, decisions, a final error
/// ```
///
/// After `hello`, frames are handled in the order they arrive, one at a time: a `finished`
/// right behind its records is handled only once those records are stored, so a job never
/// ends with records still in flight. Heartbeats alone skip the lane: they renew leases and
/// report progress, which nothing else on the connection depends on, and a store write must
/// not cost a fast-streaming agent its leases.
///
/// Every frame to the agent goes through one outbox, written by one task, so replies,
/// decisions and a final `error` frame keep their order; when the outbox ends the connection
/// closes. Nothing that happens on one connection (garbage, a wrong token, an
/// oversize frame) touches any other.
struct AgentSession {
    let engine: CoordinatorEngine
    let limits: AgentLinkLimits
    /// Agents are identified by their TLS client certificates, not by credentials.
    var mutualTLS = false
    let logger: Logger

    /// - Parameter handshakeDone: called once, when `hello` is accepted or the connection ends
    ///   before that.
    func run(_ connection: NIOAsyncChannel<Frame, Frame>, handshakeDone: @Sendable () -> Void = {}) async {
        var handshaking = true
        func endHandshake() {
            if handshaking { handshakeDone() }
            handshaking = false
        }
        defer { endHandshake() }
        let channel = connection.channel
        let peer = channel.remoteAddress?.description ?? "unknown peer"
        // A peer that never says hello does not hold a connection for long.
        let handshakeDeadline = channel.eventLoop.scheduleTask(
            in: .milliseconds(Int64(limits.handshakeTimeoutSeconds * 1000))
        ) {
            channel.close(promise: nil)
        }
        do {
            try await connection.executeThenClose { inbound, outbound in
                // The handshake first, with nothing else made for the connection: thousands of
                // peers that never say hello cost only their sockets and this one read.
                var frames = inbound.makeAsyncIterator()
                let hello: Hello
                do {
                    guard let first = try await frames.next() else { return }
                    // The handshake is over once a frame has been decrypted.
                    let certified =
                        mutualTLS
                        ? (try? await channel.nioSSL_peerCertificate().get()).flatMap(CertificateIdentity.agentID)
                        : nil
                    switch await validate(first, certified: certified) {
                    case .failure(let refusal):
                        logger.warning("agent refused", metadata: ["peer": "\(peer)", "reason": "\(refusal.reason)"])
                        try? await outbound.write(.rejected(Reason(reason: refusal.reason)))
                        return
                    case .success(let accepted): hello = accepted
                    }
                } catch {
                    logger.warning("agent refused", metadata: ["peer": "\(peer)", "reason": "\(error)"])
                    try? await outbound.write(.rejected(Reason(reason: "\(error)")))
                    return
                }
                handshakeDeadline.cancel()
                endHandshake()
                try await serve(hello, frames: &frames, outbound: outbound, channel: channel, peer: peer)
            }
        } catch {
            logger.debug("agent connection closed with an error", metadata: ["peer": "\(peer)", "error": "\(error)"])
        }
        handshakeDeadline.cancel()
    }

    /// The connection after an accepted `hello`: the read loop, the ordered lane and the writer.
    private func serve(
        _ hello: Hello, frames: inout NIOAsyncChannelInboundStream<Frame>.AsyncIterator,
        outbound: NIOAsyncChannelOutboundWriter<Frame>, channel: any Channel, peer: String
    ) async throws {
        let (outbox, outboxContinuation) = AgentOutbox.make(limit: limits.framesQueued) {
            logger.warning(
                "closing agent connection: it does not read what it is sent",
                metadata: ["peer": "\(peer)", "queued": "\(limits.framesQueued) frames"])
            channel.close(promise: nil)
        }
        let (lane, laneContinuation) = AsyncStream.makeStream(of: (AgentID, Frame).self)
        try await withThrowingTaskGroup(of: Worker.self) { group in
            group.addTask {
                for await frame in outbox {
                    // A peer whose window stays shut would hold this write, and the frames
                    // queued behind it, for ever.
                    let stuck = channel.eventLoop.scheduleTask(
                        in: .milliseconds(Int64(limits.writeTimeoutSeconds * 1000))
                    ) {
                        logger.warning(
                            "closing agent connection: a frame to it was not written in time",
                            metadata: ["peer": "\(peer)", "timeout": "\(limits.writeTimeoutSeconds) s"])
                        channel.close(promise: nil)
                    }
                    defer { stuck.cancel() }
                    do { try await outbound.write(frame) } catch { break }
                    if case .error = frame { break }
                }
                channel.close(promise: nil)
                return .writer
            }
            group.addTask {
                // The agent's window bounds this queue (32 record batches a job).
                for await (agentID, frame) in lane {
                    do {
                        try await handleInOrder(frame, from: agentID, replies: outboxContinuation)
                    } catch {
                        logger.warning("closing agent connection", metadata: ["peer": "\(peer)", "reason": "\(error)"])
                        outboxContinuation.yield(.error(Reason(reason: "\(error)")))
                        outboxContinuation.finish()
                        return .lane
                    }
                }
                return .lane
            }
            let agentID = hello.agentID
            let sessionID = await welcome(hello, outbox: outboxContinuation)
            let connectedAt = ContinuousClock.now
            var logRate = LogRateLimit(bytesPerSecond: limits.logBytesPerSecond, burstBytes: limits.logBurstBytes)
            do {
                while let frame = try await frames.next() {
                    switch frame {
                    case .hello: throw ProtocolViolation.helloTwice
                    case .heartbeat: await engine.handle(frame, from: agentID)
                    case .log(let lines):
                        if let admitted = logRate.admit(lines, at: (ContinuousClock.now - connectedAt).inSeconds) {
                            laneContinuation.yield((agentID, .log(admitted)))
                        }
                    default: laneContinuation.yield((agentID, frame))
                    }
                }
            } catch {
                logger.warning("closing agent connection", metadata: ["peer": "\(peer)", "reason": "\(error)"])
                outboxContinuation.yield(.error(Reason(reason: "\(error)")))
            }
            // What was read is handled before the connection is given up: records an agent sent
            // just before hanging up are stored, not lost.
            laneContinuation.finish()
            while let done = try await group.next(), done != .lane {}
            outboxContinuation.finish()
            try await group.waitForAll()
            await engine.agentDisconnected(agentID, sessionID: sessionID)
            logger.info("agent disconnected", metadata: ["agent": "\(agentID)"])
        }
    }

    /// The session's two tasks besides the read loop.
    private enum Worker: Sendable {
        case writer, lane
    }

    /// One frame of the ordered lane; records are stored before the next frame is looked at.
    private func handleInOrder(_ frame: Frame, from agentID: AgentID, replies: CoordinatorEngine.Outbox) async throws {
        if case .records(let records) = frame {
            replies.yield(try await engine.ingest(records, from: agentID))
        } else {
            await engine.handle(frame, from: agentID)
        }
    }

    private struct Refusal: Error {
        var reason: String
    }

    /// - Parameter certified: the agent id the client certificate names (mutual TLS only).
    private func validate(_ frame: Frame, certified: String?) async -> Result<Hello, Refusal> {
        guard case .hello(let hello) = frame else {
            return .failure(Refusal(reason: "the first frame must be hello, got \(frame.type)"))
        }
        if hello.protocol.major != ProtocolVersion.current.major {
            return .failure(
                Refusal(
                    reason:
                        "protocol \(hello.protocol) is not supported: this coordinator speaks \(ProtocolVersion.current.major).x"
                ))
        }
        if let problem = AgentIDRule.problem(with: hello.agentID) {
            return .failure(Refusal(reason: problem))
        }
        if mutualTLS {
            // The certificate is the credential; it must name this very agent.
            guard certified == hello.agentID else {
                return .failure(
                    Refusal(
                        reason:
                            "agent \(hello.agentID): its client certificate names \(certified.map { "agent \($0)" } ?? "no agent id"), not this one"
                    ))
            }
            return .success(hello)
        }
        // One answer whether the id is unknown, revoked or the secret wrong: a peer without a
        // credential learns nothing about which ids exist.
        guard await engine.admits(hello.agentID, secret: hello.token) else {
            return .failure(
                Refusal(
                    reason:
                        "agent \(hello.agentID) presented no valid credential: enrol it with `sweepline agents enroll \(hello.agentID)` and give it that secret"
                ))
        }
        return .success(hello)
    }

    private func welcome(_ hello: Hello, outbox: CoordinatorEngine.Outbox) async -> String {
        let sessionID = UUID().uuidString
        let configuration = await engine.configuration
        outbox.yield(
            .welcome(
                Welcome(
                    sessionID: sessionID, heartbeatSeconds: configuration.heartbeatSeconds,
                    leaseSeconds: configuration.leaseSeconds)))
        await engine.agentConnected(hello, sessionID: sessionID, outbox: outbox)
        logger.info(
            "agent connected",
            metadata: [
                "agent": "\(hello.agentID)", "gpus": "\(hello.inventory.gpus.count)",
                "holding": "\(hello.holding.count)",
            ])
        return sessionID
    }
}
