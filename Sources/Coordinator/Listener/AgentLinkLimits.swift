/// What one agent connection may cost the coordinator, in time and bytes. Every bound closes
/// the connection or drops what does not fit, with a log line that names it; the agent
/// reconnects and reconciles what it holds.
public struct AgentLinkLimits: Sendable {
    /// Connections open at once that have not said `hello`; more are closed at once.
    public var connectionsBeforeHello: Int
    /// How long a connection may take to say `hello`, TLS handshake included.
    public var handshakeTimeoutSeconds: Double
    /// Frames queued for one agent before it counts as not reading and is disconnected.
    public var framesQueued: Int
    /// How long one frame may take to be written before the agent counts as not reading.
    public var writeTimeoutSeconds: Double
    /// Log text one agent may send, sustained and in a burst; past it, log frames are dropped
    /// (and the log says how much) before they reach the engine or the store.
    public var logBytesPerSecond: Int
    public var logBurstBytes: Int

    public init(
        connectionsBeforeHello: Int = 1024, handshakeTimeoutSeconds: Double = 10,
        framesQueued: Int = AgentOutbox.defaultLimit, writeTimeoutSeconds: Double = 30,
        logBytesPerSecond: Int = 1 << 20, logBurstBytes: Int = 8 << 20
    ) {
        self.connectionsBeforeHello = connectionsBeforeHello
        self.handshakeTimeoutSeconds = handshakeTimeoutSeconds
        self.framesQueued = framesQueued
        self.writeTimeoutSeconds = writeTimeoutSeconds
        self.logBytesPerSecond = logBytesPerSecond
        self.logBurstBytes = logBurstBytes
    }
}
