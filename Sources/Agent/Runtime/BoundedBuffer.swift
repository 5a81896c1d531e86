import Synchronization

/// A bounded FIFO that never blocks the producer: when full — by count or by bytes — the new
/// item is dropped and counted.
///
/// The workload's measurements must never wait on the network, so a slow or absent coordinator
/// costs records (counted, and reported in the next batch) rather than stalling the benchmark.
/// Items carry a size so that a batch taken out fits in one frame.
public final class BoundedBuffer<Item: Sendable>: Sendable {
    private struct State {
        var items: [(item: Item, bytes: Int)] = []
        var head = 0
        var dropped = 0
        var produced = 0
        var bytes = 0
    }

    public let capacity: Int
    /// The most bytes held at once (Σ the sizes given to `push`).
    public let byteCapacity: Int
    private let state = Mutex(State())
    private let onPush: @Sendable () -> Void

    /// - Parameter onPush: called after every push, kept or dropped (a drop is news too).
    public init(capacity: Int, byteCapacity: Int = .max, onPush: @escaping @Sendable () -> Void = {}) {
        precondition(capacity > 0 && byteCapacity > 0)
        self.capacity = capacity
        self.byteCapacity = byteCapacity
        self.onPush = onPush
    }

    /// Adds an item; `false` when the buffer was full and the item was dropped.
    @discardableResult
    public func push(_ item: Item, bytes: Int) -> Bool {
        let kept = state.withLock { state in
            state.produced += 1
            guard state.items.count - state.head < capacity, bytes <= byteCapacity - state.bytes else {
                state.dropped += 1
                return false
            }
            state.items.append((item, bytes))
            state.bytes += bytes
            return true
        }
        onPush()
        return kept
    }

    /// Takes up to `maxItems` items totalling at most `maxBytes` (at least one item if any), and
    /// the number dropped since the previous take.
    public func take(maxItems: Int, maxBytes: Int) -> (items: [Item], dropped: Int) {
        state.withLock { state in
            var taken: [Item] = []
            var bytes = 0
            while state.head < state.items.count, taken.count < maxItems {
                let next = state.items[state.head]
                if !taken.isEmpty && bytes + next.bytes > maxBytes { break }
                taken.append(next.item)
                bytes += next.bytes
                state.bytes -= next.bytes
                state.head += 1
            }
            if state.head > 4096 && state.head * 2 > state.items.count {
                state.items.removeFirst(state.head)
                state.head = 0
            }
            let dropped = state.dropped
            state.dropped = 0
            return (taken, dropped)
        }
    }

    public var count: Int { state.withLock { $0.items.count - $0.head } }

    /// Bytes held now.
    public var bytes: Int { state.withLock { $0.bytes } }

    /// Items pushed so far, kept or not.
    public var produced: Int { state.withLock { $0.produced } }

    /// Items dropped and not yet reported by ``take(maxItems:maxBytes:)``.
    public var pendingDrops: Int { state.withLock { $0.dropped } }
}
