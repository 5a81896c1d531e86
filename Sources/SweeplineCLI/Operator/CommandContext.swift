import ArgumentParser
import Foundation

/// What an operator command reads and writes: the environment its defaults come from
/// (`SWEEPLINE_URL`, `SWEEPLINE_TOKEN`) and where its output goes.
///
/// `run()` uses the process's own; a test passes its own context to run a command in process and
/// read what it printed:
///
/// ```swift
/// let command = try StatusCommand.parse(["--url", url, "--format", "json"])
/// try await command.run(in: CommandContext(environment: ["SWEEPLINE_TOKEN": token], write: { lines.append($0) }))
/// ```
public struct CommandContext: Sendable {
    public var environment: [String: String]
    /// Receives each block of output, as `print` would write it (without the final newline).
    public var write: @Sendable (String) -> Void

    public init(environment: [String: String], write: @escaping @Sendable (String) -> Void) {
        self.environment = environment
        self.write = write
    }

    /// The process's environment and standard output.
    public static var standard: CommandContext {
        CommandContext(environment: ProcessInfo.processInfo.environment, write: { print($0) })
    }

    /// An API body as indented JSON with sorted keys (as it came when it is not JSON).
    func writeJSON(_ body: Data) {
        if let object = try? JSONSerialization.jsonObject(with: body),
            let pretty = try? JSONSerialization.data(
                withJSONObject: object, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        {
            write(String(decoding: pretty, as: UTF8.self))
        } else {
            write(String(decoding: body, as: UTF8.self))
        }
    }
}

/// A command whose logic takes its ``CommandContext``; `run()` gives it the process's.
protocol OperatorCommand: AsyncParsableCommand {
    func run(in context: CommandContext) async throws
}

extension OperatorCommand {
    func run() async throws { try await run(in: .standard) }
}
