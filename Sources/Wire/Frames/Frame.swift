/// One message of the agent protocol, v1: a compact JSON object with a `type` field and a `\n`.
///
/// ```
/// {"type":"heartbeat","holding":[{"jobID":"j-000001","attempt":1,"progress":{…}}]}\n
/// ```
///
/// The payload's fields sit beside `type` at the top level. A frame whose `type` this build does
/// not know decodes as ``unknown(type:)`` so that newer peers can add frames without breaking
/// older ones.
public enum Frame: Hashable, Sendable {
    // agent → coordinator
    case hello(Hello)
    case heartbeat(Heartbeat)
    case accepted(JobAttempt)
    case records(Records)
    case log(LogLines)
    case finished(Finished)
    // coordinator → agent
    case welcome(Welcome)
    case rejected(Reason)
    case heartbeatAck(HeartbeatAck)
    case assign(Assign)
    case recordsAck(RecordsAck)
    case finishedAck(JobAttempt)
    case cancel(CancelJob)
    case drain(Reason)
    case undrain
    case stale(Stale)
    // either way
    case error(Reason)
    case unknown(type: String)

    /// The `type` field written on the wire.
    public var type: String {
        switch self {
        case .hello: "hello"
        case .heartbeat: "heartbeat"
        case .accepted: "accepted"
        case .records: "records"
        case .log: "log"
        case .finished: "finished"
        case .welcome: "welcome"
        case .rejected: "rejected"
        case .heartbeatAck: "heartbeatAck"
        case .assign: "assign"
        case .recordsAck: "recordsAck"
        case .finishedAck: "finishedAck"
        case .cancel: "cancel"
        case .drain: "drain"
        case .undrain: "undrain"
        case .stale: "stale"
        case .error: "error"
        case .unknown(let type): type
        }
    }
}

extension Frame: Codable {
    private enum TypeKey: String, CodingKey { case type }

    public init(from decoder: any Decoder) throws {
        let type = try decoder.container(keyedBy: TypeKey.self).decode(String.self, forKey: .type)
        switch type {
        case "hello": self = .hello(try Hello(from: decoder))
        case "heartbeat": self = .heartbeat(try Heartbeat(from: decoder))
        case "accepted": self = .accepted(try JobAttempt(from: decoder))
        case "records": self = .records(try Records(from: decoder))
        case "log": self = .log(try LogLines(from: decoder))
        case "finished": self = .finished(try Finished(from: decoder))
        case "welcome": self = .welcome(try Welcome(from: decoder))
        case "rejected": self = .rejected(try Reason(from: decoder))
        case "heartbeatAck": self = .heartbeatAck(try HeartbeatAck(from: decoder))
        case "assign": self = .assign(try Assign(from: decoder))
        case "recordsAck": self = .recordsAck(try RecordsAck(from: decoder))
        case "finishedAck": self = .finishedAck(try JobAttempt(from: decoder))
        case "cancel": self = .cancel(try CancelJob(from: decoder))
        case "drain": self = .drain(try Reason(from: decoder))
        case "undrain": self = .undrain
        case "stale": self = .stale(try Stale(from: decoder))
        case "error": self = .error(try Reason(from: decoder))
        default: self = .unknown(type: type)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: TypeKey.self)
        try container.encode(type, forKey: .type)
        switch self {
        case .hello(let payload): try payload.encode(to: encoder)
        case .heartbeat(let payload): try payload.encode(to: encoder)
        case .accepted(let payload): try payload.encode(to: encoder)
        case .records(let payload): try payload.encode(to: encoder)
        case .log(let payload): try payload.encode(to: encoder)
        case .finished(let payload): try payload.encode(to: encoder)
        case .welcome(let payload): try payload.encode(to: encoder)
        case .rejected(let payload): try payload.encode(to: encoder)
        case .heartbeatAck(let payload): try payload.encode(to: encoder)
        case .assign(let payload): try payload.encode(to: encoder)
        case .recordsAck(let payload): try payload.encode(to: encoder)
        case .finishedAck(let payload): try payload.encode(to: encoder)
        case .cancel(let payload): try payload.encode(to: encoder)
        case .drain(let payload): try payload.encode(to: encoder)
        case .stale(let payload): try payload.encode(to: encoder)
        case .error(let payload): try payload.encode(to: encoder)
        case .undrain, .unknown: break
        }
    }
}
