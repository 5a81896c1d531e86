import Agent
import ArgumentParser
import Foundation
import Shared

/// The load generator alone against any OpenAI-compatible server, like `vllm bench serve`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract:
            "Measure an OpenAI-compatible server at a list of concurrencies; print vLLM's table and write its result JSON."
    )

    @Option(help: "The server, http://HOST:PORT.")
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
    @Option(help: "Per-request time limit, seconds.")
    var timeout: Double?
    @Option(help: "Write the results (one JSON object per point, vLLM's field names) to this file.")
    var output: String?

    func run() async throws {
        guard let url = URL(string: baseURL), url.scheme == "http", let host = url.host else {
            throw ValidationError("--base-url must look like http://HOST:PORT (https is not supported yet)")
        }
        let concurrencies = try concurrency.split(separator: ",").map { text -> Int in
            guard let value = Int(text.trimmingCharacters(in: .whitespaces)), value > 0 else {
                throw ValidationError(
                    "--concurrency must be positive integers separated by commas, got `\(concurrency)`")
            }
            return value
        }
        let endpoint = BenchEndpoint(
            host: host, port: url.port ?? 80, model: model, path: chat ? "/v1/chat/completions" : "/v1/completions")
        let dataset = RandomDataset(
            inputLength: isl, outputLength: osl, rangeRatio: rangeRatio, convention: rangeConvention, seed: seed)
        var results: [JSONValue] = []
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        let limit = timeout.map { Duration.seconds($0) }
        func record(_ records: [RequestRecord], requested: Int, concurrency: Int?, rate: Double?) {
            let summary = PointSummary(records: records, gpus: gpus)
            let validity = PointValidity(records: records, observations: .init(requested: requested))
            print(BenchTable.render(summary, validity: validity, concurrency: concurrency, requestRate: rate))
            results.append(
                BenchmarkResult.json(
                    summary: summary, records: records, validity: validity,
                    settings: .init(
                        date: formatter.string(from: Date()), backend: chat ? "openai-chat" : "openai", model: model,
                        maxConcurrency: concurrency, requestRate: rate, burstiness: burstiness)))
        }
        if let requestRate {
            let rates = try requestRate.split(separator: ",").map { text -> Double in
                guard let value = Double(text.trimmingCharacters(in: .whitespaces)), value > 0 else {
                    throw ValidationError(
                        "--request-rate must be positive numbers separated by commas, got `\(requestRate)`")
                }
                return value
            }
            for rate in rates {
                let load = OpenLoopLoad(
                    requestRate: rate, burstiness: burstiness, requests: numPrompts, inputLength: isl,
                    outputLength: osl,
                    rangeRatio: rangeRatio, seed: seed)
                let records = await OpenLoopClient.run(
                    load, maxConcurrency: maxConcurrency, against: endpoint, timeout: limit)
                record(records, requested: numPrompts, concurrency: maxConcurrency, rate: rate)
            }
        } else {
            for concurrency in concurrencies {
                let point = ClosedLoopPoint(
                    concurrency: concurrency, requests: requestsPerConcurrency * concurrency,
                    warmups: warmupsPerConcurrency * concurrency, dataset: dataset)
                let records = await ClosedLoopClient.run(point, against: endpoint, timeout: limit)
                record(records, requested: point.requests, concurrency: concurrency, rate: nil)
            }
        }
        if let output {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try encoder.encode(JSONValue.array(results)).write(to: URL(fileURLWithPath: output))
            print("wrote \(output)")
        }
    }
}

extension RandomDataset.RangeConvention: ExpressibleByArgument {}
