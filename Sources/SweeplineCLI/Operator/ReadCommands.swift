import ArgumentParser
import Foundation
import Wire

struct StatusCommand: OperatorCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show jobs by state, agents and GPUs.")
    @OptionGroup var connection: OperatorOptions
    @OptionGroup var output: FormatOption

    func run(in context: CommandContext) async throws {
        try await show(
            context, try connection.client(in: context), "/v1/status", as: output.format, render: Rendering.status)
    }
}

struct JobsCommand: OperatorCommand {
    static let configuration = CommandConfiguration(commandName: "jobs", abstract: "List jobs.")
    @OptionGroup var connection: OperatorOptions
    @OptionGroup var output: FormatOption
    @Option(help: "Only jobs in this state: \(JobState.allCases.map(\.rawValue).joined(separator: ", ")).")
    var state: String?

    func run(in context: CommandContext) async throws {
        if let state, JobState(rawValue: state) == nil {
            throw ValidationError(
                "unknown state `\(state)`; known: \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let path = "/v1/jobs" + (state.map { "?state=\($0)" } ?? "")
        try await show(context, try connection.client(in: context), path, as: output.format, render: Rendering.jobs)
    }
}

struct JobCommand: OperatorCommand {
    static let configuration = CommandConfiguration(
        commandName: "job", abstract: "Show one job: attempts, agent, state history, log tail, record count.")
    @OptionGroup var connection: OperatorOptions
    @OptionGroup var output: FormatOption
    @Argument(help: "The job id, e.g. j-000001.")
    var id: String
    @Option(help: "Log lines to show.")
    var log = 20

    func run(in context: CommandContext) async throws {
        try await show(
            context, try connection.client(in: context), "/v1/jobs/\(id)?log=\(log)", as: output.format,
            render: Rendering.job)
    }
}

/// `sweepline agents`: the list by default; enrolment, rotation and revocation beside it.
struct AgentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "agents", abstract: "List agents; enroll, rotate or revoke their credentials.",
        subcommands: [
            AgentsListCommand.self, EnrollCommand.self, RotateCommand.self, RevokeCommand.self,
            EnrolledCommand.self,
        ],
        defaultSubcommand: AgentsListCommand.self)
}

struct AgentsListCommand: OperatorCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List agents with their GPUs and jobs.")
    @OptionGroup var connection: OperatorOptions
    @OptionGroup var output: FormatOption

    func run(in context: CommandContext) async throws {
        try await show(
            context, try connection.client(in: context), "/v1/agents", as: output.format, render: Rendering.agents)
    }
}

/// Fetches `path` and prints it: the API's JSON as it is, or the rendering for people.
func show<Body: Decodable>(
    _ context: CommandContext, _ client: APIClient, _ path: String, as format: OutputFormat,
    render: (Body) -> String
) async throws {
    let body = try await client.send(.GET, path)
    switch format {
    case .json: context.writeJSON(body)
    case .table: context.write(render(try APIClient.decoder.decode(Body.self, from: body)))
    }
}
