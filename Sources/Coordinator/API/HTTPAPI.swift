import Catalog
import Foundation
import Hummingbird
import NIOCore
import Wire

/// The coordinator's HTTP API, described in docs/openapi.yaml.
///
/// Reads come from the engine's memory (jobs, agents, progress) and from the store (history,
/// logs, record counts); changes go through the engine and return once durable.
public enum HTTPAPI {
    /// The most a submitted job file may weigh.
    static let maximumBodyBytes = 4 << 20
    static let maximumListed = 10_000
    /// Records in one page of `/v1/jobs/{id}/records` (about 2 MB of benchmark records).
    static let maximumRecordsPerPage = 10_000

    /// - Parameter catalog: prices and power of the GPUs, for the sweeps' cost and power figures.
    public static func router(
        engine: CoordinatorEngine, store: any SweeplineStore, tokens: APITokens, catalog: Catalog
    ) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: StoreErrorMiddleware())
        let results = SweepResults(store: store, catalog: catalog)
        addSweepRoutes(to: router, engine: engine, results: results, tokens: tokens)
        addScheduleRoutes(to: router, engine: engine, tokens: tokens)

        router.get("/healthz") { _, _ in "ok\n" }

        router.get("/v1/status") { request, _ in
            try tokens.require(.reader, request)
            let snapshot = await engine.snapshot()
            var status = StatusResponse(snapshot)
            status.sweepRegressions = try await results.regressed(in: snapshot)
            status.openChangePoints = try await results.openChangePoints(in: snapshot)
            return try json(status)
        }

        router.get("/v1/jobs") { request, _ in
            try tokens.require(.reader, request)
            let snapshot = await engine.snapshot()
            var jobs = snapshot.jobs.sorted { $0.submitSeq < $1.submitSeq }
            if let wanted = request.uri.queryParameters.get("state") {
                guard let state = JobState(rawValue: wanted) else {
                    throw HTTPError(
                        .badRequest,
                        message:
                            "unknown state `\(wanted)`; known: \(JobState.allCases.map(\.rawValue).joined(separator: ", "))"
                    )
                }
                jobs = jobs.filter { $0.state == state }
            }
            // The newest `limit` jobs; never more than `maximumListed` in one answer.
            let limit = request.uri.queryParameters.get("limit", as: Int.self) ?? maximumListed
            guard (1...maximumListed).contains(limit) else {
                throw HTTPError(.badRequest, message: "limit must be 1 to \(maximumListed), got \(limit)")
            }
            return try json(jobs.suffix(limit).map { JobSummary(job: $0, progress: snapshot.progress[$0.id]) })
        }

        router.get("/v1/jobs/:id") { request, context in
            try tokens.require(.reader, request)
            let id = try context.parameters.require("id")
            guard let job = await engine.job(id) else { throw HTTPError(.notFound, message: "no job \(id)") }
            let lines = max(0, min(1000, request.uri.queryParameters.get("log", as: Int.self) ?? 20))
            let detail = JobDetail(
                job: job, progress: await engine.progress(of: id), history: try await store.history(of: id),
                records: try await store.recordCounts(of: id), logTail: try await store.logTail(of: id, lines: lines))
            return try json(detail)
        }

        router.get("/v1/jobs/:id/records") { request, context in
            try tokens.require(.reader, request)
            let id = try context.parameters.require("id")
            guard let job = await engine.job(id) else { throw HTTPError(.notFound, message: "no job \(id)") }
            let attempt = request.uri.queryParameters.get("attempt", as: Int.self) ?? job.attempt
            let after = request.uri.queryParameters.get("after", as: Int.self) ?? 0
            let limit = request.uri.queryParameters.get("limit", as: Int.self) ?? maximumRecordsPerPage
            guard (1...maximumRecordsPerPage).contains(limit) else {
                throw HTTPError(.badRequest, message: "limit must be 1 to \(maximumRecordsPerPage), got \(limit)")
            }
            let page = try await store.records(of: id, attempt: attempt, afterSeq: after, limit: limit)
            return try json(
                RecordsPage(
                    records: page.records,
                    next: page.moreAfterSeq.map {
                        "/v1/jobs/\(id)/records?attempt=\(attempt)&after=\($0)&limit=\(limit)"
                    }
                ))
        }

        router.post("/v1/jobs") { request, _ in
            try tokens.require(.operator, request)
            let body = try await request.body.collect(upTo: maximumBodyBytes)
            let specs: [JobSpec]
            do {
                specs = try JobFile.parse(String(buffer: body), file: "request body")
            } catch {
                throw HTTPError(.badRequest, message: "\(error)")
            }
            return try json(SubmitResponse(jobs: try await engine.submit(specs)), status: .created)
        }

        router.post("/v1/jobs/:id/cancel") { request, context in
            try tokens.require(.operator, request)
            let id = try context.parameters.require("id")
            let result = try await engine.cancel(id)
            if result == .notFound { throw HTTPError(.notFound, message: "no job \(id)") }
            return try json(CancelResponse(job: id, result: result.rawValue))
        }

        router.get("/v1/agents") { request, _ in
            try tokens.require(.reader, request)
            return try json(await engine.snapshot().agents)
        }

        router.post("/v1/agents/:id/drain") { request, context in
            try tokens.require(.operator, request)
            let id = try context.parameters.require("id")
            let body = try await request.body.collect(upTo: 64 << 10)
            guard let drain = try? JSONDecoder().decode(DrainRequest.self, from: body), !drain.reason.isEmpty else {
                throw HTTPError(.badRequest, message: "body must be {\"reason\": \"…\"} with a non-empty reason")
            }
            guard try await engine.drain(id, reason: drain.reason) else {
                throw HTTPError(.notFound, message: "no agent \(id)")
            }
            return try json(["agent": id, "drained": drain.reason])
        }

        router.post("/v1/agents/:id/undrain") { request, context in
            try tokens.require(.operator, request)
            let id = try context.parameters.require("id")
            guard try await engine.undrain(id) else { throw HTTPError(.notFound, message: "no agent \(id)") }
            return try json(["agent": id, "drained": ""])
        }

        addCredentialRoutes(to: router, engine: engine, tokens: tokens)
        return router
    }

    /// Enrolment, rotation and revocation of agents' credentials (operators only): the secret
    /// is in the answer once and nowhere else.
    private static func addCredentialRoutes(
        to router: Router<BasicRequestContext>, engine: CoordinatorEngine, tokens: APITokens
    ) {
        router.get("/v1/credentials") { request, _ in
            try tokens.require(.operator, request)
            return try json(await engine.enrolledAgents)
        }

        router.post("/v1/agents/:id/enroll") { request, context in
            try tokens.require(.operator, request)
            switch try await engine.enroll(try context.parameters.require("id")) {
            case .minted(let response): return try json(response, status: .created)
            case .invalidID(let problem): throw HTTPError(.badRequest, message: problem)
            case .refused(let reason): throw HTTPError(.conflict, message: reason)
            }
        }

        router.post("/v1/agents/:id/rotate") { request, context in
            try tokens.require(.operator, request)
            switch try await engine.rotate(try context.parameters.require("id")) {
            case .minted(let response): return try json(response)
            case .invalidID(let reason), .refused(let reason): throw HTTPError(.notFound, message: reason)
            }
        }

        router.delete("/v1/agents/:id/credential") { request, context in
            try tokens.require(.operator, request)
            let id = try context.parameters.require("id")
            guard try await engine.revoke(id) else {
                throw HTTPError(.notFound, message: "agent \(id) is not enrolled")
            }
            return try json(["agent": id, "credential": "revoked"])
        }
    }

    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        var buffer = ByteBuffer(bytes: try encoder.encode(value))
        buffer.writeString("\n")
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
    }
}
