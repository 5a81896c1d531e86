import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOSSL
import ServiceLifecycle
import Simulator
import Synchronization
import Wire

/// The simulated engine and its HTTP API, assembled: the services `sweepline sim-engine` runs,
/// and a loopback server for tests and benchmarks.
public struct SimEngineServer: Sendable {
    public let engine: RealTimeEngine
    public let services: [any Service]

    /// - Parameters:
    ///   - tls: serve https with this certificate and key (PEM files) instead of http.
    ///   - onBound: called with the port once the server listens.
    public init(
        deployment: Deployment, configuration: EngineConfiguration, timeScale: Double = 1, host: String = "127.0.0.1",
        port: Int = 0, tls: (certificate: String, key: String)? = nil, logger: Logger,
        onBound: @escaping @Sendable (Int) -> Void = { _ in }
    ) throws {
        let engine = RealTimeEngine(
            core: try EngineCore(deployment: deployment, configuration: configuration), timeScale: timeScale)
        var server = HTTPServerBuilder.http1()
        if let tls {
            server = try .tls(
                .http1(),
                tlsConfiguration: .makeServerConfiguration(
                    certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificate).map { .certificate($0) },
                    privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.key, format: .pem))))
        }
        let app = Application(
            router: SimEngineAPI.router(
                engine: engine, tokenizer: SimulatedTokenizer(vocabulary: deployment.model.vocabulary),
                modelName: deployment.model.name),
            server: server,
            configuration: .init(address: .hostname(host, port: port), serverName: "sweepline-sim-engine"),
            onServerRunning: { channel in onBound(channel.localAddress?.port ?? port) }, logger: logger)
        self.engine = engine
        services = [engine, app]
    }

    /// Serves on a free loopback port while `body` runs, then shuts down.
    public static func withLoopbackServer(
        _ deployment: Deployment, configuration: EngineConfiguration, timeScale: Double = 1,
        _ body: @Sendable (_ port: Int, _ engine: RealTimeEngine) async throws -> Void
    ) async throws {
        var logger = Logger(label: "sweepline.sim-engine")
        logger.logLevel = .error
        let bound = BoundPort()
        let server = try SimEngineServer(
            deployment: deployment, configuration: configuration, timeScale: timeScale, logger: logger,
            onBound: { bound.set($0) })
        let group = ServiceGroup(
            configuration: .init(services: server.services.map { .init(service: $0) }, logger: logger))
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            try await body(try await bound.wait(), server.engine)
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

/// The port a server bound, once it has.
package final class BoundPort: Sendable {
    private let port = Mutex<Int?>(nil)
    private let bound = WorkSignal()

    package init() {}

    package func set(_ value: Int) {
        port.withLock { $0 = value }
        bound.notify()
    }

    /// The port, as soon as the server has one; refused after 5 s.
    package func wait() async throws -> Int {
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline, !Task.isCancelled {
            if let value = port.withLock({ $0 }) { return value }
            await bound.wait(timeout: deadline - ContinuousClock.now)
        }
        if let value = port.withLock({ $0 }) { return value }
        throw DeploymentRefused(description: "the simulated engine's server did not start listening within 5 s")
    }
}
