import Catalog
import Foundation
import LoadGenerator
import Results
import Simulator
import Wire

/// The `benchmark` job kind: brings the engine up once, measures the job's points in order,
/// streams every request's record as it finishes and each point's own summary after it, and
/// brings the engine down with everything it started.
///
/// An engine that dies during a point leaves that point invalid with the reason, keeps every
/// record already measured, and fails the job (its retry budget decides what happens next).
public struct BenchmarkJobRunner: JobRunner {
    let adapters: EngineAdapters

    public init(adapters: EngineAdapters = .init()) {
        self.adapters = adapters
    }

    public func run(_ job: AssignedJob, output: JobOutput, cancel: CancelSignal) async -> (JobOutcome, String) {
        guard let workload = job.spec.benchmark, !workload.points.isEmpty else {
            return (.failed, "a benchmark job needs `benchmark:` with at least one point")
        }
        let log: @Sendable (String) -> Void = { output.logLine($0) }
        if case .sim(let simulated) = workload.engine, simulated.virtual {
            return await runVirtual(workload, engine: simulated, job: job, output: output, cancel: cancel)
        }
        let engine: any ServingEngine
        do {
            engine = try await untilCanceled(cancel) {
                try await adapters.start(
                    workload.engine, api: workload.api, gpus: job.gpus.count,
                    environment: job.environment(adding: [:]), log: log)
            }
        } catch is CancellationError {
            return (.canceled, "stopped on request while the engine was starting")
        } catch {
            return (.failed, "the \(workload.engine.adapterName) engine did not come up: \(error)")
        }
        log("engine ready: \(engine.summary)")
        let vocabulary: PromptVocabulary
        do {
            vocabulary = try await PromptCalibration.calibrate(engine.endpoint)
            log(
                "prompts: \(vocabulary.words.count) one-token words, \(vocabulary.overhead) tokens of overhead (counted by \(vocabulary.source))"
            )
        } catch {
            // Lengths are then approximate; every record still carries the server's own prompt count.
            vocabulary = .wordPerToken
            log("prompts are one word per token, not calibrated: \(error)")
        }
        let gpus = workload.gpusForThroughput ?? max(1, job.gpus.count)
        // A time-scaled simulated engine is measured in wall time and reported in its GPU's time.
        let timeScale: Double = if case .sim(let simulated) = workload.engine { simulated.timeScale } else { 1 }
        if timeScale != 1 { log("the simulated engine runs \(timeScale)× faster than its GPU: times are scaled back") }
        // Real GPUs are sampled once a second while the engine serves; declared ones cannot be.
        let powerExpected = job.vendor != .declared && !job.gpus.isEmpty
        var sampler: GPUPowerSampler?
        do {
            sampler = try GPUPowerSampler.start(
                vendor: job.vendor, gpus: job.gpus, environment: job.environment(adding: [:]))
        } catch {
            log("GPU power sampling did not start: \(error)")
        }
        defer { if let sampler { Task { await sampler.stop() } } }
        await sampler?.waitForFirstSample()
        var invalid = 0
        var measured = 0
        for (index, plan) in workload.points.enumerated() {
            if cancel.isCanceled { break }
            let startedAt = Date().timeIntervalSince1970
            let measurement = await measure(
                plan, index: index, engine: engine, vocabulary: vocabulary, gpus: gpus, timeScale: timeScale,
                output: output, cancel: cancel)
            let endedAt = Date().timeIntervalSince1970
            var report = measurement.report(
                point: index,
                settings: .init(
                    date: Self.timestamp(), backend: workload.api == .chat ? "openai-chat" : "openai",
                    model: engine.endpoint.model, maxConcurrency: plan.concurrency, requestRate: plan.requestRate,
                    burstiness: {
                        if case .openLoop(_, let burstiness, _) = plan.load { burstiness } else { 1 }
                    }()))
            report.engine = engine.summary
            report.measuredAt = Self.timestamp()
            if powerExpected {
                let energy = await sampler?.energy(
                    gpus: job.gpus, start: startedAt, end: endedAt,
                    tokens: measurement.summary.inputTokens + measurement.summary.outputTokens)
                report.energy = energy
                if energy?.isComplete != true {
                    let why =
                        energy?.missing.map { "GPU \($0.gpu): \($0.reason)" }.joined(separator: "; ") ?? "no sampler"
                    report.invalidReasons.append("power telemetry expected and missing (\(why))")
                }
            }
            Self.push(.point(report), to: output)
            output.points.withLock { $0 += 1 }
            measured += 1
            if !report.isValid { invalid += 1 }
            log(
                "point \(index) done: \(measurement.summary.completed) requests, \(String(format: "%.1f", measurement.summary.outputThroughput)) output tok/s"
                    + (report.isValid ? "" : "; invalid: " + report.invalidReasons.joined(separator: "; ")))
            if let failure = measurement.engineFailure {
                await engine.stop()
                return (.failed, "the engine failed during point \(index): \(failure)")
            }
        }
        await engine.stop()
        if cancel.isCanceled {
            return (.canceled, "stopped on request after \(measured) of \(workload.points.count) points")
        }
        return (.succeeded, "\(measured) points measured" + (invalid > 0 ? ", \(invalid) invalid" : ""))
    }

