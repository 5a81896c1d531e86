import Logging
import ServiceLifecycle
import Wire

/// Makes the engine's decisions durable in the order they were made, then sends their frames.
///
/// Everything queued while one transaction commits goes into the next, so a burst of decisions
/// shares one fsync. A store failure is fatal to the coordinator: nothing after it is
/// acknowledged, and the process exits so that a restart resumes from what is stored.
public struct StateWriter: Service {
    struct Write: Sendable {
        var changes: [StoreChange]
        var frames: [(CoordinatorEngine.Outbox, Frame)]
        var done: CheckedContinuation<Void, any Error>?
    }

    let engine: CoordinatorEngine
    let store: any SweeplineStore
    let logger: Logger

    public init(engine: CoordinatorEngine, store: any SweeplineStore, logger: Logger) {
        self.engine = engine
        self.store = store
        self.logger = logger
    }

    public func run() async throws {
        // Shut down last (the group stops services in reverse order): by then nothing else
        // decides, so closing the queue and writing what is left loses nothing.
        await withGracefulShutdownHandler {
            await loop()
        } onGracefulShutdown: {
            engine.writes.close()
        }
        if let failure = await engine.snapshot().failure { throw CoordinatorFailure(reason: failure) }
    }

    private func loop() async {
        while true {
            let writes = await engine.writes.next()
            if writes.isEmpty { return }
            do {
                try await store.apply(writes.flatMap(\.changes))
            } catch is CancellationError {
                for write in writes { write.done?.resume(throwing: CancellationError()) }
                return
            } catch {
                logger.critical("store write failed; no longer acknowledging anything", metadata: ["error": "\(error)"])
                for write in writes { write.done?.resume(throwing: error) }
                await engine.writerFailed(error)
                return
            }
            for write in writes {
                for (outbox, frame) in write.frames { outbox.yield(frame) }
                write.done?.resume()
            }
        }
    }
}
