import Foundation
import Results
import Wire

/// Runs one ``PointPlan`` against a server: closed or open loop, with the client's own load
/// watched throughout, and stops sending once the engine is known to have failed.
public enum PointDriver {
    /// - Parameter timeScale: the engine runs this many times faster than the GPU it simulates;
    ///   records are put back into the GPU's time (the client's own load stays in wall time).
    public static func measure(
        _ plan: PointPlan, against endpoint: BenchEndpoint, vocabulary: PromptVocabulary = .wordPerToken,
        gpus: Int = 1, timeScale: Double = 1, engineFailure: @escaping @Sendable () -> String? = { nil },
        stop: @escaping @Sendable () -> Bool = { false },
        onRecord measured: @escaping @Sendable (RequestRecord) -> Void = { _ in }
    ) async -> PointMeasurement {
        let onRecord: @Sendable (RequestRecord) -> Void = { record in
            measured(timeScale == 1 ? record : record.scaled(by: timeScale))
        }
        let monitor = ClientLoadMonitor()
        let timeout = plan.requestTimeoutSeconds.map { Duration.seconds($0) }
        let duration = plan.durationSeconds.map { Duration.seconds($0) }
        let halt: @Sendable () -> Bool = { stop() || engineFailure() != nil }
        var records: [RequestRecord]
        switch plan.load {
        case .closedLoop(let concurrency):
            records = await ClosedLoopClient.run(
                ClosedLoopPoint(
                    concurrency: concurrency, requests: plan.requests, warmups: plan.warmups, dataset: plan.dataset),
                against: endpoint, timeout: timeout, vocabulary: vocabulary, duration: duration, stop: halt,
                onRecord: onRecord)
        case .openLoop(let rate, let burstiness, let maxConcurrency):
            let dataset = plan.dataset
            records = await OpenLoopClient.run(
                OpenLoopLoad(
                    requestRate: rate, burstiness: burstiness, requests: plan.warmups + plan.requests,
                    inputLength: dataset.inputLength, outputLength: dataset.outputLength,
                    rangeRatio: dataset.rangeRatio, convention: dataset.convention, seed: dataset.seed),
                maxConcurrency: maxConcurrency, against: endpoint, timeout: timeout, vocabulary: vocabulary,
                warmups: plan.warmups, duration: duration, stop: halt, onRecord: onRecord)
        }
        let client = monitor.stop()
        if timeScale != 1 { records = records.map { $0.scaled(by: timeScale) } }
        let failure = engineFailure()
        // A duration limit ends a point early on purpose: what it asked for is what started.
        let requested = plan.durationSeconds == nil ? plan.requests : records.count
        let validity = PointValidity(
            records: records,
            observations: .init(requested: requested, clientSaturation: client.saturation, engineFailure: failure))
        return PointMeasurement(
            plan: plan, records: records, client: client, engineFailure: failure,
            summary: PointSummary(records: records, gpus: gpus), validity: validity)
    }
}
