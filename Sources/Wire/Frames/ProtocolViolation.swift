/// A peer broke protocol v1 after the frames themselves were read: what the coordinator and the
/// agent close a connection for. Callers match the cases; the code behind them can grow.
public struct ProtocolViolation: Error, Hashable, CustomStringConvertible {
    private enum Code: Hashable {
        case helloTwice
        case expectedWelcome(got: String)
        case silentPeer(seconds: Int)
        case recordsOutOfOrder(JobAttempt, seq: Int, next: Int)
    }

    private let code: Code

    /// A second `hello` on a connection that already has a session.
    public static let helloTwice = Self(code: .helloTwice)
    /// The coordinator answered `hello` with something other than `welcome` or `rejected`.
    public static func expectedWelcome(got type: String) -> Self { .init(code: .expectedWelcome(got: type)) }
    /// Nothing came from the coordinator for three heartbeats.
    public static func silentPeer(seconds: Int) -> Self { .init(code: .silentPeer(seconds: seconds)) }
    /// A records batch whose `seq` is below 1 or skips one: batches of an attempt are numbered
    /// 1, 2, 3, … and may only repeat one already sent.
    public static func recordsOutOfOrder(_ attempt: JobAttempt, seq: Int, next: Int) -> Self {
        .init(code: .recordsOutOfOrder(attempt, seq: seq, next: next))
    }

    public var description: String {
        switch code {
        case .helloTwice: "protocol violation: hello sent twice on one connection"
        case .expectedWelcome(let type): "protocol violation: expected welcome, got \(type)"
        case .silentPeer(let seconds): "no frame from the coordinator for \(seconds) s"
        case .recordsOutOfOrder(let attempt, let seq, let next):
            "protocol violation: records of \(attempt) with seq \(seq): seq starts at 1 and grows by one (expected at most \(next))"
        }
    }
}
