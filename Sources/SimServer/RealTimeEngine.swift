import Foundation
import ServiceLifecycle
import Simulator
import Wire

/// The engine core on the wall clock: each step's tokens are released at the instant the
/// simulation says the step ends (divided by the time scale), so a client measures the
/// simulated GPU as it would a real server.
///
/// Deadlines are chained from the start of a busy period, not from when the previous sleep
/// happened to wake, so lateness in one step does not accumulate.
public actor RealTimeEngine: Service {
    /// Tokens released to one request's stream.
    public struct Chunk: Sendable {
        public var tokens: Int
        public var isFirst: Bool
        public var isLast: Bool
        public var at: ContinuousClock.Instant
    }

    /// What the engine itself measured for one request, on the wall clock.
    public struct ServedRequest: Sendable {
        public var promptTokens: Int
        public var outputTokens: Int
        public var arrival: ContinuousClock.Instant
        public var releases: [ContinuousClock.Instant] = []
    }

    private var core: EngineCore
    public nonisolated let timeScale: Double
    private var streams: [Int: AsyncStream<Chunk>.Continuation] = [:]
    private var served: [Int: ServedRequest] = [:]
    private var nextID = 0
    private let work = WorkSignal()
    /// Most served records kept for inspection.
    private let servedLimit = 100_000

    public nonisolated let configuration: EngineConfiguration
    public nonisolated let maxModelLen: Int

    public init(core: EngineCore, timeScale: Double = 1) {
        self.core = core
        self.timeScale = timeScale
        configuration = core.configuration
        maxModelLen = core.plan.maxModelLen
    }

    /// Queues a request; its tokens arrive on the returned stream. `arrival` is when the server
    /// received it (reading and tokenizing it count, as in a real server's TTFT).
    public func submit(promptTokens: Int, outputTokens: Int, arrival: ContinuousClock.Instant = .now)
        throws(DeploymentRefused) -> (
            id: Int, chunks: AsyncStream<Chunk>
        )
    {
        let id = nextID
        nextID += 1
        try core.add(EngineRequest(id: id, promptTokens: promptTokens, outputTokens: outputTokens))
        let (stream, continuation) = AsyncStream.makeStream(of: Chunk.self)
        streams[id] = continuation
        served[id - servedLimit] = nil  // ids are sequential: the oldest kept record goes
        served[id] = ServedRequest(promptTokens: promptTokens, outputTokens: outputTokens, arrival: arrival)
        work.notify()
        return (id, stream)
    }

    /// The client went away: stop generating for it.
    public func abort(_ id: Int) {
        core.abort(id)
        streams.removeValue(forKey: id)?.finish()
    }

    public func servedRequest(_ id: Int) -> ServedRequest? { served[id] }

    /// The kept records of requests `from` onwards that have released all their tokens, by id.
    public func servedRequests(from first: Int) -> [(id: Int, request: ServedRequest)] {
        // `first` is the client's: past the last id there is nothing yet, not a reversed range.
        (min(max(first, nextID - servedLimit), nextID)..<nextID).compactMap { id in
            guard let request = served[id], request.releases.count > 0, streams[id] == nil else { return nil }
            return (id, request)
        }
    }

    public func run() async throws {
        await cancelWhenGracefulShutdown { await self.loop() }
        for stream in streams.values { stream.finish() }
        streams = [:]
    }

    /// Timers wake a few hundred microseconds late; sleep most of the way, then yield until
    /// the deadline, so tokens leave within microseconds of their simulated instant. Steps
    /// shorter than a millisecond only sleep: yielding through them would keep a thread busy
    /// for precision nobody can see at that speed, and starve the rest of the process (an
    /// agent's heartbeats among it). Faster than the simulated GPU (`spin` false) the engine
    /// always only sleeps: it then shares a small machine with the clients it paces (the demo,
    /// CI), and a core spent spinning is taken from them, whose precision is what is judged.
    static func sleepPrecisely(until deadline: ContinuousClock.Instant, step: Duration, spin: Bool = true) async {
        // Behind already (a timer woke late, or the machine is busy): catch up without a timer,
        // only letting the requests waiting on this actor in.
        guard deadline > .now else {
            await Task.yield()
            return
        }
        guard spin, step >= .milliseconds(1) else {
            try? await Task.sleep(until: deadline, clock: .continuous)
            return
        }
        let coarse = deadline - .microseconds(700)
        if coarse > .now { try? await Task.sleep(until: coarse, clock: .continuous) }
        while ContinuousClock.now < deadline, !Task.isCancelled { await Task.yield() }
    }

    private func loop() async {
        while !Task.isCancelled {
            guard core.hasWork else {
                await work.wait()
                continue
            }
            var deadline = ContinuousClock.now
            while core.hasWork, !Task.isCancelled, let step = core.step() {
                let scaled = Duration.seconds(step.duration / timeScale)
                deadline = deadline + scaled
                await Self.sleepPrecisely(until: deadline, step: scaled, spin: timeScale <= 1)
                for release in step.releases {
                    served[release.requestID]?.releases.append(deadline)
                    let chunk = Chunk(
                        tokens: release.tokens, isFirst: release.isFirst, isLast: release.isLast, at: deadline)
                    if release.isLast, let stream = streams.removeValue(forKey: release.requestID) {
                        stream.yield(chunk)
                        stream.finish()
                    } else {
                        streams[release.requestID]?.yield(chunk)
                    }
                }
            }
        }
    }
}
