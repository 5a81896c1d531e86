import Wire

/// One point measured: its records, how loaded the client was, and whether it stands.
public struct PointMeasurement: Sendable {
    public var plan: PointPlan
    public var records: [RequestRecord]
    /// `nil` in virtual time, where there is no client.
    public var client: ClientLoad?
    public var engineFailure: String?
    public var summary: PointSummary
    public var validity: PointValidity

    public init(
        plan: PointPlan, records: [RequestRecord], client: ClientLoad?, engineFailure: String?,
        summary: PointSummary, validity: PointValidity
    ) {
        self.plan = plan
        self.records = records
        self.client = client
        self.engineFailure = engineFailure
        self.summary = summary
        self.validity = validity
    }

    /// vLLM's result JSON, with the client's own load beside Sweepline's figures.
    public func result(settings: BenchmarkResult.Settings) -> JSONValue {
        var result = BenchmarkResult.json(summary: summary, records: records, validity: validity, settings: settings)
        if let client, case .object(var fields) = result, case .object(var own)? = fields["sweepline"] {
            own["client_cpu_cores"] = .number(client.cpuCores)
            own["client_cpu_s"] = .number(client.cpuSeconds)
            own["client_loop_lag_p99_ms"] = .number(client.loopLagP99Milliseconds)
            own["client_loop_lag_max_ms"] = .number(client.loopLagMaxMilliseconds)
            fields["sweepline"] = .object(own)
            result = .object(fields)
        }
        return result
    }

    /// The agent's own summary of the point, as streamed after its records.
    public func report(point: Int, settings: BenchmarkResult.Settings) -> PointReport {
        var result = result(settings: settings)
        if case .object(var fields) = result {
            // The per-request lists are the request records themselves.
            for list in ["input_lens", "output_lens", "ttfts", "itls", "errors"] { fields[list] = nil }
            result = .object(fields)
        }
        return PointReport(
            point: point, plan: plan, result: result, invalidReasons: validity.reasons, client: client,
            engineFailure: engineFailure)
    }
}
