import ArgumentParser
import Foundation

struct SchedulesCommand: OperatorCommand {
    static let configuration = CommandConfiguration(
        commandName: "schedules",
        abstract: "List the sweeps that run by themselves, with their last and next run.",
        discussion:
            "A sweep file with `schedule: {cron: \"0 2 * * *\", timeZone: Europe/Berlin}` adds one when submitted.")
    @OptionGroup var connection: OperatorOptions
    @OptionGroup var output: FormatOption
    @Option(help: "Remove the schedule of this name (runs already started go on).")
    var remove: String?

    func run(in context: CommandContext) async throws {
        let client = try connection.client(in: context)
        if let remove {
            let name =
                remove.addingPercentEncoding(
                    withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? remove
            _ = try await client.send(.DELETE, "/v1/schedules/\(name)")
            context.write("removed schedule \(remove)")
            return
        }
        try await show(context, client, "/v1/schedules", as: output.format, render: Rendering.schedules)
    }
}
