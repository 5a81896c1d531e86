import NIOCore
import NIOPosix

/// The event loops the load generator's connections run on, and only those: nothing else in
/// the process — the agent's link to the coordinator, an embedded coordinator decoding record
/// frames (the demo), an API — runs on the threads that stamp tokens, so none of it delays a
/// stamp, and the self-check's loop lag measures the client alone.
enum LoadGeneratorLoops {
    static let group = MultiThreadedEventLoopGroup(numberOfThreads: System.coreCount)
}
