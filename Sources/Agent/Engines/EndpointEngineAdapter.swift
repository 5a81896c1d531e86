import Foundation
import LoadGenerator
import Wire

/// The `endpoint` adapter: a server that is already running. Nothing is started or stopped;
/// the server must answer `/v1/models` before the first point.
struct EndpointEngineAdapter: ServingEngine {
    let endpoint: BenchEndpoint
    var summary: String { "endpoint \(endpoint.host):\(endpoint.port), model \(endpoint.model)" }

    func failure() -> String? { nil }
    func stop() async {}

    static func start(_ engine: EndpointEngine, api: CompletionsAPI, environment: [String: String]) async throws
        -> EndpointEngineAdapter
    {
        let endpoint = try BenchEndpoint(
            baseURL: engine.baseURL, model: engine.model, path: api.path,
            apiKey: try apiKey(engine, environment: environment), caFile: engine.caFile)
        let response: OneShotHTTP.Response
        do {
            response = try await OneShotHTTP.send(.GET, "/v1/models", to: endpoint, timeout: .seconds(10))
        } catch {
            throw EngineStartFailed("endpoint \(engine.baseURL) does not answer: \(error)")
        }
        switch response.status {
        case 200: return EndpointEngineAdapter(endpoint: endpoint)
        case 401, 403:
            throw EngineStartFailed(
                "endpoint \(engine.baseURL) refused the API key (HTTP \(response.status)); set apiKeyFile or apiKeyEnvironment"
            )
        default:
            throw EngineStartFailed("endpoint \(engine.baseURL)/v1/models answered HTTP \(response.status)")
        }
    }

    /// The key from its file (whitespace trimmed) or the agent's environment; neither is logged.
    static func apiKey(_ engine: EndpointEngine, environment: [String: String]) throws -> String? {
        if let file = engine.apiKeyFile { return try APIKeyFile.read(file) }
        if let variable = engine.apiKeyEnvironment {
            guard let key = environment[variable], !key.isEmpty else {
                throw EngineStartFailed("the environment variable \(variable) (the API key) is not set on this agent")
            }
            return key
        }
        return nil
    }
}

/// An API key kept in a file, so it never appears in a job file, an argv or a log.
public enum APIKeyFile {
    public static func read(_ path: String) throws(EngineStartFailed) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw EngineStartFailed("cannot read the API key file \(path)")
        }
        let key = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !key.isEmpty else { throw EngineStartFailed("the API key file \(path) is empty") }
        return key
    }
}
