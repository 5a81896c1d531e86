import ArgumentParser
import Catalog
import Foundation
import Logging
import ServiceLifecycle
import SimServer
import Simulator
import Wire

/// A simulated GPU serving a model over the OpenAI-compatible API, in real time (or faster).
struct SimEngineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim-engine",
        abstract:
            "Serve a model on simulated GPUs over the OpenAI-compatible API (vLLM's knobs, real-time token pacing).")

    @Option(help: "GPU type from the hardware catalog, e.g. H200-SXM.")
    var hardware: String
    @Option(help: "Model from the model catalog, e.g. Llama-3.3-70B-Instruct.")
    var model: String
    @Option(help: "bf16, fp8 or fp4.")
    var precision: String = "fp8"
    @Option(help: "Tensor parallelism.")
    var tp = 1
    @Option(help: "Expert parallelism.")
    var ep = 1
    @Flag(help: "Data-parallel attention (SGLang --enable-dp-attention).")
    var dpAttention = false
    @Flag(help: "Launch every kernel from the host (no CUDA graphs).")
    var noCudaGraphs = false
    @Option(help: "--max-num-seqs")
    var maxNumSeqs = 256
    @Option(help: "--max-num-batched-tokens")
    var maxNumBatchedTokens = 8192
    @Option(help: "--gpu-memory-utilization")
    var gpuMemoryUtilization = 0.9
    @Option(help: "Tokens per streamed chunk (1 as vLLM, 10 as SGLang's default).")
    var streamInterval = 1
    @Option(help: "--max-model-len (default: the model's context)")
    var maxModelLen: Int?
    @Option(help: "Run this many times faster than the simulated GPU.")
    var timeScale = 1.0
    @Option(help: "Make every step this many times slower than the cost model (1.05: 5 % slower).")
    var slowdown = 1.0
    @Option(help: "Address to listen on.")
    var host = "127.0.0.1"
    @Option(help: "Port to listen on (0: any free port).")
    var port = 8000
    @Option(help: "Serve https with this certificate (PEM; with --tls-key).")
    var tlsCertificate: String?
    @Option(help: "The certificate's private key (PEM).")
    var tlsKey: String?
    @Option(help: "A catalog file of your own (hardware and/or models), loaded over the built-in ones.")
    var catalog: String?
    @Option(help: "Log level.")
    var logLevel: Logger.Level = .info

    func run() async throws {
        var logger = Logger(label: "sweepline.sim-engine")
        logger.logLevel = logLevel
        var catalogs = try Catalog.builtIn()
        if let catalog { try catalogs.add(try String(contentsOfFile: catalog, encoding: .utf8), file: catalog) }
        guard let precision = Precision(rawValue: precision) else {
            throw ValidationError(
                "--precision must be one of \(Precision.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard timeScale > 0 else { throw ValidationError("--time-scale must be positive") }
        guard (0.1...10).contains(slowdown) else { throw ValidationError("--slowdown must be within 0.1–10") }
        let deployment = Deployment(
            hardware: try catalogs.hardware(hardware), model: try catalogs.model(model), precision: precision, tp: tp,
            ep: ep,
            dpAttention: dpAttention, cudaGraphs: !noCudaGraphs)
        let engineConfiguration = EngineConfiguration(
            maxNumSeqs: maxNumSeqs, maxNumBatchedTokens: maxNumBatchedTokens,
            gpuMemoryUtilization: gpuMemoryUtilization,
            streamInterval: streamInterval, maxModelLen: maxModelLen, slowdown: slowdown)
        let core = try EngineCore(deployment: deployment, configuration: engineConfiguration)
        let plan = core.plan
        announce(
            String(
                format:
                    "sweepline sim-engine: %@ %@ on %d× %@: weights %.1f GB/GPU, KV cache %.1f GB/GPU = %d blocks (%d tokens), max_model_len %d",
                model, precision.rawValue, tp, hardware, plan.weightBytesPerGPU / 1e9, plan.kvCacheBytesPerGPU / 1e9,
                plan.blocks,
                plan.tokenCapacity, plan.maxModelLen))
        let server = try SimEngineServer(
            deployment: deployment, configuration: engineConfiguration, timeScale: timeScale, host: host, port: port,
            tls: try tls(), logger: logger,
            onBound: {
                announce("sweepline sim-engine: serving on \(tlsCertificate == nil ? "http" : "https")://\(host):\($0)")
            })
        let group = ServiceGroup(
            configuration: .init(
                services: server.services.map { .init(service: $0) }, gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger))
        try await group.run()
    }

    func tls() throws -> (certificate: String, key: String)? {
        switch (tlsCertificate, tlsKey) {
        case (nil, nil): return nil
        case (let certificate?, let key?): return (certificate, key)
        default: throw ValidationError("--tls-certificate and --tls-key go together")
        }
    }
}
