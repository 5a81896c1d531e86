import Catalog
import Foundation
import Results
import Wire

/// Sweep runs' point results and their comparison with baselines, computed from the stored
/// records. A job that has ended never changes again, so its results are computed once and
/// kept; a running job's are computed on every read.
public actor SweepResults {
    private let store: any SweeplineStore
    private let catalog: Catalog
    private var finished: [JobAttempt: [PointResult]] = [:]
    /// Open change points, for the finished runs they were computed from.
    private var openChanges: (runs: [String], points: [OpenChangePoint])?
    /// About a year of a nightly 24-job sweep; some 100 MB of point results at most.
    static let cachedJobsLimit = 10_000

    public init(store: any SweeplineStore, catalog: Catalog) {
        self.store = store
        self.catalog = catalog
    }

    /// The results of sweep `id`, or nil when no job belongs to it.
    public func results(ofSweep id: String, in snapshot: FleetSnapshot) async throws -> [PointResult]? {
        let jobs = snapshot.jobs.filter { $0.spec.sweep?.sweepID == id }.sorted { $0.submitSeq < $1.submitSeq }
        guard !jobs.isEmpty else { return nil }
        let agents = Dictionary(snapshot.agents.map { ($0.record.id, $0.record) }) { first, _ in first }
        var results: [PointResult] = []
        for job in jobs {
            let attempt = JobAttempt(jobID: job.id, attempt: job.attempt)
            if let cached = finished[attempt] {
                results += cached
                continue
            }
            let records = PointAggregation.decode(try await store.records(of: job.id, attempt: job.attempt))
            let computed = PointAggregation.results(
                job: job, records: records, agent: job.agentID.flatMap { agents[$0] },
                hardware: job.spec.sweep.flatMap { try? catalog.hardware($0.deployment.hardware) })
            if job.state.isTerminal {
                // A cache, bounded: recomputing from the store gives the same answer.
                if finished.count >= Self.cachedJobsLimit { finished.removeAll(keepingCapacity: true) }
                finished[attempt] = computed
            }
            results += computed
        }
        return results
    }

    /// Sweep `id` against the earlier runs of the same sweep, or nil when there is no such sweep.
    public func baseline(
        ofSweep id: String, in snapshot: FleetSnapshot, settings: ComparisonSettings = .init()
    ) async throws -> BaselineComparison? {
        let runs = Self.summaries(in: snapshot)
        guard let run = runs.first(where: { $0.sweepID == id }),
            let candidate = try await results(ofSweep: id, in: snapshot)
        else { return nil }
        var earlier: [BaselineComparison.Run] = []
        for other in Self.earlier(than: run, among: runs) {
            earlier.append(
                .init(sweepID: other.sweepID, results: try await results(ofSweep: other.sweepID, in: snapshot) ?? []))
        }
        return BaselineComparison(
            sweepID: id, sweepName: run.name, candidate: candidate, earlier: earlier.reversed(), settings: settings)
    }

    /// Every sweep run, oldest first; each finished one with earlier runs of the same sweep
    /// says how it fared against them.
    public func sweeps(in snapshot: FleetSnapshot) async throws -> [SweepSummary] {
        var runs = Self.summaries(in: snapshot)
        for index in runs.indices where runs[index].isFinished && !Self.earlier(than: runs[index], among: runs).isEmpty
        {
            runs[index].baseline = try await baseline(ofSweep: runs[index].sweepID, in: snapshot).map(
                SweepRegressionNote.init)
        }
        return runs
    }

    /// For each sweep name, its latest finished run if it regressed against its baseline.
    public func regressed(in snapshot: FleetSnapshot) async throws -> [SweepRegressionNote] {
        let runs = Self.summaries(in: snapshot)
        let latest = Dictionary(grouping: runs.filter(\.isFinished), by: \.name).compactMap { $0.value.last }
        var notes: [SweepRegressionNote] = []
        for run in latest.sorted(by: { $0.submittedAt < $1.submittedAt })
        where !Self.earlier(than: run, among: runs).isEmpty {
            guard let comparison = try await baseline(ofSweep: run.sweepID, in: snapshot),
                !comparison.regressions.isEmpty
            else { continue }
            notes.append(SweepRegressionNote(comparison))
        }
        return notes
    }

    // MARK: History

    /// Runs a history reaches back, unless asked for more: two months of nightly runs.
    public static let historyRuns = 60
    public static let historyRunsLimit = 1000

    /// The finished runs of sweep `name`, oldest first: the last `limit`, up to and
    /// including `through` when given.
    func sources(
        name: String, through: String? = nil, limit: Int, in snapshot: FleetSnapshot
    ) async throws -> [PointHistory.Source] {
        var runs = Self.summaries(in: snapshot).filter { $0.name == name && $0.isFinished }
        if let through, let end = runs.firstIndex(where: { $0.sweepID == through }) {
            runs = Array(runs[...end])
        }
        var sources: [PointHistory.Source] = []
        for run in runs.suffix(max(1, min(limit, Self.historyRunsLimit))) {
            sources.append(
                PointHistory.Source(
                    sweepID: run.sweepID, submittedAt: run.submittedAt.formatted(.iso8601),
                    results: try await results(ofSweep: run.sweepID, in: snapshot) ?? []))
        }
        return sources
    }

    /// Point `key` over the finished runs of sweep `name`, or of the latest sweep that measured
    /// it; nil when no finished run did.
    public func history(
        ofPoint key: String, sweepName name: String?, runs limit: Int = historyRuns, in snapshot: FleetSnapshot
    ) async throws -> PointHistory? {
        var sweepName = name
        if sweepName == nil {
            for run in Self.summaries(in: snapshot).reversed() where run.isFinished {
                if try await results(ofSweep: run.sweepID, in: snapshot)?.contains(where: { $0.pointKey == key })
                    == true
                {
                    sweepName = run.name
                    break
                }
            }
        }
        guard let sweepName else { return nil }
        let sources = try await sources(name: sweepName, limit: limit, in: snapshot)
        let history = PointHistory(pointKey: key, sweepName: sweepName, sources: sources)
        return history.runs.isEmpty ? nil : history
    }

    /// Every point of sweep run `id`, over the runs of its sweep up to it: the report's trends.
    public func histories(
        ofSweep id: String, runs limit: Int = historyRuns, in snapshot: FleetSnapshot
    ) async throws -> [PointHistory]? {
        guard let run = Self.summaries(in: snapshot).first(where: { $0.sweepID == id }),
            let own = try await results(ofSweep: id, in: snapshot)
        else { return nil }
        var sources = try await sources(name: run.name, through: id, limit: limit, in: snapshot)
        if !run.isFinished {
            sources.append(.init(sweepID: id, submittedAt: run.submittedAt.formatted(.iso8601), results: own))
        }
        return Set(own.map(\.pointKey)).sorted().map {
            PointHistory(pointKey: $0, sweepName: run.name, sources: sources)
        }
    }

    /// Change points that left a point worse and still stand, over the latest runs of every
    /// sweep; computed again only when another run has finished.
    public func openChangePoints(in snapshot: FleetSnapshot) async throws -> [OpenChangePoint] {
        let runs = Self.summaries(in: snapshot).filter(\.isFinished)
        let ids = runs.map(\.sweepID)
        if let openChanges, openChanges.runs == ids { return openChanges.points }
        var open: [OpenChangePoint] = []
        for name in Set(runs.map(\.name)).sorted() {
            let sources = try await sources(name: name, limit: Self.historyRuns, in: snapshot)
            let keys = Set(sources.flatMap { $0.results.map(\.pointKey) }).sorted()
            for key in keys {
                let history = PointHistory(pointKey: key, sweepName: name, sources: sources)
                open += history.open.map { OpenChangePoint(sweepName: name, pointKey: key, changePoint: $0) }
            }
        }
        openChanges = (ids, open)
        return open
    }

    /// Earlier runs of the same sweep, oldest first.
    static func earlier(than run: SweepSummary, among runs: [SweepSummary]) -> [SweepSummary] {
        runs.filter { $0.name == run.name && $0.submittedAt < run.submittedAt }
    }

    /// Every sweep run in the snapshot, oldest first, with its jobs' states and progress.
    static func summaries(in snapshot: FleetSnapshot) -> [SweepSummary] {
        var sweeps: [String: SweepSummary] = [:]
        for job in snapshot.jobs {
            guard let membership = job.spec.sweep else { continue }
            var summary =
                sweeps[membership.sweepID]
                ?? SweepSummary(
                    sweepID: membership.sweepID, name: membership.sweepName, submittedAt: job.submittedAt, jobs: 0,
                    jobStates: [:], points: 0, pointsDone: 0)
            summary.jobs += 1
            summary.jobStates[job.state.rawValue, default: 0] += 1
            summary.points += membership.points.count
            summary.pointsDone +=
                job.state == .succeeded ? membership.points.count : (snapshot.progress[job.id]?.pointsDone ?? 0)
            summary.submittedAt = min(summary.submittedAt, job.submittedAt)
            sweeps[membership.sweepID] = summary
        }
        return sweeps.values.sorted { ($0.submittedAt, $0.sweepID) < ($1.submittedAt, $1.sweepID) }
    }
}
