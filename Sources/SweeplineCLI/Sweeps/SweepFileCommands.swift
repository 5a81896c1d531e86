import ArgumentParser
import Catalog
import Coordinator
import Foundation

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
        abstract: "Show the jobs and points a sweep file expands to, and the GPU-hours it will take, before it runs.")
    @Argument(help: "The sweep file.")
    var file: String
    @OptionGroup var output: FormatOption

    func run(in context: CommandContext) async throws {
        let (_, spec) = try readSweepFile(file)
        let plan = SweepPlan(spec, catalog: try Catalog.builtIn())
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
    }

    static func duration(_ seconds: Double) -> String {
        seconds >= 3600
            ? String(format: "%.1f h", seconds / 3600)
            : seconds >= 60 ? String(format: "%.0f min", seconds / 60) : String(format: "%.0f s", seconds)
    }
}
