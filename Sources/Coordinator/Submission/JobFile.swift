import Catalog
import Foundation
import Wire
import Yams

/// Reads a YAML or JSON file of jobs (JSON is YAML), refusing anything it does not understand.
///
/// ```yaml
/// jobs:
///   - name: smoke
///     gpus: 1
///     gpuModel: H200          # optional: the agent's GPU model must contain this
///     labels: {rack: r12}     # optional: the agent must carry these labels
///     priority: 10            # optional: higher runs first
///     count: 4                # optional: this many copies, named smoke-1 … smoke-4
///     command:
///       argv: [python3, -c, "print('hello')"]
///       env: {FOO: bar}
/// ```
///
/// A top-level list of jobs is accepted too. Every error names the file, line and column, and a
/// misspelt field gets a suggestion.
public enum JobFile {
    static let jobFields = [
        "name", "kind", "gpus", "exclusive", "gpuModel", "labels", "priority", "retries", "command", "benchmark",
        "count",
    ]
    static let commandFields = ["argv", "env", "cancelGraceSeconds", "timeoutSeconds"]
    static let retryFields = ["workloadFailures", "agentLosses", "drains"]
    /// The most jobs one file may hold, copies included: more would be a typo, and would flood
    /// the queue.
    static let maximumCount = 10_000

    public static func parse(_ text: String, file: String) throws(YAMLFileError) -> [JobSpec] {
        let reader = YAMLFieldReader(file: file)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw YAMLFileError(location: file, message: "the file is empty; expected a list of jobs")
            }
            root = node
        } catch let error as YAMLFileError {
            throw error
        } catch {
            throw YAMLFileError(location: file, message: "not valid YAML or JSON: \(error)")
        }
        let list: Node
        switch root {
        case .sequence:
            list = root
        case .mapping(let mapping):
            try reader.refuseUnknown(mapping, allowed: ["jobs"], in: "the job file")
            guard let jobs = mapping["jobs"] else { throw reader.error(root, "expected a `jobs:` list") }
            list = jobs
        default:
            throw reader.error(root, "expected a list of jobs, or a mapping with a `jobs:` list")
        }
        guard case .sequence(let items) = list, !items.isEmpty else {
            throw reader.error(list, "expected a non-empty list of jobs")
        }
        var specs: [JobSpec] = []
        for (index, item) in items.enumerated() {
            let (spec, count) = try job(item, index: index, reader)
            // Checked before the copies are made: aliases let a few bytes name many jobs.
            guard specs.count + count <= maximumCount else {
                throw reader.error(
                    item,
                    "the file holds more than \(maximumCount) jobs (with `count` and any YAML aliases); "
                        + "a submission may hold at most \(maximumCount): split it")
            }
            if count == 1 {
                specs.append(spec)
            } else {
                for copy in 1...count {
                    var named = spec
                    named.name = "\(spec.name)-\(copy)"
                    specs.append(named)
                }
            }
        }
        return specs
    }

    private static func job(_ node: Node, index: Int, _ reader: YAMLFieldReader) throws(YAMLFileError) -> (JobSpec, Int)
    {
        let place = "jobs[\(index)]"
        guard case .mapping(let fields) = node else {
            throw reader.error(node, "\(place): expected a mapping of job fields")
        }
        try reader.refuseUnknown(fields, allowed: jobFields, in: place)
        var spec = JobSpec(name: try reader.string(fields, "name", in: place) ?? "job-\(index + 1)")
        if let kind = try reader.string(fields, "kind", in: place) {
            guard let parsed = JobKind(rawValue: kind) else {
                throw reader.error(
                    fields["kind"]!,
                    "\(place).kind: unknown job kind `\(kind)`; known: \(JobKind.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            spec.kind = parsed
        }
        spec.gpus = try reader.int(fields, "gpus", in: place, range: 0...1024) ?? 0
        spec.exclusive = try reader.bool(fields, "exclusive", in: place) ?? false
        spec.gpuModel = try reader.string(fields, "gpuModel", in: place)
        spec.labels = try reader.stringMap(fields, "labels", in: place) ?? [:]
        spec.priority = try reader.int(fields, "priority", in: place, range: -1_000_000...1_000_000) ?? 0
        if let retries = fields["retries"] {
            guard case .mapping(let budget) = retries else {
                throw reader.error(retries, "\(place).retries: expected a mapping")
            }
            try reader.refuseUnknown(budget, allowed: retryFields, in: "\(place).retries")
            let at = "\(place).retries"
            spec.retries = RetryBudgets(
                workloadFailures: try reader.int(budget, "workloadFailures", in: at, range: 0...100) ?? 2,
                agentLosses: try reader.int(budget, "agentLosses", in: at, range: 0...100) ?? 3,
                drains: try reader.int(budget, "drains", in: at, range: 0...10_000) ?? 100)
        }
        let count = try reader.int(fields, "count", in: place, range: 1...maximumCount) ?? 1
        // The other kind's section would be ignored: refuse it rather than let it mislead.
        for (section, kind) in [("command", JobKind.command), ("benchmark", .benchmark)]
        where kind != spec.kind && fields[section] != nil {
            throw reader.error(
                fields[section]!,
                "\(place): `\(section)` is for `kind: \(kind.rawValue)` jobs; this one is `\(spec.kind.rawValue)`")
        }
        switch spec.kind {
        case .command:
            guard let command = fields["command"] else {
                throw reader.error(node, "\(place): a `command` job needs `command: {argv: [...]}`")
            }
            spec.command = try commandWorkload(command, place: "\(place).command", reader)
        case .benchmark:
            guard let benchmark = fields["benchmark"] else {
                throw reader.error(
                    node, "\(place): a `benchmark` job needs `benchmark: {engine: ..., concurrency: [...]}`")
            }
            spec.benchmark = try benchmarkWorkload(benchmark, place: "\(place).benchmark", reader)
        }
        return (spec, count)
    }

    private static func commandWorkload(_ node: Node, place: String, _ reader: YAMLFieldReader) throws(YAMLFileError)
        -> CommandWorkload
    {
        guard case .mapping(let fields) = node else {
            throw reader.error(node, "\(place): expected a mapping with `argv`")
        }
        try reader.refuseUnknown(fields, allowed: commandFields, in: place)
        guard let argv = try reader.stringList(fields, "argv", in: place) else {
            throw reader.error(
                node, "\(place).argv: expected a non-empty list of strings (the program, then its arguments; no shell)")
        }
        var workload = CommandWorkload(argv: argv)
        workload.environment = try reader.stringMap(fields, "env", in: place) ?? [:]
        workload.cancelGraceSeconds = try reader.double(fields, "cancelGraceSeconds", in: place, range: 0...3600) ?? 10
        workload.timeoutSeconds = try reader.double(fields, "timeoutSeconds", in: place, range: 0.001...31_536_000)
        return workload
    }
}
