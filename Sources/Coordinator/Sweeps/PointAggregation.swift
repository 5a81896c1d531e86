import Catalog
import Foundation
import Results
import Wire

/// A sweep's point results, computed by the coordinator from the request records it stored
/// (metrics.md), never taken from the agent's word: the agent's own summary of each point is
/// only cross-checked against them. Pure: the same records give the same results.
public enum PointAggregation {
    /// Completed requests or output throughput further apart than this from the agent's own
    /// summary means the stored records are not what the agent measured.
    static let crossCheckTolerance = 0.01

    /// The measured points of one job's current attempt.
    public static func results(
        job: Job, records: [BenchmarkRecord], agent: AgentRecord?, hardware: HardwareSpec?
    ) -> [PointResult] {
        guard let membership = job.spec.sweep, let workload = job.spec.benchmark else { return [] }
        var requests: [Int: [RequestRecord]] = [:]
        var reports: [Int: PointReport] = [:]
        for record in records {
            switch record {
            case .request(let point, let request): requests[point, default: []].append(request)
            case .point(let report): reports[report.point] = report
            }
        }
        let gpus = workload.gpusForThroughput ?? max(1, membership.deployment.gpus)
        var results: [PointResult] = []
        for (index, plan) in workload.points.enumerated() where index < membership.points.count {
            let measured = requests[index] ?? []
            let report = reports[index]
            guard !measured.isEmpty || report != nil else { continue }
            let summary = PointSummary(records: measured, gpus: gpus)
            var reasons = PointValidity(
                records: measured,
                observations: .init(
                    requested: plan.durationSeconds == nil ? plan.requests : measured.count,
                    clientSaturation: report?.client?.saturation, engineFailure: report?.engineFailure,
                    powerTelemetryMissing: report?.energy.map { !$0.isComplete } ?? false)
            ).reasons
            if let report {
                reasons += crossCheck(summary, against: report.result)
            } else {
                reasons.append("the job ended before the agent summarised the point")
            }
            let figures = PointFigures(summary, intervals: PointIntervals(records: measured, gpus: gpus))
            results.append(
                PointResult(
                    sweepID: membership.sweepID, sweepName: membership.sweepName,
                    pointKey: membership.points[index].key, repeatIndex: membership.points[index].repeatIndex,
                    deployment: membership.deployment, inputLength: plan.dataset.inputLength,
                    outputLength: plan.dataset.outputLength, concurrency: plan.concurrency,
                    requestRate: plan.requestRate, figures: figures,
                    economics: hardware.flatMap {
                        PointEconomics(
                            figures: figures, usdPerGPUHour: $0.usdPerGPUHour, allInKilowatts: $0.allInKilowatts)
                    },
                    energy: report?.energy, invalidReasons: reasons,
                    provenance: Provenance(
                        jobID: job.id, attempt: job.attempt, agentID: job.agentID,
                        gpus: agent.map(describe), engine: report?.engine, clientVersion: agent?.agentVersion,
                        seed: plan.dataset.seed, measuredAt: report?.measuredAt)))
        }
        return results
    }

    /// Where the stored records and the agent's own summary disagree.
    static func crossCheck(_ summary: PointSummary, against result: JSONValue) -> [String] {
        var reasons: [String] = []
        if case .number(let completed)? = result["completed"], Int(completed) != summary.completed {
            reasons.append(
                "the agent counted \(Int(completed)) completed requests, the stored records \(summary.completed)")
        }
        if case .number(let throughput)? = result["output_throughput"], throughput > 0,
            abs(throughput - summary.outputThroughput) / throughput > crossCheckTolerance
        {
            reasons.append(
                String(
                    format: "the agent measured %.1f output tok/s, the stored records give %.1f", throughput,
                    summary.outputThroughput))
        }
        return reasons
    }

    static func describe(_ agent: AgentRecord) -> String {
        let gpus = agent.inventory.gpus
        guard let first = gpus.first else { return "\(agent.id): no GPUs" }
        return "\(agent.id): \(gpus.count)× \(first.name), driver \(first.driverVersion)"
    }

    /// Decodes stored records; lines that are not benchmark records are skipped.
    public static func decode(_ values: [JSONValue]) -> [BenchmarkRecord] {
        let encoder = JSONEncoder()
        let decoder = JSONDecoder()
        return values.compactMap { value in
            guard let data = try? encoder.encode(value) else { return nil }
            return try? decoder.decode(BenchmarkRecord.self, from: data)
        }
    }
}
