import Agent
import ArgumentParser
import Foundation
import LoadGenerator
import Wire

/// The load generator alone against any OpenAI-compatible server, like `vllm bench serve`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract:
            "Measure an OpenAI-compatible server at a list of concurrencies; print vLLM's table and write its result JSON."
    )

    @Option(help: "The server, http://HOST:PORT or https://HOST:PORT.")
    var baseURL: String
    @Option(help: "The model name to send.")
    var model: String
    @Option(help: "Input length of the random dataset.")
    var isl = 1024
    @Option(help: "Output length of the random dataset.")
    var osl = 1024
    @Option(help: "Concurrencies to measure, one point each, e.g. 4,8,16,32,64.")
    var concurrency = "4,8,16,32,64"
    @Option(help: "Measured requests per point, as a multiple of its concurrency.")
    var requestsPerConcurrency = 10
    @Option(help: "Warm-up requests per point, as a multiple of its concurrency.")
    var warmupsPerConcurrency = 2
    @Option(help: "Range ratio of the lengths.")
    var rangeRatio = 0.8
    @Option(help: "sglang: lengths in [L·r, L] (InferenceMAX); vllm: lengths in [L(1−r), L(1+r)].")
    var rangeConvention = RandomDataset.RangeConvention.fractionBelow
    @Option(help: "Seed of the dataset.")
    var seed: UInt64 = 1
    @Option(help: "GPUs behind the server, for tok/s/GPU.")
    var gpus = 1
    @Flag(help: "Use /v1/chat/completions instead of /v1/completions.")
    var chat = false
    @Option(help: "Open loop instead: request rates (req/s) to measure, one point each, e.g. 2,4,8.")
    var requestRate: String?
    @Option(help: "Open loop: gamma shape of the arrival gaps (1: Poisson; lower: burstier).")
    var burstiness = 1.0
    @Option(help: "Open loop: requests per point.")
    var numPrompts = 100
    @Option(help: "Open loop: most requests in flight; the rest wait (queue time, not TTFT).")
    var maxConcurrency: Int?
    @Option(help: "Open loop: requests sent first and left out of the figures.")
    var warmups = 0
    @Option(help: "Per-request time limit, seconds.")
    var timeout: Double?
    @Option(help: "Stop starting requests after this many seconds of a point; those in flight finish.")
    var duration: Double?
    @Option(
        help:
            "How prompts get their exact length: calibrate (the server's /tokenize or usage), or words (one word per token)."
    )
    var prompts = PromptMode.calibrate
    @Option(help: "A file holding the API key, sent as a bearer token.")
    var apiKeyFile: String?
    @Option(help: "https: the PEM file of the CA that signed the server's certificate (default: the system's roots).")
    var caFile: String?
    @Option(help: "Write the results (one JSON object per point, vLLM's field names) to this file.")
    var output: String?
    @Option(
        help:
            "Threads (one event loop each) the client's connections are spread over (default: every core; leave cores to a server on this machine)."
    )
    var clientThreads: Int?

    enum PromptMode: String, ExpressibleByArgument {
        case calibrate
        case words
    }

    func run() async throws {
        if let clientThreads {
            guard clientThreads > 0 else { throw ValidationError("--client-threads must be at least 1") }
            LoadGeneratorLoops.configure(threads: clientThreads)
        }
        let endpoint: BenchEndpoint
        do {
            endpoint = try BenchEndpoint(
                baseURL: baseURL, model: model, path: chat ? "/v1/chat/completions" : "/v1/completions",
                apiKey: try apiKeyFile.map { try APIKeyFile.read($0) }, caFile: caFile)
        } catch {
            throw ValidationError("--base-url: \(error)")
        }
        let plans = try points()
        let vocabulary: PromptVocabulary
        switch prompts {
        case .words: vocabulary = .wordPerToken
        case .calibrate:
            do {
                vocabulary = try await PromptCalibration.calibrate(endpoint)
            } catch {
                throw ValidationError(
                    "\(error)\n(--prompts words sends one word per token without calibrating; input lengths then come from the server's usage)"
                )
            }
        }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        var results: [JSONValue] = []
        for (index, plan) in plans.enumerated() {
            let progress = ProgressBar(
                label: "point \(index + 1)/\(plans.count) "
                    + (plan.requestRate.map { "rate \($0)/s" } ?? "c=\(plan.concurrency ?? 0)"),
                total: plan.requests)
            let drawing = Task { await progress.draw() }
            let measurement = await PointDriver.measure(
                plan, against: endpoint, vocabulary: vocabulary, gpus: gpus, onRecord: { _ in progress.advance() })
            drawing.cancel()
            await drawing.value
            print(
                BenchTable.render(
                    measurement.summary, validity: measurement.validity, concurrency: plan.concurrency,
                    requestRate: plan.requestRate))
            results.append(
                measurement.result(
                    settings: .init(
                        date: formatter.string(from: Date()), backend: chat ? "openai-chat" : "openai", model: model,
                        maxConcurrency: plan.concurrency, requestRate: plan.requestRate, burstiness: burstiness)))
        }
        if let output {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(JSONValue.array(results)).write(to: URL(fileURLWithPath: output))
            print("wrote \(output)")
        }
    }

    /// The points the options ask for, in order.
    func points() throws -> [PointPlan] {
        let dataset = RandomDataset(
            inputLength: isl, outputLength: osl, rangeRatio: rangeRatio, convention: rangeConvention, seed: seed)
        if let requestRate {
            let rates = try requestRate.split(separator: ",").map { text -> Double in
                guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value > 0 else {
                    throw ValidationError(
                        "--request-rate must be positive numbers separated by commas, got `\(requestRate)`")
                }
                return value
            }
            return rates.map { rate in
                PointPlan(
                    load: .openLoop(rate: rate, burstiness: burstiness, maxConcurrency: maxConcurrency),
                    dataset: dataset, requests: numPrompts, warmups: warmups, durationSeconds: duration,
                    requestTimeoutSeconds: timeout)
            }
        }
        let concurrencies = try concurrency.split(separator: ",").map { text -> Int in
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value > 0 else {
                throw ValidationError(
                    "--concurrency must be positive integers separated by commas, got `\(concurrency)`")
            }
            return value
        }
        return concurrencies.map { concurrency in
            PointPlan(
                load: .closedLoop(concurrency: concurrency), dataset: dataset,
                requests: requestsPerConcurrency * concurrency, warmups: warmupsPerConcurrency * concurrency,
                durationSeconds: duration, requestTimeoutSeconds: timeout)
        }
    }
}

extension RandomDataset.RangeConvention: ExpressibleByArgument {}
