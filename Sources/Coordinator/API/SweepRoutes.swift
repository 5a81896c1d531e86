import Foundation
import Hummingbird
import Results

/// Sweeps over the HTTP API: submit a sweep file, list sweep runs, read a sweep's point
/// results (computed from the stored records on every read, so they always match them).
extension HTTPAPI {
    static func addSweepRoutes(
        to router: Router<BasicRequestContext>, engine: CoordinatorEngine, results: SweepResults, tokens: APITokens
    ) {
        router.post("/v1/sweeps") { request, _ in
            try tokens.require(.operator, request)
            let body = try await request.body.collect(upTo: maximumBodyBytes)
            let spec: SweepSpec
            do {
                spec = try SweepFile.parse(String(buffer: body), file: "request body")
            } catch {
                throw HTTPError(.badRequest, message: "\(error)")
            }
            if spec.schedule != nil {
                let schedule = try await engine.addSchedule(spec)
                return try json(
                    SweepSubmitResponse(
                        sweepID: nil, name: spec.name, jobs: [], points: schedule.points, schedule: schedule),
                    status: .created)
            }
            let sweepID = newSweepID()
            let jobs = SweepExpansion.jobs(spec, sweepID: sweepID)
            let ids = try await engine.submit(jobs)
            return try json(
                SweepSubmitResponse(
                    sweepID: sweepID, name: spec.name, jobs: ids,
                    points: jobs.reduce(0) { $0 + ($1.benchmark?.points.count ?? 0) }),
                status: .created)
        }

        router.get("/v1/sweeps") { request, _ in
            try tokens.require(.reader, request)
            return try json(try await results.sweeps(in: await engine.snapshot()))
        }

        router.get("/v1/sweeps/:id/results") { request, context in
            try tokens.require(.reader, request)
            let id = try context.parameters.require("id")
            guard let points = try await results.results(ofSweep: id, in: await engine.snapshot()) else {
                throw HTTPError(.notFound, message: "no sweep \(id)")
            }
            return try json(points)
        }

        router.get("/v1/sweeps/:id/baseline") { request, context in
            try tokens.require(.reader, request)
            let id = try context.parameters.require("id")
            let settings = try comparisonSettings(request)
            guard
                let comparison = try await results.baseline(
                    ofSweep: id, in: await engine.snapshot(), settings: settings)
            else {
                throw HTTPError(.notFound, message: "no sweep \(id)")
            }
            return try json(comparison)
        }

        router.get("/v1/sweeps/:id/history") { request, context in
            try tokens.require(.reader, request)
            let id = try context.parameters.require("id")
            guard
                let histories = try await results.histories(
                    ofSweep: id, runs: try historyRuns(request), in: await engine.snapshot())
            else { throw HTTPError(.notFound, message: "no sweep \(id)") }
            return try json(histories)
        }

        router.get("/v1/history") { request, _ in
            try tokens.require(.reader, request)
            guard let point = request.uri.queryParameters.get("point"), !point.isEmpty else {
                throw HTTPError(.badRequest, message: "say which point: ?point=POINT_KEY")
            }
            let sweep = request.uri.queryParameters.get("sweep")
            guard
                let history = try await results.history(
                    ofPoint: point, sweepName: sweep, runs: try historyRuns(request), in: await engine.snapshot())
            else {
                throw HTTPError(
                    .notFound,
                    message: "no finished run\(sweep.map { " of sweep \($0)" } ?? "") measured point \(point)")
            }
            return try json(history)
        }

        router.get("/v1/changepoints") { request, _ in
            try tokens.require(.reader, request)
            return try json(try await results.openChangePoints(in: await engine.snapshot()))
        }
    }

    /// `runs=N`: how many of the latest runs a history reaches back.
    static func historyRuns(_ request: Request) throws -> Int {
        guard let text = request.uri.queryParameters.get("runs") else { return SweepResults.historyRuns }
        guard let runs = Int(text), (2...SweepResults.historyRunsLimit).contains(runs) else {
            throw HTTPError(.badRequest, message: "runs=\(text): expected 2…\(SweepResults.historyRunsLimit)")
        }
        return runs
    }

    /// `effect=METRIC:PERCENT` (repeatable), `fdr=PERCENT` and `power=PERCENT`, as
    /// ``ComparisonSettings/queryItems`` writes them; the defaults where absent.
    static func comparisonSettings(_ request: Request) throws -> ComparisonSettings {
        let query = request.uri.queryParameters
        func percent(_ name: String) throws -> Double? {
            guard let text = query.get(name) else { return nil }
            guard let value = Double(text) else {
                throw HTTPError(.badRequest, message: "\(name)=\(text) is not a number")
            }
            return value
        }
        do {
            return try ComparisonSettings.parsing(
                effects: query.getAll("effect").map { String($0) }, falseDiscoveryRatePercent: try percent("fdr"),
                powerPercent: try percent("power"))
        } catch let error as ComparisonSettings.InvalidSetting {
            throw HTTPError(.badRequest, message: error.description)
        }
    }

    /// Sweeps that run by themselves: `sweepline schedules`, and removing one.
    static func addScheduleRoutes(
        to router: Router<BasicRequestContext>, engine: CoordinatorEngine, tokens: APITokens
    ) {
        router.get("/v1/schedules") { request, _ in
            try tokens.require(.reader, request)
            return try json(await engine.scheduleSummaries())
        }

        router.delete("/v1/schedules/:name") { request, context in
            try tokens.require(.operator, request)
            let name = try context.parameters.require("name")
            guard try await engine.removeSchedule(name) else {
                throw HTTPError(.notFound, message: "no schedule named \(name)")
            }
            return Response(status: .noContent)
        }
    }

    /// Sortable and unique enough for one coordinator: the submission time, then random bits.
    static func newSweepID() -> String {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        let suffix = String(UInt16.random(in: 0...UInt16.max), radix: 16)
        return "sw-\(formatter.string(from: Date()))-\(String(repeating: "0", count: 4 - suffix.count) + suffix)"
    }
}
