import Foundation

/// Runs synchronous work on a thread of its own and awaits it, leaving the test pool's threads
/// free. Swift Testing runs every test on the cooperative pool, as wide as the machine has
/// cores: on two cores, two tests computing for seconds without a suspension point (a virtual
/// run, a simulation) stall every other test, and fleet tests whose processes wait on them time
/// out (a coordinator once dropped an agent the test could not feed for 15 s). Expectations stay
/// in the test: `#expect` needs the test's task, which this thread does not have.
public func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread { continuation.resume(with: Result { try work() }) }
        thread.stackSize = 8 << 20
        thread.start()
    }
}