    /// Every point in simulated time, one after another, each on a thread of its own: the
    /// computation is long and would otherwise hold a thread of the shared pool that heartbeats
    /// and record streaming need.
    private func runVirtual(
        _ workload: BenchmarkWorkload, engine: SimulatedEngine, job: AssignedJob, output: JobOutput,
        cancel: CancelSignal
    ) async -> (JobOutcome, String) {
        let gpus = workload.gpusForThroughput ?? max(1, job.gpus.count)
        // The catalogs are read once per job, not per point.
        let resolved: (Deployment, EngineConfiguration)
        do {
            resolved = try engine.resolved(in: Catalog.builtIn())
        } catch {
            return (.failed, "the simulated deployment was refused: \(error)")
        }
        output.logLine(
            "engine: simulated \(engine.model) \(engine.precision.rawValue) tp\(engine.tp) on \(engine.hardware), virtual time"
        )
        for (index, plan) in workload.points.enumerated() {
            if cancel.isCanceled { return (.canceled, "stopped on request after \(index) points") }
            let computed: Result<PointMeasurement, any Error> = await onThread {
                Result {
                    try VirtualPoints.measure(plan, deployment: resolved.0, configuration: resolved.1, gpus: gpus)
                }
            }
            let measurement: PointMeasurement
            switch computed {
            case .success(let value): measurement = value
            case .failure(let error): return (.failed, "the simulated deployment was refused: \(error)")
            }
            for record in measurement.records { Self.push(.request(point: index, record), to: output) }
            var report = measurement.report(
                point: index,
                settings: .init(
                    date: Self.timestamp(), backend: "sweepline-virtual", model: engine.model,
                    maxConcurrency: plan.concurrency, requestRate: plan.requestRate))
            report.engine =
                "simulated \(engine.model) \(engine.precision.rawValue) tp\(engine.tp) on \(engine.hardware), virtual time"
            report.measuredAt = Self.timestamp()
            Self.push(.point(report), to: output)
            output.points.withLock { $0 += 1 }
        }
        return (.succeeded, "\(workload.points.count) points measured in virtual time")
    }

    /// One point; a cancel also ends the requests in flight, not only the ones to come.
    private func measure(
        _ plan: PointPlan, index: Int, engine: any ServingEngine, vocabulary: PromptVocabulary, gpus: Int,
        timeScale: Double, output: JobOutput, cancel: CancelSignal
    ) async -> PointMeasurement {
        await withTaskGroup(of: PointMeasurement?.self) { group in
            group.addTask {
                await PointDriver.measure(
                    plan, against: engine.endpoint, vocabulary: vocabulary, gpus: gpus, timeScale: timeScale,
                    engineFailure: { engine.failure() }, stop: { cancel.isCanceled },
                    onRecord: { Self.push(.request(point: index, $0), to: output) })
            }
            group.addTask {
                _ = await cancel.wait()
                return nil
            }
            let measurement = await group.next()!
            group.cancelAll()
            if let measurement { return measurement }
            // Cancelled: wait for the point to wind down with what it has.
            return await group.compactMap { $0 }.first { _ in true }!
        }
    }

    static func push(_ record: BenchmarkRecord, to output: JobOutput) {
        guard let data = try? encoder.encode(record) else { return }
        let text = String(decoding: data, as: UTF8.self)
        output.records.push(text, bytes: data.count + 1)
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return encoder
    }()

    static func timestamp() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date())
    }
}

/// Runs `body` until it ends or `cancel` fires, whichever is first; a cancel throws
/// `CancellationError` after cancelling `body`.
func untilCanceled<T: Sendable>(_ cancel: CancelSignal, _ body: @escaping @Sendable () async throws -> T) async throws
    -> T
{
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            _ = await cancel.wait()
            return nil
        }
        defer { group.cancelAll() }
        guard let value = try await group.next()!, !cancel.isCanceled else { throw CancellationError() }
        return value
    }
}
