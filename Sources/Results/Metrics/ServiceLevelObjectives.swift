import Wire

/// Optional latency targets for goodput (metrics.md): a request is good when it meets every one.
public struct ServiceLevelObjectives: Hashable, Sendable, Codable {
    public var ttft: Double?
    public var tpot: Double?
    public var e2el: Double?

    public init(ttft: Double? = nil, tpot: Double? = nil, e2el: Double? = nil) {
        self.ttft = ttft
        self.tpot = tpot
        self.e2el = e2el
    }

    public var isEmpty: Bool { ttft == nil && tpot == nil && e2el == nil }

    /// TPOT counts as 0 when a request produced one token or none.
    public func isMet(by record: RequestRecord) -> Bool {
        guard record.succeeded else { return false }
        if let ttft, record.ttft > ttft { return false }
        if let tpot, (record.tpot ?? 0) > tpot { return false }
        if let e2el, record.e2el > e2el { return false }
        return true
    }
}
