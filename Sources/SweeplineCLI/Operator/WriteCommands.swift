import ArgumentParser
import Coordinator
import Foundation
import Wire

struct SubmitCommand: OperatorCommand {
    static let configuration = CommandConfiguration(
        commandName: "submit", abstract: "Submit a YAML or JSON file of jobs, or a sweep file.")
    @OptionGroup var connection: OperatorOptions
    @OptionGroup var output: FormatOption
    @Argument(help: "The job file or sweep file.")
    var file: String

    func run(in context: CommandContext) async throws {
        let text: String
        do {
            text = try String(contentsOfFile: file, encoding: .utf8)
        } catch {
            throw ValidationError("cannot read \(file): \(error.localizedDescription)")
        }
        if SweepFile.looksLikeSweep(text) { return try await submitSweep(in: context) }
        // Check here first, so mistakes name the file the operator wrote.
        let specs = try JobFile.parse(text, file: file)
        let body = try await connection.client(in: context).send(.POST, "/v1/jobs", body: Data(text.utf8))
        switch output.format {
        case .json: context.writeJSON(body)
        case .table:
            let response = try APIClient.decoder.decode(SubmitResponse.self, from: body)
            context.write("submitted \(response.jobs.count) job(s) from \(file): \(Self.ranges(response.jobs))")
            if specs.count != response.jobs.count { context.write("warning: the file holds \(specs.count) jobs") }
        }
    }

    func submitSweep(in context: CommandContext) async throws {
        let (text, spec) = try readSweepFile(file)
        let body = try await connection.client(in: context).send(.POST, "/v1/sweeps", body: Data(text.utf8))
        switch output.format {
        case .json: context.writeJSON(body)
        case .table:
            let response = try APIClient.decoder.decode(SweepSubmitResponse.self, from: body)
            if let schedule = response.schedule {
                context.write(
                    "scheduled sweep `\(spec.name)` (\(schedule.cron) \(schedule.timeZone)): \(schedule.jobs) jobs, \(schedule.points) points a run; "
                        + "next run \(schedule.nextRunAt.map { Rendering.time($0, in: schedule.timeZone) } ?? "never"); see `sweepline schedules`"
                )
            } else if let sweepID = response.sweepID {
                context.write(
                    "submitted sweep \(sweepID) (`\(spec.name)`): \(response.jobs.count) jobs, \(response.points) points; "
                        + "follow it with `sweepline sweeps`, then `sweepline results \(sweepID)`")
            }
        }
    }

    /// `j-000001 … j-000020` rather than twenty ids.
    static func ranges(_ ids: [JobID]) -> String {
        ids.count > 3 ? "\(ids.first!) … \(ids.last!)" : ids.joined(separator: ", ")
    }
}

struct CancelCommand: OperatorCommand {
    static let configuration = CommandConfiguration(commandName: "cancel", abstract: "Cancel a job, queued or running.")
    @OptionGroup var connection: OperatorOptions
    @Argument(help: "The job id.")
    var id: String

    func run(in context: CommandContext) async throws {
        let response: CancelResponse = try await connection.client(in: context).post("/v1/jobs/\(id)/cancel")
        context.write("\(response.job): \(response.result)")
    }
}

struct DrainCommand: OperatorCommand {
    static let configuration = CommandConfiguration(
        commandName: "drain", abstract: "Stop placing jobs on an agent; what runs there finishes.")
    @OptionGroup var connection: OperatorOptions
    @Argument(help: "The agent id.")
    var agent: String
    @Option(help: "Why, for the other operators.")
    var reason: String

    func run(in context: CommandContext) async throws {
        let body = try JSONEncoder().encode(DrainRequest(reason: reason))
        _ = try await connection.client(in: context).send(.POST, "/v1/agents/\(agent)/drain", body: body)
        context.write("\(agent): drained (\(reason))")
    }
}

struct UndrainCommand: OperatorCommand {
    static let configuration = CommandConfiguration(commandName: "undrain", abstract: "Let an agent take jobs again.")
    @OptionGroup var connection: OperatorOptions
    @Argument(help: "The agent id.")
    var agent: String

    func run(in context: CommandContext) async throws {
        _ = try await connection.client(in: context).send(.POST, "/v1/agents/\(agent)/undrain")
        context.write("\(agent): ready")
    }
}
