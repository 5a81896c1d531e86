import Foundation
import Logging
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import Wire

/// The coordinator refused this agent; retrying will not help until its configuration changes.
public struct AgentRejected: Error, CustomStringConvertible {
    public var reason: String
    public var description: String { "coordinator rejected this agent: \(reason)" }
}

/// An agent process: dials the coordinator, keeps the connection (reconnecting with capped,
/// jittered backoff), and runs the jobs it is assigned.
///
/// On graceful shutdown it stops its workloads (reported `interrupted`, so the jobs go back to
/// the queue), waits for the coordinator to acknowledge that, and exits.
public struct AgentService: Service {
    public struct Configuration: Sendable {
        public var coordinatorHost: String
        public var coordinatorPort: Int
        /// This agent's secret, minted by `sweepline agents enroll`: asked for at every connection,
        /// so that a rotated secret written to the agent's file is used from the next one on.
        public var credential: @Sendable () throws -> String
        public var security: CoordinatorLinkSecurity
        public var agentVersion: String
        /// How long shutdown waits for the coordinator to acknowledge the last frames.
        public var shutdownTimeoutSeconds: Double
        /// How long a new connection may take to be welcomed (TLS handshake included): a peer
        /// that accepts and then says nothing does not hold the agent.
        public var handshakeTimeoutSeconds: Double

        public init(
            coordinatorHost: String, coordinatorPort: Int, credential: @escaping @Sendable () throws -> String,
            security: CoordinatorLinkSecurity,
            agentVersion: String, shutdownTimeoutSeconds: Double = 30, handshakeTimeoutSeconds: Double = 10
        ) {
            self.handshakeTimeoutSeconds = handshakeTimeoutSeconds
            self.coordinatorHost = coordinatorHost
            self.coordinatorPort = coordinatorPort
            self.credential = credential
            self.security = security
            self.agentVersion = agentVersion
            self.shutdownTimeoutSeconds = shutdownTimeoutSeconds
        }
    }

    let configuration: Configuration
    let runtime: AgentRuntime
    let runners: [JobKind: any JobRunner]
    let logger: Logger

    public init(
        configuration: Configuration, runtime: AgentRuntime,
        runners: [JobKind: any JobRunner] = AgentService.defaultRunners(), logger: Logger
    ) {
        self.configuration = configuration
        self.runtime = runtime
        self.runners = runners
        self.logger = logger
    }

    /// Every job kind an agent runs. The simulated engine runs in the agent's process unless
    /// `simulatorExecutable` (the `sweepline` binary) is given.
    public static func defaultRunners(
        simulatorExecutable: String? = nil, launcher: WorkloadLauncher = WorkloadLauncher()
    ) -> [JobKind: any JobRunner] {
        [
            .command: CommandJobRunner(launcher: launcher),
            .benchmark: BenchmarkJobRunner(
                adapters: EngineAdapters(simulatorExecutable: simulatorExecutable, launcher: launcher)),
        ]
    }

    public func run() async throws {
        let stop = StopSignal()
        try await withThrowingDiscardingTaskGroup { group in
            group.addTask { try await connectLoop(until: stop) }
            group.addTask {
                try? await gracefulShutdown()
                await shutDown()
                stop.fire()
            }
            for await start in runtime.starts {
                group.addTask { await runJob(start) }
            }
            group.cancelAll()
        }
    }

    private func runJob(_ start: AgentRuntime.Start) async {
        let attempt = JobAttempt(jobID: start.job.jobID, attempt: start.job.attempt)
        guard let runner = runners[start.job.spec.kind] else {
            await runtime.jobEnded(
                attempt, outcome: .failed, detail: "this agent cannot run jobs of kind \(start.job.spec.kind.rawValue)")
            return
        }
        let (outcome, detail) = await runner.run(start.job, output: start.output, cancel: start.cancel)
        await runtime.jobEnded(attempt, outcome: outcome, detail: detail)
    }

