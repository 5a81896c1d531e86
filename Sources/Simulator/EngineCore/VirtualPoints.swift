import Results
import Wire

/// The `sim` engine in virtual time: no server and no client; the engine core computes each
/// point's request records in simulated seconds, as fast as the CPU allows.
public enum VirtualPoints {
    /// The point's request records (warm-ups included), in simulated seconds. `sweepline plan`
    /// estimates a sweep's duration with these.
    public static func records(
        _ plan: PointPlan, deployment: Deployment, configuration: EngineConfiguration = .init()
    ) throws(DeploymentRefused) -> [RequestRecord] {
        let dataset = plan.dataset
        switch plan.load {
        case .closedLoop(let concurrency):
            return try VirtualRun.closedLoop(
                ClosedLoopLoad(
                    concurrency: concurrency, requests: plan.requests, warmups: plan.warmups,
                    inputLength: dataset.inputLength, outputLength: dataset.outputLength,
                    rangeRatio: dataset.rangeRatio, convention: dataset.convention, seed: dataset.seed,
                    recordGaps: false),
                deployment: deployment, configuration: configuration)
        case .openLoop(let rate, let burstiness, _):
            return try VirtualRun.openLoop(
                OpenLoopLoad(
                    requestRate: rate, burstiness: burstiness, requests: plan.requests,
                    inputLength: dataset.inputLength, outputLength: dataset.outputLength,
                    rangeRatio: dataset.rangeRatio, convention: dataset.convention, seed: dataset.seed),
                deployment: deployment, configuration: configuration)
        }
    }

    package static func measure(
        _ plan: PointPlan, deployment: Deployment, configuration: EngineConfiguration, gpus: Int
    ) throws -> PointMeasurement {
        let measured = try records(plan, deployment: deployment, configuration: configuration)
        return PointMeasurement(
            plan: plan, records: measured, client: nil, engineFailure: nil,
            summary: PointSummary(records: measured, gpus: gpus),
            validity: PointValidity(records: measured, observations: .init(requested: plan.requests)))
    }
}
