import ArgumentParser
import Catalog
import Foundation
import Simulator

/// Checks the simulated engine against published benchmark points, and fits its efficiency
/// factors (per GPU generation, never per point).
struct SimCalibrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sim-calibrate",
        abstract: "Compare the simulated engine with the published points of reference.yaml (and fit its factors).")

    @Option(help: "A reference file with `published_points` (default: the one built in, with its sources).")
    var reference: String?

    @Flag(help: "Search the efficiency factors of each GPU generation that has points, and print the best.")
    var fit = false

    @Option(help: "Requests per simulated point, as a multiple of concurrency.")
    var requestsPerConcurrency = 10

    func run() async throws {
        let (text, file) =
            try reference.map { (try String(contentsOfFile: $0, encoding: .utf8), $0) }
            ?? Catalog.builtInReference()
        let points = try PublishedPoint.load(yaml: text, file: file)
        let catalog = try Catalog.builtIn()
        var calibration = Calibration(catalog: catalog, requestsPerConcurrency: requestsPerConcurrency)
        if fit {
            for (generation, factors) in try Self.fit(points, calibration) {
                calibration.factors[generation] = factors
                print("\(generation): \(factors)")
            }
        }
        var comparisons: [CalibrationComparison] = []
        for point in points { comparisons += try calibration.compare(point) }
        print(Self.table(comparisons))
        let predicted = comparisons.filter { $0.predicted != nil }.count
        print(
            String(
                format: "\nMAPE over %d figures with a prediction: %.1f %% (%d outside the simulated frontier's range)",
                predicted,
                Calibration.meanAbsolutePercentageError(comparisons), comparisons.count - predicted))
    }

    static func table(_ comparisons: [CalibrationComparison]) -> String {
        var lines = ["| point | figure | published | predicted | error | how |", "|---|---|---|---|---|---|"]
        for comparison in comparisons {
            let predicted = comparison.predicted.map { String(format: "%.1f", $0) } ?? "—"
            let error = comparison.absolutePercentageError.map { String(format: "%.1f %%", $0) } ?? "—"
            lines.append(
                "| \(comparison.point.label) | \(comparison.figure) | \(String(format: "%.1f", comparison.published)) | \(predicted) | \(error) | \(comparison.method) |"
            )
        }
        return lines.joined(separator: "\n")
    }

    /// Coordinate descent over a small grid, one generation at a time (their points do not mix).
    static func fit(_ points: [PublishedPoint], _ base: Calibration) throws -> [(String, EfficiencyFactors)] {
        var byGeneration: [String: [PublishedPoint]] = [:]
        for point in points {
            byGeneration[try base.catalog.hardware(point.hardware).generation, default: []].append(point)
        }
        var results: [(String, EfficiencyFactors)] = []
        for (generation, generationPoints) in byGeneration.sorted(by: { $0.key < $1.key }) {
            var best = EfficiencyFactors.forGeneration(generation)
            func error(_ factors: EfficiencyFactors) throws -> Double {
                var calibration = base
                calibration.factors[generation] = factors
                var comparisons: [CalibrationComparison] = []
                for point in generationPoints { comparisons += try calibration.compare(point) }
                let mape = Calibration.meanAbsolutePercentageError(comparisons)
                return mape.isNaN ? .infinity : mape
            }
            var bestError = try error(best)
            let grids: [(WritableKeyPath<EfficiencyFactors, Double>, [Double])] = [
                (\.memory, [0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9]),
                (\.compute, [0.3, 0.4, 0.5, 0.6, 0.7, 0.8]),
                (\.moe, [0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0]),
                (
                    \.stepOverheadSeconds,
                    [0.0005, 0.001, 0.0015, 0.002, 0.003, 0.004, 0.006, 0.008, 0.010, 0.012, 0.016]
                ),
                (\.hopLatencySeconds, [0.000_000_5, 0.000_001, 0.000_002, 0.000_004, 0.000_008]),
            ]
            for _ in 0..<2 {
                for (path, values) in grids {
                    for value in values {
                        var candidate = best
                        candidate[keyPath: path] = value
                        let candidateError = try error(candidate)
                        if candidateError < bestError {
                            best = candidate
                            bestError = candidateError
                        }
                    }
                }
            }
            print(String(format: "fitted %@ on %d points: MAPE %.1f %%", generation, generationPoints.count, bestError))
            results.append((generation, best))
        }
        return results
    }
}
