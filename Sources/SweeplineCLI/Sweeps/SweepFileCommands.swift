import ArgumentParser
import Catalog
import Coordinator
import Foundation
import Results

/// Reads a sweep file the way the coordinator will, or says exactly what is wrong and where.
func readSweepFile(_ file: String) throws -> (text: String, spec: SweepSpec) {
    let text: String
    do {
        text = try String(contentsOfFile: file, encoding: .utf8)
    } catch {
        throw ValidationError("cannot read \(file): \(error.localizedDescription)")
    }
    do {
        return (text, try SweepFile.parse(text, file: file))
    } catch {
        throw ValidationError("\(error)")
    }
}

struct ValidateCommand: OperatorCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check a sweep file: every field, with the line and column of any mistake.")
    @Argument(help: "The sweep file.")
    var file: String

    func run(in context: CommandContext) async throws {
        let (_, spec) = try readSweepFile(file)
        let jobs = SweepExpansion.jobs(spec, sweepID: "validate")
        let points = jobs.reduce(0) { $0 + ($1.benchmark?.points.count ?? 0) }
        context.write(
            "\(file): sweep `\(spec.name)` is valid: \(spec.entries.count) entries, \(jobs.count) jobs, \(points) points"
        )
    }
}

struct PlanCommand: OperatorCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show the jobs and points a sweep file expands to, and the GPU-hours it will take, before it runs.",
        discussion: """
            With --against, also how many requests each point needs so that a chosen change (--detect) is \
            flagged by `sweepline compare`, from the variance an earlier run of the same points measured.
            """)
    @Argument(help: "The sweep file.")
    var file: String
    @OptionGroup var output: FormatOption
    @OptionGroup var connection: OperatorOptions
    @Option(help: "An earlier run of these points, by sweep id, or `latest` for the sweep's latest finished run.")
    var against: String?
    @Option(
        help: ArgumentHelp(
            "With --against: the change to be flagged, in per cent: `5` for every metric or `ttft=10`; repeat for more.",
            discussion: "Defaults: tok/s/GPU 5, tok/s/user 5, TTFT 10."))
    var detect: [String] = []
    @Option(help: "With --against: the effects `compare` will judge with, as its --effect.")
    var effect: [String] = []
    @Option(help: "With --against: the probability, in per cent, that a point flags the change.")
    var power = SampleSizePlan.defaultPower * 100

    func run(in context: CommandContext) async throws {
        let (_, spec) = try readSweepFile(file)
        let plan = SweepPlan(spec, catalog: try Catalog.builtIn())
        let sampleSizes = try await sampleSizes(plan, sweepName: spec.name, in: context)
        if output.format == .json, let sampleSizes {
            let rows: [[String: Any]] = sampleSizes.rows.map { row in
                var entry: [String: Any] = ["pointKey": row.pointKey, "plannedRequests": row.planned]
                if let plan = row.plan {
                    entry["earlierRequests"] = plan.measuredRequests
                    if let requests = plan.requests { entry["neededRequests"] = requests }
                    entry["needed"] = Dictionary(
                        uniqueKeysWithValues: plan.needs.compactMap { need in
                            need.requests.map { (need.metric.rawValue, $0) }
                        })
                    entry["neededRepeats"] = Dictionary(
                        uniqueKeysWithValues: plan.needs.compactMap { need in
                            need.repeats.map { (need.metric.rawValue, $0) }
                        })
                }
                return entry
            }
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys])
            context.write(String(decoding: data, as: UTF8.self))
            return
        }
        if output.format == .json {
            let rows: [[String: Any]] = plan.jobs.map { job in
                var row: [String: Any] = [
                    "name": job.spec.name, "gpus": job.spec.gpus, "gpuModel": job.spec.gpuModel ?? "",
                    "points": job.spec.benchmark?.points.count ?? 0,
                    "pointKeys": job.spec.sweep?.points.map(\.key) ?? [],
                ]
                if let seconds = job.seconds { row["estimatedSeconds"] = seconds }
                if let refused = job.refused { row["refused"] = refused }
                return row
            }
            let data = try JSONSerialization.data(withJSONObject: rows, options: [.prettyPrinted, .sortedKeys])
            context.write(String(decoding: data, as: UTF8.self))
            return
        }
        var table: [[String]] = []
        for job in plan.jobs {
            let estimate =
                job.refused.map { "does not fit: \($0.prefix(60))" }
                ?? job.seconds.map { Self.duration($0) } ?? "unknown"
            table.append([
                job.spec.name, String(job.spec.gpus), String(job.spec.benchmark?.points.count ?? 0), estimate,
            ])
        }
        context.write(Rendering.table(["JOB", "GPUS", "POINTS", "ESTIMATE"], table))
        let hours =
            plan.gpuHours.map { String(format: "%.1f GPU-hours", $0) }
            ?? "GPU-hours unknown (engines the catalogs do not know)"
        let refused = plan.jobs.filter { $0.refused != nil }.count
        context.write(
            "\n\(plan.jobs.count) jobs, \(plan.points) points, \(hours) on the real hardware (estimated with the simulated engine)"
                + (refused > 0 ? "; \(refused) deployments do not fit their GPUs and will fail" : ""))
        if let sampleSizes { context.write("\n" + sampleSizes.text()) }
    }

    /// With --against: the earlier run's results, read from the coordinator, as a table of needs.
    func sampleSizes(_ plan: SweepPlan, sweepName: String, in context: CommandContext) async throws
        -> SampleSizeTable?
    {
        guard let against else {
            guard detect.isEmpty && effect.isEmpty else {
                throw ValidationError("--detect and --effect need --against")
            }
            return nil
        }
        let settings: ComparisonSettings
        let changes: [ComparedMetric: Double]
        do {
            settings = try ComparisonSettings.parsing(effects: effect)
            changes = try ComparisonSettings.percentages(detect, option: "--detect")
        } catch let error as ComparisonSettings.InvalidSetting {
            throw ValidationError(error.description)
        }
        guard (50...99.9).contains(power) else { throw ValidationError("--power must be within 50–99.9 %") }
        let client = try connection.client(in: context)
        var sweepID = against
        if against == "latest" {
            let sweeps: [SweepSummary] = try await client.get("/v1/sweeps")
            guard let latest = sweeps.last(where: { $0.name == sweepName && $0.isFinished }) else {
                throw ValidationError("no finished run of sweep `\(sweepName)` to plan from")
            }
            sweepID = latest.sweepID
        }
        let earlier: [PointResult] = try await client.get("/v1/sweeps/\(sweepID)/results")
        let baseline: BaselineComparison = try await client.get(
            "/v1/sweeps/\(sweepID)/baseline" + CompareCommand.query(settings))
        return SampleSizeTable(
            jobs: plan.jobs, earlier: earlier, detect: SampleSizePlan.defaultDetect.merging(changes) { $1 },
            settings: settings, power: power / 100, runToRunNoise: baseline.comparison.runToRunNoise)
    }

    static func duration(_ seconds: Double) -> String {
        seconds >= 3600
            ? String(format: "%.1f h", seconds / 3600)
            : seconds >= 60 ? String(format: "%.0f min", seconds / 60) : String(format: "%.0f s", seconds)
    }
}
