import Coordinator
import Foundation
import NIOCore
import NIOPosix
import SweeplineCLI
import Synchronization
import Wire

#if canImport(Glibc)
import Glibc
#endif

/// `swift run -c release SweeplineBenchmarks [agents|ingest|latency|scheduler|simsweep|simserve|trust|all] [--agents N]`
///
/// Each benchmark starts a `sweepline coordinator` process on a fresh store and drives it from
/// this process over loopback, then prints its figures. docs/benchmarks.md records them.
@main
enum Benchmarks {
    static func main() async throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        var agentCount = 10_000
        if let index = arguments.firstIndex(of: "--agents"), index + 1 < arguments.count {
            agentCount = Int(arguments[index + 1]) ?? agentCount
            arguments.removeSubrange(index...(index + 1))
        }
        let which = arguments.first ?? "all"
        raiseFileLimit()
        print(
            "machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB"
        )
        if which == "agents" || which == "all" { try await AgentCapacity.run(agents: agentCount) }
        if which == "ingest" || which == "all" { try await RecordIngest.run() }
        if which == "latency" || which == "all" { try await SubmitLatency.run() }
        if which == "scheduler" || which == "all" { SchedulerScale.run() }
        if which == "simsweep" || which == "all" { try await SimulatedSweep.run() }
        if which == "simserve" || which == "all" { try await SimulatedServing.run() }
        if which == "trust" || which == "all" { try await TrustBounds.run() }
    }

    /// Thousands of agents need thousands of descriptors, here and in the coordinator (which inherits it).
    static func raiseFileLimit() {
        var limit = rlimit()
        getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        limit.rlim_cur = limit.rlim_max
        setrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
    }
}

func seconds(_ duration: Duration) -> Double { duration.inSeconds }

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let rank = p / 100 * Double(sorted.count - 1)
    let low = Int(rank.rounded(.down))
    let high = min(sorted.count - 1, low + 1)
    return sorted[low] + (sorted[high] - sorted[low]) * (rank - Double(low))
}

/// How many agents one coordinator holds, with 5 s heartbeats.
enum AgentCapacity {
    static func run(agents count: Int) async throws {
        print("\n== agents: \(count) simulated agents, 5 s heartbeats ==")
        let coordinator = try CoordinatorUnderTest(heartbeatSeconds: 5, leaseSeconds: 15)
        defer { coordinator.stop() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let secrets = try await coordinator.enroll((0..<count).map { "sim-\($0)" })
        let baseline = coordinator.residentBytes
        let started = ContinuousClock.now
        var agents: [SimulatedAgent] = []
        var failures: [String] = []
        // Connect in waves so the accept backlog is never the limit being measured; an agent
        // whose connection fails is counted and reported, not retried.
        for wave in stride(from: 0, to: count, by: 500) {
            var waiting: [EventLoopFuture<Void>] = []
            for index in wave..<min(count, wave + 500) {
                let agent = SimulatedAgent(
                    id: "sim-\(index)", token: secrets["sim-\(index)"]!, gpus: 8, labels: [:], heartbeatSeconds: 5,
                    role: .idle,
                    eventLoop: group.next())
                agents.append(agent)
                SimulatedAgent.connect(port: coordinator.agentsPort, agent: agent, on: group).whenFailure {
                    agent.welcomed.fail($0)
                }
                waiting.append(agent.welcomed.futureResult)
            }
            for future in waiting {
                do { try await future.get() } catch { failures.append("\(error)") }
            }
        }
        if !failures.isEmpty { print("failed to connect: \(failures.count) agents (first: \(failures[0]))") }
        let connectTime = seconds(ContinuousClock.now - started)
        let cpuBefore = coordinator.cpuSeconds
        // Three heartbeat rounds with everyone connected.
        try await Task.sleep(for: .seconds(15))
        let cpuPerSecond = (coordinator.cpuSeconds - cpuBefore) / 15
        let client = try APIClient(url: "http://127.0.0.1:\(coordinator.httpPort)", token: coordinator.operatorToken)
        let status: StatusResponse = try await client.get("/v1/status")
        let resident = coordinator.residentBytes
        // Read on each agent's event loop, where the count lives.
        var acks = 0
        for agent in agents { acks += try await group.next().submit { agent.heartbeatAcks }.get() }
        print(
            "connected:        \(status.agentsConnected) of \(count) (all welcomed in \(String(format: "%.1f", connectTime)) s)"
        )
        print("heartbeats acked: \(acks) in 15 s (\(count * 3) expected: three rounds)")
        print("coordinator RSS:  \(resident >> 20) MiB (\(baseline >> 20) MiB before agents)")
        print("memory per agent: \(String(format: "%.1f", Double(resident - baseline) / Double(count) / 1024)) KiB")
        print(
            "coordinator CPU:  \(String(format: "%.1f", cpuPerSecond * 100)) % of one core while holding them (\(count / 5) heartbeats/s)"
        )
        try await group.shutdownGracefully()
    }
}

/// Records ingested per second into SQLite, durably, from 50 streaming agents.
enum RecordIngest {
    /// A per-request record the size of the benchmark kernel's.
    static let record =
        #"{"request_id":"r-0000123","start_unix_ns":1800000000123456789,"queue_ms":0.0,"ttft_ms":41.237,"tpot_ms":9.871,"e2el_ms":10123.4,"input_tokens":1024,"output_tokens":1024,"ok":true}"#

