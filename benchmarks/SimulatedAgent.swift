import Foundation
import NIOCore
import NIOPosix
import NIOSSL
import Wire

/// A lightweight agent for load: plain NIO handlers on the load generator's event loops, frames
/// written as pre-encoded bytes. It says hello, heartbeats, and does what its role says with
/// the jobs it is assigned.
final class SimulatedAgent: ChannelInboundHandler, @unchecked Sendable {
    // @unchecked: all state is touched only on the channel's event loop.
    typealias InboundIn = Frame

    enum Role {
        /// Hold a connection and heartbeat; expects no jobs.
        case idle
        /// Stream `batches` record batches of `batchBytes` per job, keeping `window` unacknowledged.
        case stream(batches: Int, recordsPerBatch: Int, record: String, window: Int)
        /// Report each job finished at once, noting when the assignment arrived.
        case finishAtOnce(onAssign: @Sendable (JobID, ContinuousClock.Instant) -> Void)
    }

    let id: String
    let token: String
    let gpus: Int
    let labels: [String: String]
    let heartbeatSeconds: Double
    let role: Role
    let welcomed: EventLoopPromise<Void>
    let done: EventLoopPromise<Void>
    /// The records of one batch, joined once: the load generator should cost little.
    private lazy var batchRecords: String = {
        guard case .stream(_, let perBatch, let record, _) = role else { return "" }
        return Array(repeating: record, count: perBatch).joined(separator: ",")
    }()
    /// Heartbeats the coordinator answered.
    private(set) var heartbeatAcks = 0
    private var sent = 0
    private var acked = 0
    private var current: Assign?
    private var heartbeat: RepeatedTask?
    private static let encoder = JSONEncoder()

    init(
        id: String, token: String, gpus: Int, labels: [String: String], heartbeatSeconds: Double, role: Role,
        eventLoop: EventLoop
    ) {
        self.id = id
        self.token = token
        self.gpus = gpus
        self.labels = labels
        self.heartbeatSeconds = heartbeatSeconds
        self.role = role
        welcomed = eventLoop.makePromise()
        done = eventLoop.makePromise()
    }

    /// - Parameter tls: TLS first, with this client context (the coordinator's `agentTLS`).
    static func connect(
        port: Int, agent: SimulatedAgent, on group: EventLoopGroup, tls: NIOSSLContext? = nil
    ) -> EventLoopFuture<Channel> {
        ClientBootstrap(group: group)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tls, serverHostname: nil))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(NDJSONFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(agent)
                }
            }
            .connect(host: "127.0.0.1", port: port)
    }

    func channelActive(context: ChannelHandlerContext) {
        let inventory = Inventory(
            hostname: id, vendor: .declared,
            gpus: (0..<gpus).map {
                GPUDevice(index: $0, name: "BENCH", memoryMiB: 0, driverVersion: "bench", uuid: "\(id)-\($0)")
            },
            cpuCores: 0)
        write(
            .hello(
                Hello(
                    agentID: id, instanceID: id, protocol: .current, agentVersion: "bench", token: token,
                    inventory: inventory, labels: labels, holding: [])), context)
        context.flush()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .welcome:
            welcomed.succeed()
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            heartbeat = context.eventLoop.scheduleRepeatedTask(
                initialDelay: .milliseconds(Int64(heartbeatSeconds * 1000)),
                delay: .milliseconds(Int64(heartbeatSeconds * 1000))
            ) { [self] _ in
                let held =
                    current.map {
                        [HeldJob(jobID: $0.jobID, attempt: $0.attempt, progress: .init(recordsProduced: sent))]
                    } ?? []
                write(.heartbeat(Heartbeat(holding: held)), loopBound.value)
                loopBound.value.flush()
            }
        case .rejected(let reason):
            welcomed.fail(BenchmarkError("rejected: \(reason.reason)"))
        case .assign(let assign):
            current = assign
            write(.accepted(JobAttempt(jobID: assign.jobID, attempt: assign.attempt)), context)
            switch role {
            case .idle: break
            case .stream(_, _, _, let window):
                sent = 0
                acked = 0
                for _ in 0..<window { sendBatch(context) }
            case .finishAtOnce(let onAssign):
                onAssign(assign.jobID, .now)
                write(
                    .finished(
                        Finished(jobID: assign.jobID, attempt: assign.attempt, outcome: .succeeded, detail: "bench")),
                    context)
            }
            context.flush()
        case .heartbeatAck:
            heartbeatAcks += 1
        case .recordsAck(let ack):
            acked = max(acked, ack.upToSeq)
            sendBatch(context)
            context.flush()
        case .finishedAck:
            current = nil
            if case .stream = role { done.succeed() }
        default:
            break
        }
    }

    private func sendBatch(_ context: ChannelHandlerContext) {
        guard case .stream(let batches, _, _, _) = role, let assign = current else { return }
        if sent < batches {
            sent += 1
            let records = batchRecords
            var buffer = context.channel.allocator.buffer(capacity: records.utf8.count + 128)
            buffer.writeString(
                #"{"type":"records","jobID":"\#(assign.jobID)","attempt":\#(assign.attempt),"seq":\#(sent),"records":[\#(records)],"dropped":0}"#
                    + "\n")
            context.write(NIOAny(buffer), promise: nil)
        } else if acked == batches {
            acked += 1  // finished goes once
            write(
                .finished(Finished(jobID: assign.jobID, attempt: assign.attempt, outcome: .succeeded, detail: "bench")),
                context)
        }
    }

    private func write(_ frame: Frame, _ context: ChannelHandlerContext) {
        var buffer = context.channel.allocator.buffer(capacity: 256)
        buffer.writeBytes(try! Self.encoder.encode(frame))
        buffer.writeString("\n")
        context.write(NIOAny(buffer), promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {
        welcomed.fail(error)
        done.fail(error)
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        heartbeat?.cancel()
        welcomed.fail(BenchmarkError("\(id): connection closed"))
        done.fail(BenchmarkError("\(id): connection closed"))
    }
}
