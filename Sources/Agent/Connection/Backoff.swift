/// Capped exponential backoff with full jitter, for reconnecting to the coordinator.
///
/// Full jitter (a uniform draw below the capped exponential) keeps a fleet that lost its
/// coordinator from reconnecting in lockstep when it comes back.
public struct Backoff: Sendable {
    public var initialSeconds: Double
    public var capSeconds: Double
    public private(set) var failures = 0

    public init(initialSeconds: Double = 0.5, capSeconds: Double = 30) {
        self.initialSeconds = initialSeconds
        self.capSeconds = capSeconds
    }

    /// The ceiling of the next delay: initial × 2^failures, capped.
    public var ceiling: Double {
        min(capSeconds, initialSeconds * Double(1 << min(failures, 30)))
    }

    /// The delay before the next attempt, drawn with `random` in [0, 1).
    public mutating func next(random: Double) -> Double {
        let delay = ceiling * random
        failures += 1
        return max(0.05, delay)
    }

    public mutating func reset() { failures = 0 }
}
