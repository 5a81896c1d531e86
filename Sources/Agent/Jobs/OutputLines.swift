/// Splits a child process's output into lines, at linear cost and in bounded memory.
///
/// Each byte is looked at once. A line longer than `maximumBytes` keeps its first
/// `maximumBytes`; the rest is counted, not kept, and the line comes out with that count, so a
/// workload that prints a gigabyte without a newline costs the agent one megabyte.
struct OutputLines {
    struct Line: Equatable {
        var bytes: [UInt8]
        /// Bytes of the line beyond `maximumBytes`, dropped.
        var cutBytes = 0
    }

    static let defaultMaximumBytes = 1 << 20

    let maximumBytes: Int
    private var current: [UInt8] = []
    private var cut = 0

    init(maximumBytes: Int = Self.defaultMaximumBytes) {
        precondition(maximumBytes > 0)
        self.maximumBytes = maximumBytes
    }

    /// Adds a chunk of output; `emit` receives every line it completes.
    mutating func feed(_ chunk: ArraySlice<UInt8>, _ emit: (Line) -> Void) {
        var rest = chunk
        while let newline = rest.firstIndex(of: UInt8(ascii: "\n")) {
            keep(rest[rest.startIndex..<newline])
            emit(Line(bytes: current, cutBytes: cut))
            current.removeAll(keepingCapacity: true)
            cut = 0
            rest = rest[(newline + 1)...]
        }
        keep(rest)
    }

    /// The output ended: a last line without a newline, if any.
    mutating func finish(_ emit: (Line) -> Void) {
        if !current.isEmpty || cut > 0 { emit(Line(bytes: current, cutBytes: cut)) }
        current = []
        cut = 0
    }

    private mutating func keep(_ part: ArraySlice<UInt8>) {
        let room = max(0, maximumBytes - current.count)
        current.append(contentsOf: part.prefix(room))
        cut += part.count - min(room, part.count)
    }
}
