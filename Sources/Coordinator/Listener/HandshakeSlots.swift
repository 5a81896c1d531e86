import Synchronization

/// Connections that have not finished `hello`, counted against a cap: each may hold a frame
/// buffer of up to 1 MiB for the handshake timeout, so without a cap a crowd of silent
/// connections costs memory without bound.
final class HandshakeSlots: Sendable {
    let capacity: Int
    private let taken = Mutex(0)

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    /// Takes a slot for a new connection; `false` when all are taken.
    func take() -> Bool {
        taken.withLock { taken in
            guard taken < capacity else { return false }
            taken += 1
            return true
        }
    }

    func give() {
        taken.withLock { $0 -= 1 }
    }
}
