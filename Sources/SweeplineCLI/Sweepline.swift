import ArgumentParser

/// `sweepline`: the coordinator, the agent and the operator commands in one executable.
public struct Sweepline: AsyncParsableCommand {
    public static let version = "0.1.0"

    public static let configuration = CommandConfiguration(
        commandName: "sweepline",
        abstract: "Benchmark LLM inference serving across a fleet of GPU nodes.",
        version: version,
        subcommands: [
            DemoCommand.self,
            CoordinatorCommand.self,
            AgentCommand.self,
            SubmitCommand.self,
            ValidateCommand.self,
            PlanCommand.self,
            SweepsCommand.self,
            SchedulesCommand.self,
            ResultsCommand.self,
            ParetoCommand.self,
            ReportCommand.self,
            CompareCommand.self,
            StatusCommand.self,
            JobsCommand.self,
            JobCommand.self,
            AgentsCommand.self,
            CancelCommand.self,
            DrainCommand.self,
            UndrainCommand.self,
            WatchCommand.self,
            ExampleWorkloadCommand.self,
            BenchCommand.self,
            SimEngineCommand.self,
            SimCalibrateCommand.self,
        ]
    )

    public init() {}
}
