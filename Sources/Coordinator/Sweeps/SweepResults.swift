import Foundation
import Shared

/// Sweep runs' point results and their comparison with baselines, computed from the stored
/// records. A job that has ended never changes again, so its results are computed once and
/// kept; a running job's are computed on every read.
public actor SweepResults {
    private let store: any SweeplineStore
    private let catalog: Catalog
    private var finished: [JobAttempt: [PointResult]] = [:]
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
    public func baseline(ofSweep id: String, in snapshot: FleetSnapshot) async throws -> BaselineComparison? {
        let runs = Self.runs(in: snapshot)
        guard let run = runs.first(where: { $0.sweepID == id }),
            let candidate = try await results(ofSweep: id, in: snapshot)
        else { return nil }
        var earlier: [BaselineComparison.Run] = []
        for other in runs where other.name == run.name && other.submittedAt < run.submittedAt {
            earlier.append(
                .init(sweepID: other.sweepID, results: try await results(ofSweep: other.sweepID, in: snapshot) ?? []))
        }
        return BaselineComparison(
            sweepID: id, sweepName: run.name, candidate: candidate, earlier: earlier.reversed())
    }

    /// For each sweep name, its latest finished run if it regressed against its baseline.
    public func regressed(in snapshot: FleetSnapshot) async throws -> [SweepRegressionNote] {
        let runs = Self.runs(in: snapshot)
        let latest = Dictionary(grouping: runs.filter(\.finished), by: \.name).compactMap { $0.value.last }
        var notes: [SweepRegressionNote] = []
        for run in latest.sorted(by: { $0.submittedAt < $1.submittedAt }) {
            guard runs.contains(where: { $0.name == run.name && $0.submittedAt < run.submittedAt }),
                let comparison = try await baseline(ofSweep: run.sweepID, in: snapshot),
                !comparison.regressions.isEmpty
            else { continue }
            notes.append(SweepRegressionNote(comparison))
        }
        return notes
    }

    /// Every sweep run in the snapshot, oldest first.
    static func runs(in snapshot: FleetSnapshot) -> [(sweepID: String, name: String, submittedAt: Date, finished: Bool)]
    {
        var runs: [String: (sweepID: String, name: String, submittedAt: Date, finished: Bool)] = [:]
        for job in snapshot.jobs {
            guard let membership = job.spec.sweep else { continue }
            var run = runs[membership.sweepID] ?? (membership.sweepID, membership.sweepName, job.submittedAt, true)
            run.submittedAt = min(run.submittedAt, job.submittedAt)
            run.finished = run.finished && job.state.isTerminal
            runs[membership.sweepID] = run
        }
        return runs.values.sorted { ($0.submittedAt, $0.sweepID) < ($1.submittedAt, $1.sweepID) }
    }
}
