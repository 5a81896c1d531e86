/// A GPU tool (nvidia-smi, amd-smi) printed something a parser cannot read — its inventory or
/// its telemetry: which tool, where, and what.
///
/// ```
/// nvidia-smi output, line 7: power.draw `12,5 W` is not a number (expected watts, `[N/A]` for none)
/// ```
public struct TelemetryParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The tool whose output it was, as the user would type it (`nvidia-smi`, `amd-smi`).
    public var tool: String
    /// 1-based line of the output, when the problem is on one line.
    public var line: Int?
    public var message: String

    public init(tool: String, line: Int? = nil, message: String) {
        self.tool = tool
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(tool) output, line \(line): \(message)" }
        return "\(tool) output: \(message)"
    }
}
