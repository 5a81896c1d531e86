import Shared

/// The `sim` engine in virtual time: no server and no client; the engine core computes each
/// point's request records in simulated seconds, as fast as the CPU allows.
enum VirtualPoints {
    static func measure(
        _ plan: PointPlan, deployment: Deployment, configuration: EngineConfiguration, gpus: Int
    ) throws -> PointMeasurement {
        let dataset = plan.dataset
        let records: [RequestRecord]
        switch plan.load {
        case .closedLoop(let concurrency):
            records = try VirtualRun.closedLoop(
                ClosedLoopLoad(
                    concurrency: concurrency, requests: plan.requests, warmups: plan.warmups,
                    inputLength: dataset.inputLength, outputLength: dataset.outputLength,
                    rangeRatio: dataset.rangeRatio, convention: dataset.convention, seed: dataset.seed,
                    recordGaps: false),
                deployment: deployment, configuration: configuration)
        case .openLoop(let rate, let burstiness, _):
            records = try VirtualRun.openLoop(
                OpenLoopLoad(
                    requestRate: rate, burstiness: burstiness, requests: plan.requests,
                    inputLength: dataset.inputLength, outputLength: dataset.outputLength,
                    rangeRatio: dataset.rangeRatio, convention: dataset.convention, seed: dataset.seed),
                deployment: deployment, configuration: configuration)
        }
        return PointMeasurement(
            plan: plan, records: records, client: nil, engineFailure: nil,
            summary: PointSummary(records: records, gpus: gpus),
            validity: PointValidity(records: records, observations: .init(requested: plan.requests)))
    }
}
