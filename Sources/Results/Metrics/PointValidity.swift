import Wire

/// Whether a point can stand, and if not, every reason (metrics.md, "Point validity"). Invalid
/// points are stored and shown, never dropped, and never on a frontier.
public struct PointValidity: Hashable, Sendable, Codable {
    public var reasons: [String]
    public var isValid: Bool { reasons.isEmpty }

    /// What the measurement itself observed, beyond the records.
    public struct Observations: Hashable, Sendable {
        /// Requests the point asked for (after warm-ups).
        public var requested: Int
        /// The client's own event-loop lag or CPU made it the bottleneck, with the evidence.
        public var clientSaturation: String?
        /// The engine restarted or died during the point.
        public var engineFailure: String?
        /// Power samples were expected and are missing.
        public var powerTelemetryMissing: Bool
        /// The request asked the server to ignore EOS, so outputs must be as long as asked.
        public var ignoreEOS: Bool

        public init(
            requested: Int, clientSaturation: String? = nil, engineFailure: String? = nil,
            powerTelemetryMissing: Bool = false, ignoreEOS: Bool = true
        ) {
            self.requested = requested
            self.clientSaturation = clientSaturation
            self.engineFailure = engineFailure
            self.powerTelemetryMissing = powerTelemetryMissing
            self.ignoreEOS = ignoreEOS
        }
    }

    /// - Parameter maximumFailureRatio: failed ÷ sent above this invalidates (default 1 %).
    public init(records: [RequestRecord], observations: Observations, maximumFailureRatio: Double = 0.01) {
        var reasons: [String] = []
        let failed = records.filter { !$0.succeeded }
        if !records.isEmpty, Double(failed.count) / Double(records.count) > maximumFailureRatio {
            let example = failed.first?.error ?? ""
            reasons.append(
                "\(failed.count) of \(records.count) requests failed (more than \(Self.percent(maximumFailureRatio))); first: \(example)"
            )
        }
        if observations.ignoreEOS {
            let short = records.filter { record in
                record.succeeded && (record.requestedOutputTokens.map { record.outputTokens < $0 } ?? false)
            }
            if !short.isEmpty {
                reasons.append("\(short.count) outputs shorter than asked with ignore_eos: the server ignored it")
            }
        }
        let finished = records.filter(\.succeeded).count
        if finished < observations.requested {
            reasons.append("\(finished) of \(observations.requested) requests finished")
        }
        if let saturation = observations.clientSaturation { reasons.append("client self-check: \(saturation)") }
        if let failure = observations.engineFailure { reasons.append("engine failed during the point: \(failure)") }
        if observations.powerTelemetryMissing { reasons.append("power telemetry expected and missing") }
        self.reasons = reasons
    }

    static func percent(_ ratio: Double) -> String {
        let value = ratio * 100
        return value == value.rounded() ? "\(Int(value)) %" : "\(value) %"
    }
}
