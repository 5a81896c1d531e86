import Catalog
import Foundation
import Results
import Wire
import Yams

/// Reads a sweep file (YAML or JSON), refusing anything it does not understand, every error
/// naming the file, line and column, with the near miss for a misspelt field.
///
/// ```yaml
/// sweep:
///   name: llama-h200-b200
///   repeats: 1
///   schedule: {cron: "0 2 * * *", timeZone: Europe/Berlin}      # optional: nightly at 02:00 Berlin
///   workload: {rangeRatio: 0.8, promptsPerConcurrency: 10, warmupsPerConcurrency: 2, seed: 1}
///   entries:
///     - model: Llama-3.3-70B-Instruct
///       engine: {kind: vllm, args: [--kv-cache-dtype, fp8]}    # or sglang, trtllm, llamacpp, sim, endpoint
///       precision: fp8
///       hardware: {gpu: H200-SXM}                               # the catalog's name; gpuModel, labels
///       scenarios: [{isl: 1024, osl: 1024}, {isl: 8192, osl: 1024}]
///       search:
///         tp: [1, 2, 4, 8]
///         concurrency: {start: 4, end: 256}                     # doubling, or a list
/// ```
public enum SweepFile {
    static let topFields = ["sweep"]
    static let sweepFields = ["name", "repeats", "workload", "entries", "schedule"]
    static let scheduleFields = ["cron", "timeZone"]
    static let workloadFields = [
        "rangeRatio", "rangeConvention", "promptsPerConcurrency", "warmupsPerConcurrency", "seed",
        "requestTimeoutSeconds", "api",
    ]
    static let entryFields = ["model", "engine", "precision", "hardware", "scenarios", "search"]
    static let engineFields = [
        "kind", "argv", "args", "env", "servedModel", "image", "baseURL", "timeScale", "virtual", "streamInterval",
        "slowdown",
        "readinessTimeoutSeconds",
    ]
    static let hardwareFields = ["gpu", "gpuModel", "labels", "exclusive"]
    static let scenarioFields = ["isl", "osl"]
    static let searchFields = ["tp", "ep", "dpAttention", "concurrency"]
    static let doublingFields = ["start", "end"]

    /// Whether a YAML text is a sweep file rather than a job file.
    public static func looksLikeSweep(_ text: String) -> Bool {
        guard let node = try? Yams.compose(yaml: text), case .mapping(let mapping) = node else { return false }
        return mapping["sweep"] != nil
    }

