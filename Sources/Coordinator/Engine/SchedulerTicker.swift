import ServiceLifecycle

/// Expires leases and places jobs on a fixed cadence.
public struct SchedulerTicker: Service {
    let engine: CoordinatorEngine
    let interval: Duration

    public init(engine: CoordinatorEngine, interval: Duration = .milliseconds(100)) {
        self.engine = engine
        self.interval = interval
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await engine.tick()
                // A store failure is already logged and fatal; the loop ends with the writer.
                _ = try? await engine.startDueSchedules()
                try await Task.sleep(for: interval)
            }
        }
    }
}
