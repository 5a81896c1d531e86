import Wire

/// The frames waiting to be written to one agent, at most `limit` of them.
///
/// A peer that stops reading fills its socket, then this queue; rather than grow without bound
/// (a never-reading peer once took the coordinator to 3 GB), the first frame that does not fit
/// closes the connection: a dropped frame would break the protocol anyway. The agent reconnects
/// and reconciles what it holds.
public struct AgentOutbox: Sendable {
    /// Frames queued for one agent before it counts as not reading.
    public static let defaultLimit = 4096

    private let continuation: AsyncStream<Frame>.Continuation
    private let overflowed: @Sendable () -> Void

    /// The queue's stream (for the connection's writer) and the outbox feeding it.
    /// - Parameter overflowed: called once the queue is full, after it has been finished.
    public static func make(
        limit: Int = defaultLimit, overflowed: @escaping @Sendable () -> Void
    ) -> (frames: AsyncStream<Frame>, outbox: AgentOutbox) {
        let (frames, continuation) = AsyncStream.makeStream(of: Frame.self, bufferingPolicy: .bufferingOldest(limit))
        return (frames, AgentOutbox(continuation: continuation, overflowed: overflowed))
    }

    public func yield(_ frame: Frame) {
        if case .dropped = continuation.yield(frame) {
            continuation.finish()
            overflowed()
        }
    }

    public func finish() {
        continuation.finish()
    }
}
