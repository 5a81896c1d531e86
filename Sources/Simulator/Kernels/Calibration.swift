import Catalog
import Foundation
import Results
import Wire
import Yams

/// A published benchmark point (reference.yaml, `published_points`) to check the simulator against.
public struct PublishedPoint: Hashable, Sendable {
    public var hardware: String
    public var model: String
    public var precision: Precision
    public var inputLength: Int
    public var outputLength: Int
    public var tp: Int?
    public var concurrency: Int?
    public var engine: String
    /// Frontier points give interactivity and throughput per GPU.
    public var tokensPerSecondPerUser: Double?
    public var tokensPerSecondPerGPU: Double?
    /// Raw points give latency and output throughput.
    public var medianTPOTMilliseconds: Double?
    public var outputTokensPerSecondPerGPU: Double?

    public var label: String {
        "\(hardware) \(model) \(precision.rawValue) \(inputLength)/\(outputLength)" + (tp.map { " tp\($0)" } ?? "")
            + (concurrency.map { " c\($0)" } ?? "")
    }

    /// Reads `published_points` from reference.yaml. Only that section is parsed: the file's
    /// prose sections are not all valid YAML.
    public static func load(yaml: String, file: String) throws -> [PublishedPoint] {
        guard let start = yaml.range(of: "\npublished_points:") else {
            throw YAMLFileError(location: file, message: "no `published_points:` section")
        }
        guard let root = try Yams.load(yaml: String(yaml[start.lowerBound...])) as? [String: Any],
            let list = root["published_points"] as? [[String: Any]]
        else {
            throw YAMLFileError(location: file, message: "expected a `published_points:` list")
        }
        return try list.enumerated().map { index, entry in
            func number(_ key: String) -> Double? { (entry[key] as? Double) ?? (entry[key] as? Int).map(Double.init) }
            guard let hardware = entry["hw"] as? String, let model = entry["model"] as? String,
                let precision = (entry["precision"] as? String).flatMap(Precision.init(rawValue:))
            else {
                throw YAMLFileError(
                    location: file, message: "published_points[\(index)]: hw, model and precision are required")
            }
            return PublishedPoint(
                hardware: hardware, model: model, precision: precision, inputLength: Int(number("isl") ?? 1024),
                outputLength: Int(number("osl") ?? 1024), tp: number("tp").map(Int.init),
                concurrency: number("conc").map(Int.init),
                engine: entry["engine"] as? String ?? "vllm", tokensPerSecondPerUser: number("tok_s_user"),
                tokensPerSecondPerGPU: number("tok_s_gpu"), medianTPOTMilliseconds: number("median_tpot_ms"),
                outputTokensPerSecondPerGPU: number("out_tok_s_gpu"))
        }
    }
}

/// The simulator's prediction for a published point: one figure compared with one figure.
public struct CalibrationComparison: Hashable, Sendable {
    public var point: PublishedPoint
    /// What is compared: `tok/s/GPU at N tok/s/user`, `median TPOT ms`, `output tok/s/GPU`.
    public var figure: String
    public var published: Double
    public var predicted: Double?
    /// How the prediction was made.
    public var method: String

    public var absolutePercentageError: Double? { predicted.map { abs($0 - published) / published * 100 } }
}

/// Predicts published points with the simulator in virtual time.
///
/// A point with a configuration (tp and concurrency) is simulated as published. A frontier point
/// is read off the simulated frontier (tp 1–8 × concurrency 4–512, pooled) at its interactivity.
public struct Calibration: Sendable {
    public var catalog: Catalog
    public var factors: [String: EfficiencyFactors]
    /// Requests per simulated point, as a multiple of concurrency (InferenceMAX uses 10).
    public var requestsPerConcurrency: Int

    public init(
        catalog: Catalog, factors: [String: EfficiencyFactors] = EfficiencyFactors.calibrated,
        requestsPerConcurrency: Int = 10
    ) {
        self.catalog = catalog
        self.factors = factors
        self.requestsPerConcurrency = requestsPerConcurrency
    }

    public static let frontierTP = [1, 2, 4, 8]
    public static let frontierConcurrency = [4, 8, 16, 32, 64, 128, 256, 512]

    func simulate(_ point: PublishedPoint, tp: Int, concurrency: Int) throws -> PointSummary? {
        let hardware = try catalog.hardware(point.hardware)
        var deployment = Deployment(
            hardware: hardware, model: try catalog.model(point.model), precision: point.precision, tp: tp)
        let factors = factors[hardware.generation] ?? EfficiencyFactors.forGeneration(hardware.generation)
        let configuration = EngineConfiguration(
            maxNumSeqs: max(256, concurrency), streamInterval: point.engine == "sglang" ? 10 : 1,
            maxModelLen: point.inputLength + point.outputLength + 64)
        let load = ClosedLoopLoad(
            concurrency: concurrency, requests: requestsPerConcurrency * concurrency, warmups: concurrency,
            inputLength: point.inputLength, outputLength: point.outputLength, recordGaps: false)
        do {
            let records = try VirtualRun.closedLoop(
                load, deployment: deployment, configuration: configuration, factors: factors)
            return PointSummary(records: records, gpus: tp)
        } catch {
            return nil  // does not fit: not a candidate
        }
    }

    public func compare(_ point: PublishedPoint) throws -> [CalibrationComparison] {
        if let tp = point.tp, let concurrency = point.concurrency {
            let summary = try simulate(point, tp: tp, concurrency: concurrency)
            var comparisons: [CalibrationComparison] = []
            if let tpot = point.medianTPOTMilliseconds {
                comparisons.append(
                    CalibrationComparison(
                        point: point, figure: "median TPOT ms", published: tpot,
                        predicted: summary.map { $0.tpot.median * 1000 },
                        method: "simulated at tp\(tp) c\(concurrency)"))
            }
            if let output = point.outputTokensPerSecondPerGPU {
                comparisons.append(
                    CalibrationComparison(
                        point: point, figure: "output tok/s/GPU", published: output,
                        predicted: summary?.outputTokensPerSecondPerGPU,
                        method: "simulated at tp\(tp) c\(concurrency)"))
            }
            return comparisons
        }
        guard let user = point.tokensPerSecondPerUser, let throughput = point.tokensPerSecondPerGPU else { return [] }
        let frontier = try self.frontier(for: point)
        return [
            CalibrationComparison(
                point: point, figure: "tok/s/GPU at \(Int(user)) tok/s/user", published: throughput,
                predicted: frontier.throughput(atInteractivity: user), method: "simulated frontier, interpolated")
        ]
    }

    public func frontier(for point: PublishedPoint) throws -> Frontier {
        var candidates: [Frontier.Point] = []
        for tp in Self.frontierTP {
            for concurrency in Self.frontierConcurrency {
                guard let summary = try simulate(point, tp: tp, concurrency: concurrency) else { break }
                candidates.append(
                    Frontier.Point(
                        interactivity: summary.interactivity, throughput: summary.tokensPerSecondPerGPU,
                        label: "tp\(tp) c\(concurrency)"))
            }
        }
        return Frontier(candidates)
    }

    /// Mean absolute percentage error over comparisons that have a prediction.
    public static func meanAbsolutePercentageError(_ comparisons: [CalibrationComparison]) -> Double {
        let errors = comparisons.compactMap(\.absolutePercentageError)
        return errors.isEmpty ? .nan : errors.reduce(0, +) / Double(errors.count)
    }
}
