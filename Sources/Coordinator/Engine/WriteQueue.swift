import Synchronization

/// The FIFO between the engine, which decides, and the ``StateWriter``, which makes durable.
///
/// `push` never waits, so the engine stays synchronous; `next` hands over everything queued at
/// once (group commit) and returns empty only once closed (or its task cancelled) with nothing
/// left queued.
final class WriteQueue: Sendable {
    private struct State {
        var pending: [StateWriter.Write] = []
        var waiter: CheckedContinuation<[StateWriter.Write], Never>?
        var cancelled = false
    }

    private let state = Mutex(State())

    func push(_ write: StateWriter.Write) {
        let waiter = state.withLock { state -> CheckedContinuation<[StateWriter.Write], Never>? in
            state.pending.append(write)
            guard let waiter = state.waiter else { return nil }
            state.waiter = nil
            return waiter
        }
        waiter?.resume(returning: takeAll())
    }

    /// No more waiting: `next` returns what is queued, then empty.
    func close() {
        let waiter = state.withLock { state -> CheckedContinuation<[StateWriter.Write], Never>? in
            state.cancelled = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: [])
    }

    func takeAll() -> [StateWriter.Write] {
        state.withLock { state in
            defer { state.pending = [] }
            return state.pending
        }
    }

    func next() async -> [StateWriter.Write] {
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let ready = state.withLock { state -> [StateWriter.Write]? in
                    if !state.pending.isEmpty || state.cancelled {
                        defer { state.pending = [] }
                        return state.pending
                    }
                    state.waiter = continuation
                    return nil
                }
                if let ready { continuation.resume(returning: ready) }
            }
        } onCancel: {
            close()
        }
    }
}
