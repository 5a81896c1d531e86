import Logging
import ServiceLifecycle
import Wire

/// Makes the engine's decisions and the agents' record batches durable in the order they were
/// queued, then sends the decisions' frames and answers whoever waits.
///
/// This is the coordinator's one group commit: everything queued while one transaction commits
/// goes into the next, so a burst of decisions and the batches of many streaming agents share
/// one fsync, and a job's records always commit before a decision queued after them.
///
/// A write the store refuses for now (a full disk) is held and tried again, with everything
/// queued behind it, until it commits; meanwhile the engine refuses new changes and reads go
/// on. Any other store failure is fatal: nothing after it is acknowledged, and the process
/// exits so that a restart resumes from what is stored.
public struct StateWriter: Service {
    struct Write: Sendable {
        /// Who waits for the commit: an operator's call, or a session storing records.
        enum Waiter: Sendable {
            case decision(CheckedContinuation<Void, any Error>)
            case records(CheckedContinuation<RecordAppendResult, any Error>)
        }

        var changes: [StoreChange]
        var frames: [(CoordinatorEngine.Outbox, Frame)]
        var done: Waiter?

        func fail(_ error: any Error) {
            switch done {
            case .decision(let continuation): continuation.resume(throwing: error)
            case .records(let continuation): continuation.resume(throwing: error)
            case nil: break
            }
        }

        /// Resumes the waiter; `results` are this write's records outcomes, in order.
        func succeed(_ results: ArraySlice<RecordAppendResult>) {
            switch done {
            case .decision(let continuation): continuation.resume()
            case .records(let continuation): continuation.resume(returning: results.first ?? .stale)
            case nil: break
            }
        }

        var recordBatches: Int {
            changes.reduce(0) { count, change in if case .records = change { count + 1 } else { count } }
        }
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
        // Whatever is queued once the loop has ended is refused rather than left waiting.
        defer { engine.writes.finish(failing: CoordinatorStopping()) }
        while true {
            let writes = await engine.writes.next()
            if writes.isEmpty { return }
            guard let results = await commit(writes) else { return }
            var next = results.startIndex
            for write in writes {
                for (outbox, frame) in write.frames { outbox.yield(frame) }
                let end = min(next + write.recordBatches, results.endIndex)
                write.succeed(results[min(next, end)..<end])
                next = end
            }
        }
    }
}

extension StateWriter {
    /// Commits one group of writes, holding it while the store refuses it for now (a full disk);
    /// nil when the writer must stop, with every waiter of the group already failed.
    fileprivate func commit(_ writes: [Write]) async -> [RecordAppendResult]? {
        var retries = 0
        while true {
            do {
                let results = try await store.apply(writes.flatMap(\.changes))
                if retries > 0 {
                    logger.notice("store writable again; accepting changes", metadata: ["retries": "\(retries)"])
                    await engine.storeWritableAgain()
                }
                return results
            } catch is CancellationError {
                for write in writes { write.fail(CancellationError()) }
                return nil
            } catch let error as StoreError where error.isTransient {
                if retries == 0 {
                    logger.error(
                        "store write refused for now; holding it and refusing new changes until it commits",
                        metadata: ["error": "\(error)"])
                    await engine.storeUnwritable(error.underlying)
                }
                retries += 1
                // Shut down while waiting for space: these were never acknowledged.
                if engine.writes.isClosed || Task.isCancelled {
                    for write in writes { write.fail(CoordinatorStopping()) }
                    return nil
                }
                try? await Task.sleep(for: .seconds(min(5, retries)))
            } catch {
                logger.critical("store write failed; no longer acknowledging anything", metadata: ["error": "\(error)"])
                for write in writes { write.fail(error) }
                await engine.writerFailed(error)
                return nil
            }
        }
    }
}

/// The coordinator is shutting down and its store writer has stopped.
struct CoordinatorStopping: Error, CustomStringConvertible {
    var description: String { "the coordinator is shutting down; nothing more is stored" }
}
