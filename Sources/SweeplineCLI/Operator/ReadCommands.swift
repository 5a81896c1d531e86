import ArgumentParser
import Foundation
import Shared

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Show jobs by state, agents and GPUs.")
    @OptionGroup var connection: OperatorOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let client = try connection.client()
        let body = try await client.send(.GET, "/v1/status")
        switch output.format {
        case .json: printJSON(body)
        case .table: print(Rendering.status(try APIClient.decoder.decode(StatusResponse.self, from: body)))
        }
    }
}

struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "jobs", abstract: "List jobs.")
    @OptionGroup var connection: OperatorOptions
    @OptionGroup var output: FormatOption
    @Option(help: "Only jobs in this state: \(JobState.allCases.map(\.rawValue).joined(separator: ", ")).")
    var state: String?

    func run() async throws {
        if let state, JobState(rawValue: state) == nil {
            throw ValidationError("unknown state `\(state)`; known: \(JobState.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let body = try await connection.client().send(.GET, "/v1/jobs" + (state.map { "?state=\($0)" } ?? ""))
        switch output.format {
        case .json: printJSON(body)
        case .table: print(Rendering.jobs(try APIClient.decoder.decode([JobSummary].self, from: body)))
        }
    }
}

struct JobCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "job", abstract: "Show one job: attempts, agent, state history, log tail, record count.")
    @OptionGroup var connection: OperatorOptions
    @OptionGroup var output: FormatOption
    @Argument(help: "The job id, e.g. j-000001.")
    var id: String
    @Option(help: "Log lines to show.")
    var log = 20

    func run() async throws {
        let body = try await connection.client().send(.GET, "/v1/jobs/\(id)?log=\(log)")
        switch output.format {
        case .json: printJSON(body)
        case .table: print(Rendering.job(try APIClient.decoder.decode(JobDetail.self, from: body)))
        }
    }
}

struct AgentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "agents", abstract: "List agents with their GPUs and jobs.")
    @OptionGroup var connection: OperatorOptions
    @OptionGroup var output: FormatOption

    func run() async throws {
        let body = try await connection.client().send(.GET, "/v1/agents")
        switch output.format {
        case .json: printJSON(body)
        case .table: print(Rendering.agents(try APIClient.decoder.decode([AgentStatus].self, from: body)))
        }
    }
}
