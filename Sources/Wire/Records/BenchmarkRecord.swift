/// One line of a benchmark job's record stream: a request as it finished, or a point's own
/// summary once its last request has. Both travel through the same acknowledged stream, so the
/// agent's summary is as durable as the records the coordinator recomputes it from.
///
/// `{"type":"request","point":0,"request":{…RequestRecord…}}`
/// `{"type":"point","point":0,"report":{…PointReport…}}`
public enum BenchmarkRecord: Hashable, Sendable {
    case request(point: Int, RequestRecord)
    case point(PointReport)
}

/// What the agent concluded about a point: the figures it computed from its own records, whether
/// the point stands, and what it observed beyond the records.
public struct PointReport: Hashable, Sendable, Codable {
    public var point: Int
    public var plan: PointPlan
    /// vLLM's result fields without the per-request lists (those are the request records).
    public var result: JSONValue
    public var invalidReasons: [String]
    public var client: ClientLoad?
    /// Why the engine failed during the point, if it did.
    public var engineFailure: String?
    /// The engine as the agent brought it up (its argv, or the simulated deployment).
    public var engine: String?
    /// When the point ended, UTC (`yyyyMMdd-HHmmss`).
    public var measuredAt: String?
    /// The GPUs' measured energy over the point, where the agent samples power.
    public var energy: PointEnergy?

    public init(
        point: Int, plan: PointPlan, result: JSONValue, invalidReasons: [String], client: ClientLoad?,
        engineFailure: String?, engine: String? = nil, measuredAt: String? = nil
    ) {
        self.engine = engine
        self.measuredAt = measuredAt
        self.point = point
        self.plan = plan
        self.result = result
        self.invalidReasons = invalidReasons
        self.client = client
        self.engineFailure = engineFailure
    }

    public var isValid: Bool { invalidReasons.isEmpty }
}

/// How loaded the measuring client itself was during a point (its saturation self-check).
public struct ClientLoad: Hashable, Sendable, Codable {
    /// The process's CPU time over the point's wall time, in cores (1.0: one core busy).
    public var cpuCores: Double
    /// Cores the machine has.
    public var coresAvailable: Int
    /// How late the event loops ran a timer due every few milliseconds: p99 and max, ms.
    public var loopLagP99Milliseconds: Double
    public var loopLagMaxMilliseconds: Double
    /// CPU seconds the client used for the point.
    public var cpuSeconds: Double

    public init(
        cpuCores: Double, coresAvailable: Int, loopLagP99Milliseconds: Double, loopLagMaxMilliseconds: Double,
        cpuSeconds: Double
    ) {
        self.cpuCores = cpuCores
        self.coresAvailable = coresAvailable
        self.loopLagP99Milliseconds = loopLagP99Milliseconds
        self.loopLagMaxMilliseconds = loopLagMaxMilliseconds
        self.cpuSeconds = cpuSeconds
    }

    /// The event loop ran a timer more than this late at p99: stamps are off by as much.
    public static let lagLimitMilliseconds = 5.0
    /// The client kept this share of the machine's cores busy: it competes with itself.
    public static let cpuLimitShare = 0.9

    /// Below this much of the process's CPU, on average, the client's loops had little to do: a
    /// lag over the limit then most likely came from outside them (a burst of the client's own
    /// work can still cause it).
    public static let busyLoopCores = 0.5

    /// Why the client's stamps may be off, or the client, not the server, may have set the pace;
    /// `nil` when neither.
    public var saturation: String? {
        var reasons: [String] = []
        if loopLagP99Milliseconds > Self.lagLimitMilliseconds {
            var reason =
                "event-loop lag p99 \(Self.format(loopLagP99Milliseconds)) ms (limit \(Self.format(Self.lagLimitMilliseconds)) ms)"
            if cpuCores < Self.busyLoopCores {
                // Said, because "the client was too slow" would send its user the wrong way.
                reason +=
                    " at \(Self.format(cpuCores)) of a core of client CPU on average: most likely the machine held its event loops up (other processes, or the hypervisor); the stamps are as late either way"
            }
            reasons.append(reason)
        }
        if cpuCores > Self.cpuLimitShare * Double(coresAvailable) {
            reasons.append(
                "client CPU \(Self.format(cpuCores)) of \(coresAvailable) cores (limit \(Int(Self.cpuLimitShare * 100)) %)"
            )
        }
        return reasons.isEmpty ? nil : reasons.joined(separator: "; ")
    }

    static func format(_ value: Double) -> String {
        let rounded = (value * 100).rounded() / 100
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }
}

extension BenchmarkRecord: Codable {
    private enum Key: String, CodingKey {
        case type, point, request, report
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        switch try container.decode(String.self, forKey: .type) {
        case "request":
            self = .request(
                point: try container.decode(Int.self, forKey: .point),
                try container.decode(RequestRecord.self, forKey: .request))
        case "point":
            self = .point(try container.decode(PointReport.self, forKey: .report))
        case let other:
            throw DecodingError.dataCorruptedError(
                forKey: .type, in: container, debugDescription: "unknown benchmark record type `\(other)`")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        switch self {
        case .request(let point, let record):
            try container.encode("request", forKey: .type)
            try container.encode(point, forKey: .point)
            try container.encode(record, forKey: .request)
        case .point(let report):
            try container.encode("point", forKey: .type)
            try container.encode(report.point, forKey: .point)
            try container.encode(report, forKey: .report)
        }
    }
}
