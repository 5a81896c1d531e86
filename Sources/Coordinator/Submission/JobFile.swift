import Foundation
import Shared
import Yams

/// A job file that cannot be read, with where and why.
public struct JobFileError: Error, Hashable, CustomStringConvertible {
    /// `file:line:column`, or the file alone when the position is unknown.
    public var location: String
    public var message: String

    public var description: String { "\(location): \(message)" }
}

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
        "name", "kind", "gpus", "exclusive", "gpuModel", "labels", "priority", "retries", "command", "count",
    ]
    static let commandFields = ["argv", "env", "cancelGraceSeconds", "timeoutSeconds"]
    static let retryFields = ["workloadFailures", "agentLosses", "drains"]
    /// More would be a typo, and would flood the queue.
    static let maximumCount = 10_000

    public static func parse(_ text: String, file: String) throws(JobFileError) -> [JobSpec] {
        let reader = Reader(file: file)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw JobFileError(location: file, message: "the file is empty; expected a list of jobs")
            }
            root = node
        } catch let error as JobFileError {
            throw error
        } catch {
            throw JobFileError(location: file, message: "not valid YAML or JSON: \(error)")
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

    private static func job(_ node: Node, index: Int, _ reader: Reader) throws(JobFileError) -> (JobSpec, Int) {
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
        switch spec.kind {
        case .command:
            guard let command = fields["command"] else {
                throw reader.error(node, "\(place): a `command` job needs `command: {argv: [...]}`")
            }
            spec.command = try commandWorkload(command, place: "\(place).command", reader)
        }
        return (spec, count)
    }

    private static func commandWorkload(_ node: Node, place: String, _ reader: Reader) throws(JobFileError)
        -> CommandWorkload
    {
        guard case .mapping(let fields) = node else {
            throw reader.error(node, "\(place): expected a mapping with `argv`")
        }
        try reader.refuseUnknown(fields, allowed: commandFields, in: place)
        guard let argvNode = fields["argv"], case .sequence(let items) = argvNode, !items.isEmpty else {
            throw reader.error(
                fields["argv"] ?? node,
                "\(place).argv: expected a non-empty list of strings (the program, then its arguments; no shell)")
        }
        var argv: [String] = []
        for item in items {
            guard case .scalar(let scalar) = item else {
                throw reader.error(item, "\(place).argv: every element must be a string")
            }
            argv.append(scalar.string)
        }
        var workload = CommandWorkload(argv: argv)
        workload.environment = try reader.stringMap(fields, "env", in: place) ?? [:]
        workload.cancelGraceSeconds = try reader.double(fields, "cancelGraceSeconds", in: place, range: 0...3600) ?? 10
        workload.timeoutSeconds = try reader.double(fields, "timeoutSeconds", in: place, range: 0.001...31_536_000)
        return workload
    }

    /// Typed access to mapping fields, with errors that say where.
    struct Reader {
        let file: String

        func error(_ node: Node, _ message: String) -> JobFileError {
            if let mark = node.mark {
                return JobFileError(location: "\(file):\(mark.line):\(mark.column)", message: message)
            }
            return JobFileError(location: file, message: message)
        }

        func refuseUnknown(_ mapping: Node.Mapping, allowed: [String], in place: String) throws(JobFileError) {
            for (key, _) in mapping {
                let name = key.string ?? "?"
                guard !allowed.contains(name) else { continue }
                var message = "\(place): unknown field `\(name)`"
                if let suggestion = NearMiss.suggest(name, among: allowed) {
                    message += "; did you mean `\(suggestion)`?"
                }
                throw error(key, message)
            }
        }

        private func scalar(_ mapping: Node.Mapping, _ key: String, in place: String, expected: String)
            throws(JobFileError) -> Node?
        {
            guard let node = mapping[key] else { return nil }
            guard case .scalar = node else { throw error(node, "\(place).\(key): expected \(expected)") }
            return node
        }

        func string(_ mapping: Node.Mapping, _ key: String, in place: String) throws(JobFileError) -> String? {
            try scalar(mapping, key, in: place, expected: "a string")?.string
        }

        func int(_ mapping: Node.Mapping, _ key: String, in place: String, range: ClosedRange<Int>) throws(JobFileError)
            -> Int?
        {
            guard let node = try scalar(mapping, key, in: place, expected: "an integer") else { return nil }
            guard let value = node.int else {
                throw error(node, "\(place).\(key): expected an integer, got `\(node.string ?? "")`")
            }
            guard range.contains(value) else {
                throw error(node, "\(place).\(key): \(value) is out of range \(range.lowerBound)…\(range.upperBound)")
            }
            return value
        }

        func double(_ mapping: Node.Mapping, _ key: String, in place: String, range: ClosedRange<Double>)
            throws(JobFileError) -> Double?
        {
            guard let node = try scalar(mapping, key, in: place, expected: "a number") else { return nil }
            guard let value = node.float ?? node.int.map(Double.init) else {
                throw error(node, "\(place).\(key): expected a number, got `\(node.string ?? "")`")
            }
            guard range.contains(value) else {
                throw error(node, "\(place).\(key): \(value) is out of range \(range.lowerBound)…\(range.upperBound)")
            }
            return value
        }

        func bool(_ mapping: Node.Mapping, _ key: String, in place: String) throws(JobFileError) -> Bool? {
            guard let node = try scalar(mapping, key, in: place, expected: "true or false") else { return nil }
            guard let value = node.bool else {
                throw error(node, "\(place).\(key): expected true or false, got `\(node.string ?? "")`")
            }
            return value
        }

        func stringMap(_ mapping: Node.Mapping, _ key: String, in place: String) throws(JobFileError) -> [String:
            String]?
        {
            guard let node = mapping[key] else { return nil }
            guard case .mapping(let entries) = node else {
                throw error(node, "\(place).\(key): expected a mapping of names to strings")
            }
            var result: [String: String] = [:]
            for (name, value) in entries {
                guard case .scalar(let scalar) = value else {
                    throw error(value, "\(place).\(key): values must be strings")
                }
                result[name.string ?? ""] = scalar.string
            }
            return result
        }
    }
}
