import ArgumentParser

/// `sweepline`: the coordinator, the agent and the operator commands in one executable.
public struct Sweepline: AsyncParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "sweepline",
        abstract: "Benchmark LLM inference serving across a fleet of GPU nodes.",
        version: version,
        // Grouped by what people do; every command is still `sweepline NAME`, as before.
        subcommands: [DemoCommand.self],
        groupedSubcommands: [
            CommandGroup(
                name: "Sweeps and results",
                subcommands: [
                    SubmitCommand.self, ValidateCommand.self, PlanCommand.self, SweepsCommand.self,
                    SchedulesCommand.self, ResultsCommand.self, ParetoCommand.self, ReportCommand.self,
                    CompareCommand.self, HistoryCommand.self,
                ]),
            CommandGroup(
                name: "Fleet",
                subcommands: [
                    StatusCommand.self, WatchCommand.self, JobsCommand.self, JobCommand.self, AgentsCommand.self,
                    CancelCommand.self, DrainCommand.self, UndrainCommand.self,
                ]),
            CommandGroup(
                name: "One endpoint and the simulator",
                subcommands: [BenchCommand.self, SimEngineCommand.self, SimCalibrateCommand.self]),
            CommandGroup(
                name: "Daemons",
                subcommands: [CoordinatorCommand.self, AgentCommand.self, ExampleWorkloadCommand.self]),
        ]
    )

    public init() {}
}
