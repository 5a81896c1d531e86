import ArgumentParser
import Foundation

/// How read commands print: aligned tables for people, JSON for scripts.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
}

/// Where the coordinator is and who is asking; shared by every operator command.
struct OperatorOptions: ParsableArguments {
    @Option(help: "The coordinator's HTTP API (or set SWEEPLINE_URL; default http://127.0.0.1:7410).")
    var url: String?

    @Option(help: "File holding a bearer token (or set SWEEPLINE_TOKEN).")
    var tokenFile: String?

    func client(in context: CommandContext) throws -> APIClient {
        let token: String?
        if let tokenFile {
            token = try Secrets.read(file: tokenFile, purpose: "API token")
        } else {
            token = context.environment["SWEEPLINE_TOKEN"]
        }
        return try APIClient(
            url: url ?? context.environment["SWEEPLINE_URL"] ?? "http://127.0.0.1:7410", token: token)
    }
}

/// `--format` for read commands.
struct FormatOption: ParsableArguments {
    @Option(help: "table or json.")
    var format: OutputFormat = .table
}
