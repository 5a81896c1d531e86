import Catalog
import LoadGenerator
import Simulator
import Testing

@testable import SimServer

/// Hostile numbers to the simulated engine's API: a 400 that says why, never a crash, and the
/// server goes on serving.
@Suite struct SimServerBadInputTests {
    static func withServer(_ body: @Sendable (BenchEndpoint) async throws -> Void) async throws {
        let catalog = try Catalog.builtIn()
        let deployment = Deployment(
            hardware: try catalog.hardware("H200-SXM"), model: try catalog.model("Llama-3.3-70B-Instruct"),
            precision: .fp8, tp: 8)
        try await SimEngineServer.withLoopbackServer(
            deployment, configuration: EngineConfiguration(maxModelLen: 8192), timeScale: 100
        ) { port, _ in
            try await body(BenchEndpoint(host: "127.0.0.1", port: port, model: "m"))
        }
    }

    static func post(_ body: String, to endpoint: BenchEndpoint, path: String = "/v1/completions") async throws
        -> (status: Int, text: String)
    {
        let response = try await OneShotHTTP.send(.POST, path, body: body, to: endpoint, timeout: .seconds(10))
        return (response.status, String(decoding: response.body, as: UTF8.self))
    }

    @Test func maxTokensOfIntMax_isRefusedWith400_notAnOverflowCrash() async throws {
        try await Self.withServer { endpoint in
            for body in [
                #"{"model":"m","prompt":"hello","max_tokens":9223372036854775807}"#,
                #"{"model":"m","prompt":"hello","max_tokens":16,"min_tokens":9223372036854775807}"#,
                #"{"model":"m","prompt":"hello","max_tokens":-5}"#,
            ] {
                let (status, text) = try await Self.post(body, to: endpoint)
                #expect(status == 400, "\(body) → \(status) \(text)")
                #expect(text.contains("max_model_len 8192"), "\(text)")
            }
            let chat = try await Self.post(
                #"{"model":"m","messages":[{"role":"user","content":"hi"}],"max_completion_tokens":9223372036854775807}"#,
                to: endpoint, path: "/v1/chat/completions")
            #expect(chat.status == 400)
            // Still serving.
            #expect(try await Self.post(#"{"model":"m","prompt":"hello","max_tokens":4}"#, to: endpoint).status == 200)
        }
    }

    @Test func servedFromBeyondTheLastRequest_isEmpty_andANegativeFromIs400() async throws {
        try await Self.withServer { endpoint in
            let fresh = try await OneShotHTTP.send(.GET, "/sweepline/served?from=5", to: endpoint)
            #expect(fresh.status == 200)
            #expect(String(decoding: fresh.body, as: UTF8.self) == "[]")
            let negative = try await OneShotHTTP.send(.GET, "/sweepline/served?from=-1", to: endpoint)
            #expect(negative.status == 400)
        }
    }
}