    private func shutDown() async {
        logger.notice("shutting down: stopping workloads")
        await runtime.beginShutdown()
        let deadline = ContinuousClock.now + .seconds(configuration.shutdownTimeoutSeconds)
        // A cancelled task's waits end at once: without the check this would spin until the deadline.
        while await !runtime.isIdle, ContinuousClock.now < deadline, !Task.isCancelled {
            await runtime.settled.wait(timeout: deadline - ContinuousClock.now)
        }
        if await !runtime.isIdle { logger.warning("shutting down with frames the coordinator has not acknowledged") }
        await runtime.finishStarts()
    }

    private func connectLoop(until stop: StopSignal) async throws {
        var backoff = Backoff()
        // Cancelled (rather than shut down gracefully): nothing can connect or sleep any more,
        // so retrying would only spin.
        while !stop.fired, !Task.isCancelled {
            do {
                try await session(until: stop, backoff: &backoff)
            } catch let rejected as AgentRejected {
                await runtime.beginShutdown()
                await runtime.finishStarts()
                throw rejected
            } catch {
                if !stop.fired {
                    logger.warning(
                        "connection to coordinator lost",
                        metadata: [
                            "coordinator": "\(configuration.coordinatorHost):\(configuration.coordinatorPort)",
                            "error": "\(error)",
                        ])
                }
            }
            await runtime.detach()
            if stop.fired { return }
            let delay = backoff.next(random: Double.random(in: 0..<1))
            await stop.sleep(seconds: delay)
        }
    }

    private func session(until stop: StopSignal, backoff: inout Backoff) async throws {
        let tls = try configuration.security.clientContext(host: configuration.coordinatorHost)
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connect(host: configuration.coordinatorHost, port: configuration.coordinatorPort) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls.context, serverHostname: tls.serverName))
                    }
                    try channel.pipeline.syncOperations.addFrameCodec()
                    return try NIOAsyncChannel<Frame, Frame>(wrappingChannelSynchronously: channel)
                }
            }
        stop.onFire { channel.channel.close(promise: nil) }
        let handshakeDeadline = channel.channel.eventLoop.scheduleTask(
            in: .milliseconds(Int64(configuration.handshakeTimeoutSeconds * 1000))
        ) { [channel = channel.channel] in channel.close(promise: nil) }
        defer { handshakeDeadline.cancel() }
        try await channel.executeThenClose { inbound, outbound in
            let credential = try configuration.credential()
            try await outbound.write(
                .hello(await runtime.hello(credential: credential, agentVersion: configuration.agentVersion)))
            var frames = inbound.makeAsyncIterator()
            let welcome: Welcome
            switch try await frames.next() {
            case .welcome(let accepted)?: welcome = accepted
            case .rejected(let reason)?: throw AgentRejected(reason: reason.reason)
            case let other: throw ProtocolViolation.expectedWelcome(got: other?.type ?? "end of stream")
            }
            handshakeDeadline.cancel()
            backoff.reset()
            logger.info("connected to coordinator", metadata: ["session": "\(welcome.sessionID)"])
            let (outbox, outboxContinuation) = AsyncStream.makeStream(of: Frame.self)
            await runtime.attach(outboxContinuation)
            let lastHeard = LastHeard()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await frame in outbox { try await outbound.write(frame) }
                }
                group.addTask {
                    // Heartbeats; and a coordinator silent for three of them is gone.
                    while true {
                        try await Task.sleep(for: .seconds(welcome.heartbeatSeconds))
                        if lastHeard.secondsAgo > 3 * welcome.heartbeatSeconds {
                            throw ProtocolViolation.silentPeer(seconds: Int(lastHeard.secondsAgo))
                        }
                        outboxContinuation.yield(await runtime.heartbeat())
                    }
                }
                group.addTask {
                    // Output goes when a workload produced some; what comes in the next 20 ms
                    // joins the same batches, so a busy benchmark sends few, full frames.
                    while true {
                        await runtime.outputReady.wait()
                        try await Task.sleep(for: .milliseconds(20))
                        await runtime.flush()
                    }
                }
                while let frame = try await frames.next() {
                    lastHeard.touch()
                    await runtime.handle(frame)
                }
                outboxContinuation.finish()
                group.cancelAll()
            }
        }
    }
}
