import ArgumentParser
import Foundation

/// How read commands print: aligned tables for people, JSON for scripts.
enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table
    case json
}

/// Where the coordinator is and who is asking; shared by every operator command.
struct OperatorOptions: ParsableArguments {
    @Option(help: "The coordinator's HTTP API (or set SWEEPLINE_URL).")
    var url: String = ProcessInfo.processInfo.environment["SWEEPLINE_URL"] ?? "http://127.0.0.1:7410"

    @Option(help: "File holding a bearer token (or set SWEEPLINE_TOKEN).")
    var tokenFile: String?

    func client() throws -> APIClient {
        let token: String?
        if let tokenFile {
            token = try Secrets.read(file: tokenFile, purpose: "API token")
        } else {
            token = ProcessInfo.processInfo.environment["SWEEPLINE_TOKEN"]
        }
        return try APIClient(url: url, token: token)
    }
}

/// `--format` for read commands.
struct FormatOption: ParsableArguments {
    @Option(help: "table or json.")
    var format: OutputFormat = .table
}

/// Prints an API body as indented JSON with sorted keys.
func printJSON(_ body: Data) {
    if let object = try? JSONSerialization.jsonObject(with: body),
        let pretty = try? JSONSerialization.data(
            withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    {
        print(String(decoding: pretty, as: UTF8.self))
    } else {
        print(String(decoding: body, as: UTF8.self))
    }
}