    /// - Parameter tls: over the agent link's TLS rather than plain TCP.
    @discardableResult
    static func run(
        agents: Int = 50, batchesPerAgent: Int = 80, recordsPerBatch: Int = 500, tls: Bool = false
    ) async throws -> Double {
        let total = agents * batchesPerAgent * recordsPerBatch
        print(
            "\n== ingest\(tls ? " over TLS" : ""): \(agents) agents streaming \(total) records (\(recordsPerBatch) per batch, \(record.utf8.count) bytes each) =="
        )
        let coordinator = try CoordinatorUnderTest(heartbeatSeconds: 5, leaseSeconds: 30, tls: tls)
        let secrets = try await coordinator.enroll((0..<agents).map { "ingest-\($0)" })
        defer { coordinator.stop() }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let client = try APIClient(url: "http://127.0.0.1:\(coordinator.httpPort)", token: coordinator.operatorToken)
        var simulated: [SimulatedAgent] = []
        for index in 0..<agents {
            let agent = SimulatedAgent(
                id: "ingest-\(index)", token: secrets["ingest-\(index)"]!, gpus: 1, labels: ["bench": "ingest"],
                heartbeatSeconds: 5,
                role: .stream(batches: batchesPerAgent, recordsPerBatch: recordsPerBatch, record: record, window: 4),
                eventLoop: group.next())
            simulated.append(agent)
            _ = SimulatedAgent.connect(port: coordinator.agentsPort, agent: agent, on: group, tls: coordinator.agentTLS)
        }
        try await EventLoopFuture.andAllSucceed(simulated.map(\.welcomed.futureResult), on: group.next()).get()
        let jobs =
            "jobs:\n  - name: ingest\n    count: \(agents)\n    gpus: 1\n    labels: {bench: ingest}\n    command: {argv: [\"true\"]}\n"
        let cpuBefore = coordinator.cpuSeconds
        let started = ContinuousClock.now
        let submitted: SubmitResponse = try await client.post("/v1/jobs", body: Data(jobs.utf8))
        try await EventLoopFuture.andAllSucceed(simulated.map(\.done.futureResult), on: group.next()).get()
        let elapsed = seconds(ContinuousClock.now - started)
        let cpu = coordinator.cpuSeconds - cpuBefore
        var stored = 0
        for id in submitted.jobs {
            let detail: JobDetail = try await client.get("/v1/jobs/\(id)?log=0")
            stored += detail.records.reduce(0) { $0 + $1.records }
        }
        print(
            "stored:           \(stored) of \(total) records (every batch acknowledged only after commit, synchronous=FULL)"
        )
        print("elapsed:          \(String(format: "%.2f", elapsed)) s, submit to last finished")
        print("ingest rate:      \(Int(Double(stored) / elapsed)) records/s")
        print(
            "coordinator CPU:  \(String(format: "%.2f", cpu)) s (\(String(format: "%.1f", cpu / Double(stored) * 1e6)) µs per record)"
        )
        try await group.shutdownGracefully()
        return Double(stored) / elapsed
    }
}

/// Submit-to-`accepted` latency with 1,000 jobs queued that cannot be placed.
enum SubmitLatency {
    static func run(queued: Int = 1000, samples: Int = 300) async throws {
        print("\n== latency: submit to accepted, \(queued) jobs queued, \(samples) samples ==")
        let coordinator = try CoordinatorUnderTest(heartbeatSeconds: 5, leaseSeconds: 30)
        defer { coordinator.stop() }
        let client = try APIClient(url: "http://127.0.0.1:\(coordinator.httpPort)", token: coordinator.operatorToken)
        // The backlog: jobs for a GPU model nobody has.
        let backlog =
            "jobs:\n  - name: backlog\n    count: \(queued)\n    gpus: 1\n    gpuModel: NO-SUCH-GPU\n    command: {argv: [\"true\"]}\n"
        let _: SubmitResponse = try await client.post("/v1/jobs", body: Data(backlog.utf8))
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let assigned = AssignTimes()
        let secret = try await coordinator.enroll(["latency-agent"])["latency-agent"]!
        let agent = SimulatedAgent(
            id: "latency-agent", token: secret, gpus: 1, labels: [:], heartbeatSeconds: 5,
            role: .finishAtOnce(onAssign: { id, at in assigned.record(id, at) }), eventLoop: group.next())
        _ = SimulatedAgent.connect(port: coordinator.agentsPort, agent: agent, on: group)
        try await agent.welcomed.futureResult.get()
        let job = Data("jobs:\n  - name: probe\n    gpus: 1\n    command: {argv: [\"true\"]}\n".utf8)
        var latencies: [Double] = []
        for _ in 0..<samples {
            let sent = ContinuousClock.now
            let response: SubmitResponse = try await client.post("/v1/jobs", body: job)
            let id = response.jobs[0]
            let at = try await assigned.wait(for: id)
            latencies.append(seconds(at - sent) * 1000)
            // Let the agent's `finished` free the GPU before the next probe.
            while try await (client.get("/v1/jobs/\(id)?log=0") as JobDetail).job.state != .succeeded {
                try await Task.sleep(for: .milliseconds(1))
            }
        }
        latencies.sort()
        print("p50:              \(String(format: "%.2f", percentile(latencies, 50))) ms")
        print("p99:              \(String(format: "%.2f", percentile(latencies, 99))) ms")
        print("max:              \(String(format: "%.2f", latencies.last ?? .nan)) ms")
        print("(from the HTTP submit leaving the client to the assignment reaching the agent, which accepts at once)")
        try await group.shutdownGracefully()
    }
}

/// When each probe's assignment reached the agent.
final class AssignTimes: Sendable {
    private let times = Mutex<[JobID: ContinuousClock.Instant]>([:])

    func record(_ id: JobID, _ at: ContinuousClock.Instant) {
        times.withLock { $0[id] = at }
    }

    func wait(for id: JobID) async throws -> ContinuousClock.Instant {
        for _ in 0..<10_000 {
            if let at = times.withLock({ $0[id] }) { return at }
            try await Task.sleep(for: .microseconds(200))
        }
        throw BenchmarkError("\(id) was never assigned")
    }
}
