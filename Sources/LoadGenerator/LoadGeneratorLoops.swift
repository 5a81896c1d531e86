import NIOCore
import NIOPosix
import Synchronization

/// The event loops the load generator's connections run on, and only those: nothing else in
/// the process — the agent's link to the coordinator, an embedded coordinator decoding record
/// frames (the demo), an API — runs on the threads that stamp tokens, so none of it delays a
/// stamp, and the self-check's loop lag measures the client alone.
public enum LoadGeneratorLoops {
    private static let requestedThreads = Mutex<Int?>(nil)

    /// Sets how many threads (one event loop each) the client runs on; call it before the first
    /// point. A server on the same machine needs cores of its own, or the two measure each other.
    public static func configure(threads: Int) {
        requestedThreads.withLock { $0 = max(1, threads) }
    }

    /// Threads when none were configured: every core for a client alone on its machine (`bench`
    /// against a server elsewhere); half of them beside an engine on the same node (an agent),
    /// and at least one.
    public static func defaultThreads(besideAnEngine: Bool) -> Int {
        besideAnEngine ? max(1, System.coreCount / 2) : System.coreCount
    }

    static let group = MultiThreadedEventLoopGroup(
        numberOfThreads: requestedThreads.withLock { $0 } ?? defaultThreads(besideAnEngine: false))
}
