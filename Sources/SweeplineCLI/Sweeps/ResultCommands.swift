import ArgumentParser
import Coordinator
import Foundation
import Results

/// Fetches a sweep's point results, computed by the coordinator from its stored records.
func fetchResults(_ connection: OperatorOptions, _ context: CommandContext, sweep: String) async throws -> [PointResult]
{
    try await connection.client(in: context).get("/v1/sweeps/\(sweep)/results")
}

struct SweepsCommand: OperatorCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweeps", abstract: "List sweep runs and their progress.")
    @OptionGroup var connection: OperatorOptions
    @OptionGroup var output: FormatOption

    func run(in context: CommandContext) async throws {
        let client = try connection.client(in: context)
        if output.format == .json {
            context.writeJSON(try await client.send(.GET, "/v1/sweeps"))
            return
        }
        let sweeps: [SweepSummary] = try await client.get("/v1/sweeps")
        context.write(
            Rendering.table(
                ["SWEEP", "NAME", "JOBS", "POINTS", "STATE", "VS BASELINE"],
                sweeps.map { sweep in
                    [
                        sweep.sweepID, sweep.name, String(sweep.jobs), "\(sweep.pointsDone)/\(sweep.points)",
                        sweep.jobStates.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(
                            separator: ", "),
                        sweep.baseline.map(Rendering.baselineVerdict) ?? "-",
                    ]
                }))
    }
}

struct ResultsCommand: OperatorCommand {
    static let configuration = CommandConfiguration(
        commandName: "results", abstract: "A sweep's point results: figures, cost, power, validity.")
    @OptionGroup var connection: OperatorOptions
    @Argument(help: "The sweep id (see `sweepline sweeps`).")
    var sweep: String
    @Option(help: "table, json or csv.")
    var format: ResultFormat = .table
    @Option(help: "Price tier for $/M tokens: hyperscaler_own, neocloud_own or rental_3yr.")
    var tier = "neocloud_own"

    enum ResultFormat: String, ExpressibleByArgument {
        case table, json, csv
    }

    func run(in context: CommandContext) async throws {
        let results = try await fetchResults(connection, context, sweep: sweep)
        switch format {
        case .json:
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            context.write(String(decoding: try encoder.encode(results), as: UTF8.self))
        case .csv: context.write(ResultRendering.csv(results, tier: tier))
        case .table: context.write(ResultRendering.table(results, tier: tier))
        }
    }
}

struct ParetoCommand: OperatorCommand {
    static let configuration = CommandConfiguration(
        commandName: "pareto",
        abstract: "The Pareto frontiers of a sweep (tok/s/GPU against tok/s/user), per hardware × engine × precision.")
    @OptionGroup var connection: OperatorOptions
    @Argument(help: "The sweep id.")
    var sweep: String
    @Option(help: "Price tier for $/M tokens.")
    var tier = "neocloud_own"

    func run(in context: CommandContext) async throws {
        context.write(ResultRendering.pareto(try await fetchResults(connection, context, sweep: sweep), tier: tier))
    }
}

struct ReportCommand: OperatorCommand {
    static let configuration = CommandConfiguration(
        commandName: "report", abstract: "Write a sweep's results as one self-contained HTML file with charts.")
    @OptionGroup var connection: OperatorOptions
    @Argument(help: "The sweep id.")
    var sweep: String
    @Option(name: [.short, .customLong("output")], help: "Where to write it.")
    var output = "report.html"
    @Option(help: "Price tier for $/M tokens.")
    var tier = "neocloud_own"

    func run(in context: CommandContext) async throws {
        let results = try await fetchResults(connection, context, sweep: sweep)
        let client = try connection.client(in: context)
        let baseline: BaselineComparison = try await client.get("/v1/sweeps/\(sweep)/baseline")
        let histories: [PointHistory] = try await client.get("/v1/sweeps/\(sweep)/history")
        try ResultRendering.writeReport(
            results, sweepName: results.first?.sweepName ?? sweep, tier: tier, baseline: baseline,
            histories: histories, to: output)
        context.write("wrote \(output): \(results.count) points")
    }
}

struct CompareCommand: OperatorCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract:
            "Compare two sweep runs point by point: each change tested, regressions at a stated false-discovery rate.",
        discussion: """
            Per point, tok/s/GPU, tok/s/user (median TPOT) and median TTFT are tested on each run's requests, \
            repeats pooled; a regression is a change at least the metric's effect in the wrong direction that \
            holds at the false-discovery rate over all tests (Benjamini–Hochberg). Points whose requests could \
            not detect a change as large as the effect are "insufficient data". With one sweep id, compares it \
            with its baseline: for each point, the last earlier run of the same sweep in which it was valid \
            (what nightly runs are judged against). Exits 3 when a point regressed.
            """)
    @OptionGroup var connection: OperatorOptions
    @Argument(help: "The baseline sweep id, or with no second id the sweep to compare with its own baseline.")
    var baseline: String
    @Argument(help: "The sweep id to compare with the baseline.")
    var candidate: String?
    @Option(
        help: ArgumentHelp(
            "The smallest change that matters, in per cent: `3` for every metric, or per metric `ttft=10`, `tok/s/gpu=2`, `tok/s/user=2`; repeat for more.",
            discussion: "Defaults: tok/s/GPU 3, tok/s/user 3, TTFT 5."))
    var effect: [String] = []
    @Option(help: "False-discovery rate over all the comparison's tests, in per cent.")
    var fdr = 5.0
    @OptionGroup var output: FormatOption

    func run(in context: CommandContext) async throws {
        let settings: ComparisonSettings
        do {
            settings = try ComparisonSettings.parsing(effects: effect, falseDiscoveryRatePercent: fdr)
        } catch let error as ComparisonSettings.InvalidSetting {
            throw ValidationError(error.description)
        }
        guard let candidate else {
            let comparison: BaselineComparison = try await connection.client(in: context).get(
                "/v1/sweeps/\(baseline)/baseline" + Self.query(settings))
            try write(comparison, context) { ResultRendering.baseline($0) }
            if !comparison.regressions.isEmpty { throw ExitCode(3) }
            return
        }
        let comparison = SweepComparison(
            baseline: try await fetchResults(connection, context, sweep: baseline),
            candidate: try await fetchResults(connection, context, sweep: candidate), settings: settings)
        try write(comparison, context) { ResultRendering.comparison($0) }
        if !comparison.regressions.isEmpty { throw ExitCode(3) }
    }

    func write<T: Encodable>(_ value: T, _ context: CommandContext, table: (T) -> String) throws {
        switch output.format {
        case .table: context.write(table(value))
        case .json: context.writeJSON(try JSONEncoder().encode(value))
        }
    }

    static func query(_ settings: ComparisonSettings) -> String {
        var components = URLComponents()
        components.queryItems = settings.queryItems.map { URLQueryItem(name: $0.0, value: $0.1) }
        return "?" + (components.percentEncodedQuery ?? "")
    }
}
