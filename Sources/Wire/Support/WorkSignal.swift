import Synchronization

/// Wakes one waiting loop when there is work for it: the simulated engine's step loop when a
/// request arrives, the agent's sender when a workload produced output, the agent's shutdown
/// when its last attempt is settled. Notifications coalesce: one wait consumes all that came
/// before it. A wait ends early if its task is cancelled.
public final class WorkSignal: Sendable {
    private let state = Mutex<(pending: Bool, waiter: CheckedContinuation<Void, Never>?)>((false, nil))

    public init() {}

    public func notify() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    public func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let (now, displaced) = state.withLock { state -> (Bool, CheckedContinuation<Void, Never>?) in
                    if state.pending || Task.isCancelled {
                        state.pending = false
                        return (true, nil)
                    }
                    // One waiter at a time: a second one wakes the first rather than strand it.
                    defer { state.waiter = continuation }
                    return (false, state.waiter)
                }
                displaced?.resume()
                if now { continuation.resume() }
            }
        } onCancel: {
            notify()
        }
    }

    /// Waits for a notification, or until `timeout` has passed, whichever comes first.
    public func wait(timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.wait() }
            group.addTask { try? await Task.sleep(for: timeout) }
            await group.next()
            group.cancelAll()
        }
    }
}
