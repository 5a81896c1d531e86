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
        /// Nobody will take writes any more: each is refused at once with this.
        var refusal: (any Error)?
    }

    private let state = Mutex(State())

    func push(_ write: StateWriter.Write) {
        let (waiter, refusal) = state.withLock {
            state -> (CheckedContinuation<[StateWriter.Write], Never>?, (any Error)?) in
            if let refusal = state.refusal { return (nil, refusal) }
            state.pending.append(write)
            guard let waiter = state.waiter else { return (nil, nil) }
            state.waiter = nil
            return (waiter, nil)
        }
        if let refusal {
            write.fail(refusal)
            return
        }
        waiter?.resume(returning: takeAll())
    }

    /// The writer is gone: what is queued, and whatever is pushed from now on, fails with `error`.
    func finish(failing error: any Error) {
        let stranded = state.withLock { state -> [StateWriter.Write] in
            if state.refusal == nil { state.refusal = error }  // the first reason stands
            defer { state.pending = [] }
            return state.pending
        }
        for write in stranded { write.fail(error) }
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

    /// Whether ``close()`` was called (the coordinator is shutting down).
    var isClosed: Bool { state.withLock { $0.cancelled } }

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