    public static func parse(_ text: String, file: String) throws(YAMLFileError) -> SweepSpec {
        let reader = YAMLFieldReader(file: file)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw YAMLFileError(location: file, message: "the file is empty; expected `sweep:`")
            }
            root = node
        } catch let error as YAMLFileError {
            throw error
        } catch {
            throw YAMLFileError(location: file, message: "not valid YAML or JSON: \(error)")
        }
        guard case .mapping(let top) = root else { throw reader.error(root, "expected a mapping with `sweep:`") }
        try reader.refuseUnknown(top, allowed: topFields, in: "the sweep file")
        guard let sweep = try reader.mapping(top, "sweep", in: "the sweep file", allowed: sweepFields) else {
            throw reader.error(root, "expected `sweep:` with `name` and `entries`")
        }
        let place = "sweep"
        guard let name = try reader.string(sweep, "name", in: place), !name.isEmpty else {
            throw reader.error(top["sweep"]!, "sweep: needs a `name`")
        }
        guard let entriesNode = sweep["entries"], case .sequence(let items) = entriesNode, !items.isEmpty else {
            throw reader.error(sweep["entries"] ?? top["sweep"]!, "sweep.entries: expected a non-empty list")
        }
        var entries: [SweepEntry] = []
        for (index, item) in items.enumerated() {
            entries.append(try entry(item, place: "sweep.entries[\(index)]", reader))
        }
        let spec = SweepSpec(
            name: name, entries: entries,
            workload: try workload(sweep, reader),
            repeats: try reader.int(sweep, "repeats", in: place, range: 1...100) ?? 1,
            schedule: try schedule(sweep, reader))
        // Counted before anything is expanded: YAML aliases let a kilobyte name billions of points.
        let (jobs, points) = SweepExpansion.size(of: spec)
        guard jobs <= maximumJobs, points <= maximumPoints else {
            throw reader.error(
                entriesNode,
                "sweep.entries expand to \(jobs) jobs and \(points) points; a sweep may hold at most "
                    + "\(maximumJobs) jobs and \(maximumPoints) points: split it into several sweeps")
        }
        return spec
    }

    /// The most one sweep (one submission) may expand to.
    public static let maximumJobs = 10_000
    public static let maximumPoints = 100_000

    private static func schedule(_ sweep: Node.Mapping, _ reader: YAMLFieldReader) throws(YAMLFileError)
        -> SweepSchedule?
    {
        let place = "sweep.schedule"
        guard let node = sweep["schedule"] else { return nil }
        // `schedule: "0 2 * * *"` is short for `schedule: {cron: "0 2 * * *"}` in UTC.
        let schedule: SweepSchedule
        if case .scalar(let scalar) = node {
            schedule = SweepSchedule(cron: scalar.string)
        } else {
            guard let fields = try reader.mapping(sweep, "schedule", in: "sweep", allowed: scheduleFields),
                let cron = try reader.string(fields, "cron", in: place)
            else { throw reader.error(node, "\(place): needs `cron`, e.g. {cron: \"0 2 * * *\", timeZone: UTC}") }
            schedule = SweepSchedule(cron: cron, timeZone: try reader.string(fields, "timeZone", in: place) ?? "UTC")
        }
        do {
            let (cron, zone) = try schedule.resolved()
            guard cron.next(after: Date(), in: zone) != nil else {
                throw CronError(expression: schedule.cron, message: "never fires (no such day in any year)")
            }
        } catch {
            throw reader.error(node, "\(place): \(error)")
        }
        return schedule
    }

    private static func workload(_ sweep: Node.Mapping, _ reader: YAMLFieldReader) throws(YAMLFileError)
        -> SweepWorkload
    {
        let place = "sweep.workload"
        guard let fields = try reader.mapping(sweep, "workload", in: "sweep", allowed: workloadFields) else {
            return SweepWorkload()
        }
        var workload = SweepWorkload()
        workload.rangeRatio = try reader.double(fields, "rangeRatio", in: place, range: 0...1) ?? 0.8
        if let name = try reader.string(fields, "rangeConvention", in: place) {
            guard let convention = RandomDataset.RangeConvention(rawValue: name) else {
                throw reader.error(
                    fields["rangeConvention"]!, "\(place).rangeConvention: `\(name)` is not sglang or vllm")
            }
            workload.rangeConvention = convention
        }
        workload.promptsPerConcurrency =
            try reader.int(fields, "promptsPerConcurrency", in: place, range: 1...100_000) ?? 10
        workload.warmupsPerConcurrency =
            try reader.int(fields, "warmupsPerConcurrency", in: place, range: 0...100_000) ?? 2
        workload.seed = UInt64(try reader.int(fields, "seed", in: place, range: 0...Int.max) ?? 1)
        workload.requestTimeoutSeconds = try reader.double(
            fields, "requestTimeoutSeconds", in: place, range: 0.001...86_400)
        if let name = try reader.string(fields, "api", in: place) {
            guard let api = CompletionsAPI(rawValue: name) else {
                throw reader.error(fields["api"]!, "\(place).api: `\(name)` is not completions or chat")
            }
            workload.api = api
        }
        return workload
    }

    private static func entry(_ node: Node, place: String, _ reader: YAMLFieldReader) throws(YAMLFileError)
        -> SweepEntry
    {
        guard case .mapping(let fields) = node else { throw reader.error(node, "\(place): expected a mapping") }
        try reader.refuseUnknown(fields, allowed: entryFields, in: place)
        guard let model = try reader.string(fields, "model", in: place) else {
            throw reader.error(node, "\(place): needs a `model`")
        }
        guard let engineFields = try reader.mapping(fields, "engine", in: place, allowed: engineFields) else {
            throw reader.error(node, "\(place): needs an `engine: {kind: ...}`")
        }
        let engine = try engine(engineFields, node: fields["engine"]!, place: "\(place).engine", reader)
        var precision = Precision.fp8
        if let name = try reader.string(fields, "precision", in: place) {
            guard let parsed = Precision(rawValue: name) else {
                throw reader.error(
                    fields["precision"]!,
                    "\(place).precision: `\(name)` is not one of \(Precision.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            precision = parsed
        }
        let hardware = try hardware(fields, place: place, reader)
        guard let scenariosNode = fields["scenarios"], case .sequence(let scenarioItems) = scenariosNode,
            !scenarioItems.isEmpty
        else {
            throw reader.error(fields["scenarios"] ?? node, "\(place).scenarios: expected a list of {isl, osl}")
        }
        var scenarios: [Scenario] = []
        for (index, item) in scenarioItems.enumerated() {
            let at = "\(place).scenarios[\(index)]"
            guard case .mapping(let pair) = item else { throw reader.error(item, "\(at): expected {isl: N, osl: N}") }
            try reader.refuseUnknown(pair, allowed: scenarioFields, in: at)
            guard let isl = try reader.int(pair, "isl", in: at, range: 1...10_000_000),
                let osl = try reader.int(pair, "osl", in: at, range: 1...10_000_000)
            else { throw reader.error(item, "\(at): needs `isl` and `osl`") }
            scenarios.append(Scenario(isl: isl, osl: osl))
        }
        guard let search = try reader.mapping(fields, "search", in: place, allowed: searchFields) else {
            throw reader.error(node, "\(place): needs `search:` with `concurrency` (and `tp`)")
        }
        return SweepEntry(
            model: model, engine: engine, precision: precision, hardware: hardware, scenarios: scenarios,
            search: try searchSpace(search, node: fields["search"]!, place: "\(place).search", reader))
    }

    private static func engine(_ fields: Node.Mapping, node: Node, place: String, _ reader: YAMLFieldReader)
        throws(YAMLFileError) -> SweepEngine
    {
        guard let kindName = try reader.string(fields, "kind", in: place) else {
            throw reader.error(
                node,
                "\(place): needs `kind`: one of \(SweepEngine.Kind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard let kind = SweepEngine.Kind(rawValue: kindName) else {
            var message =
                "\(place).kind: unknown engine `\(kindName)`; known: \(SweepEngine.Kind.allCases.map(\.rawValue).joined(separator: ", "))"
            if let near = NearMiss.suggest(kindName, among: SweepEngine.Kind.allCases.map(\.rawValue)) {
                message += "; did you mean `\(near)`?"
            }
            throw reader.error(fields["kind"]!, message)
        }
        var engine = SweepEngine(kind: kind)
        engine.argv = try reader.stringList(fields, "argv", in: place)
        engine.args = try reader.stringList(fields, "args", in: place) ?? []
        engine.environment = try reader.stringMap(fields, "env", in: place) ?? [:]
        engine.servedModel = try reader.string(fields, "servedModel", in: place)
        engine.image = try reader.string(fields, "image", in: place)
        engine.baseURL = try reader.string(fields, "baseURL", in: place)
        engine.timeScale = try reader.double(fields, "timeScale", in: place, range: 0.001...1_000_000) ?? 1
        engine.virtual = try reader.bool(fields, "virtual", in: place) ?? false
        engine.streamInterval = try reader.int(fields, "streamInterval", in: place, range: 1...1024) ?? 1
        engine.slowdown = try reader.double(fields, "slowdown", in: place, range: 0.1...10)
        engine.readinessTimeoutSeconds =
            try reader.double(fields, "readinessTimeoutSeconds", in: place, range: 0.1...86_400) ?? 1800
        if kind == .endpoint && engine.baseURL == nil {
            throw reader.error(node, "\(place): an `endpoint` engine needs `baseURL`")
        }
        if kind != .sim
            && (fields["timeScale"] != nil || fields["virtual"] != nil || fields["streamInterval"] != nil
                || fields["slowdown"] != nil)
        {
            throw reader.error(
                node, "\(place): `timeScale`, `virtual`, `streamInterval` and `slowdown` are for the `sim` engine only")
        }
        return engine
    }

    private static func hardware(_ fields: Node.Mapping, place: String, _ reader: YAMLFieldReader)
        throws(YAMLFileError) -> HardwareSelector
    {
        guard let node = fields["hardware"] else {
            throw reader.error(fields["model"]!, "\(place): needs `hardware: {gpu: H200-SXM}`")
        }
        // `hardware: H200-SXM` is short for `hardware: {gpu: H200-SXM}`.
        if case .scalar(let scalar) = node { return HardwareSelector(gpu: scalar.string) }
        guard let selector = try reader.mapping(fields, "hardware", in: place, allowed: hardwareFields),
            let gpu = try reader.string(selector, "gpu", in: "\(place).hardware")
        else { throw reader.error(node, "\(place).hardware: needs `gpu` (the catalog's name, e.g. H200-SXM)") }
        return HardwareSelector(
            gpu: gpu, gpuModel: try reader.string(selector, "gpuModel", in: "\(place).hardware"),
            labels: try reader.stringMap(selector, "labels", in: "\(place).hardware") ?? [:],
            exclusive: try reader.bool(selector, "exclusive", in: "\(place).hardware") ?? false)
    }

    private static func searchSpace(_ fields: Node.Mapping, node: Node, place: String, _ reader: YAMLFieldReader)
        throws(YAMLFileError) -> SearchSpace
    {
        let concurrency: [Int]
        switch fields["concurrency"] {
        case nil:
            throw reader.error(node, "\(place): needs `concurrency`: a list, or {start: 4, end: 256} doubling")
        case .mapping(let range)?:
            try reader.refuseUnknown(range, allowed: doublingFields, in: "\(place).concurrency")
            guard let start = try reader.int(range, "start", in: "\(place).concurrency", range: 1...1_000_000),
                let end = try reader.int(range, "end", in: "\(place).concurrency", range: 1...1_000_000), start <= end
            else {
                throw reader.error(fields["concurrency"]!, "\(place).concurrency: needs `start` ≤ `end`")
            }
            concurrency = SearchSpace.doubling(from: start, to: end)
        default:
            concurrency = try reader.intList(fields, "concurrency", in: place, range: 1...1_000_000) ?? []
        }
        let dpAttention: [Bool]
        if let node = fields["dpAttention"] {
            if case .scalar = node, let value = node.bool {
                dpAttention = [value]
            } else if case .sequence(let items) = node {
                var values: [Bool] = []
                for item in items {
                    guard case .scalar = item, let value = item.bool else {
                        throw reader.error(item, "\(place).dpAttention: expected true or false")
                    }
                    values.append(value)
                }
                dpAttention = values
            } else {
                throw reader.error(node, "\(place).dpAttention: expected true, false or a list of them")
            }
        } else {
            dpAttention = [false]
        }
        return SearchSpace(
            tp: try reader.intList(fields, "tp", in: place, range: 1...1024) ?? [1],
            ep: try reader.intList(fields, "ep", in: place, range: 1...1024) ?? [1], dpAttention: dpAttention,
            concurrency: concurrency)
    }
}
