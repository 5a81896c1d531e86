import LoadGenerator
import Synchronization
import Wire

/// An engine brought up for a benchmark job: where requests go, whether it still serves, and
/// how it is brought down. One per job; its points are measured against it in order.
public protocol ServingEngine: Sendable {
    var endpoint: BenchEndpoint { get }
    /// What it is, for the job's log and the points' provenance.
    var summary: String { get }
    /// Why it stopped serving (its process ended), `nil` while it serves.
    func failure() -> String?
    /// Brings it down, with everything it started.
    func stop() async
}

/// Picks the adapter an ``EngineSpec`` names.
public struct EngineAdapters: Sendable {
    /// The `sweepline` executable, to run the simulated engine as a process of its own; `nil`
    /// runs it inside the agent.
    public var simulatorExecutable: String?
    /// How launched engines start (as which user, recorded where).
    public var launcher: WorkloadLauncher

    public init(simulatorExecutable: String? = nil, launcher: WorkloadLauncher = WorkloadLauncher()) {
        self.simulatorExecutable = simulatorExecutable
        self.launcher = launcher
    }

    /// - Parameters:
    ///   - gpus: GPUs assigned to the job (`{gpus}` in a launch template).
    ///   - environment: the environment a launched engine runs with.
    ///   - log: lines for the job's log (an engine's stdout and stderr among them).
    public func start(
        _ spec: EngineSpec, api: CompletionsAPI, gpus: Int, environment: [String: String],
        log: @escaping @Sendable (String) -> Void
    ) async throws -> any ServingEngine {
        switch spec {
        case .endpoint(let engine):
            return try await EndpointEngineAdapter.start(engine, api: api, environment: environment)
        case .launch(let engine):
            return try await LaunchedEngineProcess.start(
                engine, api: api, gpus: gpus, environment: environment, launcher: launcher, log: log)
        case .sim(let engine):
            if let simulatorExecutable {
                return try await LaunchedEngineProcess.start(
                    SimulatedEngineAdapter.launch(engine, executable: simulatorExecutable), api: api, gpus: gpus,
                    environment: environment, launcher: launcher, log: log)
            }
            return try await SimulatedEngineAdapter.start(engine, api: api)
        }
    }
}

/// A value set once, by one task, read by others: how an engine ended.
final class SetOnce<Value: Sendable>: Sendable {
    private let stored = Mutex<Value?>(nil)

    func set(_ value: Value) {
        stored.withLock { if $0 == nil { $0 = value } }
    }

    var value: Value? { stored.withLock { $0 } }
}
