import Catalog
import LoadGenerator
import Logging
import ServiceLifecycle
import SimServer
import Simulator
import Wire

/// The `sim` adapter: Sweepline's simulated engine over HTTP, inside the agent's process (tests,
/// `sweepline demo`) or as a `sweepline sim-engine` process of its own (an agent that measures
/// for real, so the engine's CPU never counts as the client's).
final class SimulatedEngineAdapter: ServingEngine {
    let endpoint: BenchEndpoint
    let summary: String
    private let group: ServiceGroup
    private let running: Task<Void, Never>
    private let ended: SetOnce<String>

    private init(
        endpoint: BenchEndpoint, summary: String, group: ServiceGroup, running: Task<Void, Never>,
        ended: SetOnce<String>
    ) {
        self.endpoint = endpoint
        self.summary = summary
        self.group = group
        self.running = running
        self.ended = ended
    }

    static func start(_ engine: SimulatedEngine, api: CompletionsAPI) async throws -> SimulatedEngineAdapter {
        let (deployment, configuration) = try engine.resolved(in: Catalog.builtIn())
        var logger = Logger(label: "sweepline.sim-engine")
        logger.logLevel = .error
        let bound = BoundPort()
        let server = try SimEngineServer(
            deployment: deployment, configuration: configuration, timeScale: engine.timeScale, logger: logger,
            onBound: { bound.set($0) })
        let group = ServiceGroup(
            configuration: .init(services: server.services.map { .init(service: $0) }, logger: logger))
        let ended = SetOnce<String>()
        let running = Task {
            do {
                try await group.run()
            } catch {
                ended.set("the simulated engine stopped: \(error)")
            }
        }
        let port: Int
        do {
            port = try await bound.wait()
        } catch {
            await group.triggerGracefulShutdown()
            await running.value
            throw error
        }
        return SimulatedEngineAdapter(
            endpoint: BenchEndpoint(host: "127.0.0.1", port: port, model: deployment.model.name, path: api.path),
            summary:
                "simulated \(engine.model) \(engine.precision.rawValue) tp\(engine.tp) on \(engine.hardware), time scale \(engine.timeScale), in process",
            group: group, running: running, ended: ended)
    }

    /// The same engine as a `sweepline sim-engine` process, through the `launch` adapter.
    static func launch(_ engine: SimulatedEngine, executable: String) -> LaunchedEngine {
        var argv = [
            executable, "sim-engine", "--hardware", engine.hardware, "--model", engine.model, "--precision",
            engine.precision.rawValue, "--tp", String(engine.tp), "--ep", String(engine.ep), "--max-num-seqs",
            String(engine.maxNumSeqs), "--max-num-batched-tokens", String(engine.maxNumBatchedTokens),
            "--time-scale", String(engine.timeScale), "--stream-interval", String(engine.streamInterval), "--host",
            "{host}", "--port", "{port}", "--log-level", "warning",
        ]
        if engine.dpAttention { argv.append("--dp-attention") }
        if !engine.cudaGraphs { argv.append("--no-cuda-graphs") }
        if let maxModelLen = engine.maxModelLen { argv += ["--max-model-len", String(maxModelLen)] }
        if let slowdown = engine.slowdown { argv += ["--slowdown", String(slowdown)] }
        return LaunchedEngine(argv: argv, model: engine.model, readinessTimeoutSeconds: 60, stopGraceSeconds: 5)
    }

    func failure() -> String? { ended.value }

    func stop() async {
        await group.triggerGracefulShutdown()
        await running.value
    }
}

extension SimulatedEngine {
    /// The deployment and engine settings this spec names, from `catalog`: read it once for
    /// many specs (the demo resolves 96), not once each.
    package func resolved(in catalog: Catalog) throws -> (Deployment, EngineConfiguration) {
        (
            Deployment(
                hardware: try catalog.hardware(hardware), model: try catalog.model(model), precision: precision,
                tp: tp, ep: ep, dpAttention: dpAttention, cudaGraphs: cudaGraphs),
            EngineConfiguration(
                maxNumSeqs: maxNumSeqs, maxNumBatchedTokens: maxNumBatchedTokens, streamInterval: streamInterval,
                maxModelLen: maxModelLen, slowdown: slowdown ?? 1)
        )
    }
}
