import Foundation

/// A headline figure that comparisons test, and which way is worse.
public enum ComparedMetric: String, CaseIterable, Hashable, Sendable, Codable, CodingKeyRepresentable {
    case tokensPerSecondPerGPU = "tok/s/GPU"
    /// 1000 / median TPOT: testing it tests median TPOT.
    case interactivity = "tok/s/user"
    case medianTTFT = "TTFT"

    public var higherIsBetter: Bool { self != .medianTTFT }

    /// The point's figure and its confidence interval, when it has one.
    func measure(_ figures: PointFigures) -> (value: Double, interval: ConfidenceInterval?) {
        switch self {
        case .tokensPerSecondPerGPU: (figures.tokensPerSecondPerGPU, figures.intervals?.tokensPerSecondPerGPU)
        case .interactivity: (figures.interactivity, figures.intervals?.interactivity)
        case .medianTTFT: (figures.medianTTFTMilliseconds, figures.intervals?.medianTTFTMilliseconds)
        }
    }

    /// Names an operator may type for it: `tok/s/gpu`, `throughput`; `tok/s/user`,
    /// `interactivity`, `tpot`; `ttft`.
    public init?(name: String) {
        switch name.lowercased() {
        case "tok/s/gpu", "throughput": self = .tokensPerSecondPerGPU
        case "tok/s/user", "interactivity", "tpot": self = .interactivity
        case "ttft": self = .medianTTFT
        default: return nil
        }
    }
}

/// What a comparison calls a change (docs/metrics.md, "Comparing runs").
public struct ComparisonSettings: Hashable, Sendable, Codable {
    /// Per metric, the smallest relative change that matters (0.03 = 3 %): a statistically
    /// supported change smaller than this is "no change", and a point whose requests could not
    /// detect a change this large is "insufficient data".
    public var effects: [ComparedMetric: Double]
    /// The false-discovery rate over all tests of the comparison (Benjamini–Hochberg).
    public var falseDiscoveryRate: Double
    /// The power at which "could detect" is judged, for insufficient data and for planning.
    public var power: Double

    /// Throughput and tok/s/user move by a few per cent between identical runs of real
    /// engines; median TTFT, a queueing figure, by more.
    public static let defaultEffects: [ComparedMetric: Double] = [
        .tokensPerSecondPerGPU: 0.03, .interactivity: 0.03, .medianTTFT: 0.05,
    ]

    public init(
        effects: [ComparedMetric: Double] = ComparisonSettings.defaultEffects, falseDiscoveryRate: Double = 0.05,
        power: Double = 0.8
    ) {
        self.effects = Self.defaultEffects.merging(effects) { _, chosen in chosen }
        self.falseDiscoveryRate = falseDiscoveryRate
        self.power = power
    }

    /// The metric's effect; the default where a decoded setting lacks it.
    public func effect(_ metric: ComparedMetric) -> Double { effects[metric] ?? Self.defaultEffects[metric]! }
}

extension ComparisonSettings {
    /// A setting an operator typed that means nothing.
    public struct InvalidSetting: Error, CustomStringConvertible {
        public var description: String
    }

    /// Settings from `--effect` values (see ``percentages(_:option:)``) and a `--fdr` and
    /// `--power` in per cent.
    public static func parsing(
        effects texts: [String], falseDiscoveryRatePercent: Double? = nil, powerPercent: Double? = nil
    ) throws -> ComparisonSettings {
        let effects = try percentages(texts, option: "effect")
        let rate = try falseDiscoveryRatePercent.map {
            try Self.check($0, what: "false-discovery rate", range: 0.01...50)
        }
        let power = try powerPercent.map { try Self.check($0, what: "power", range: 50...99.9) }
        return ComparisonSettings(effects: effects, falseDiscoveryRate: (rate ?? 5) / 100, power: (power ?? 80) / 100)
    }

    /// Per-metric fractions from what an operator typed: `3`, `3%`, `ttft=5%` or `ttft:5`, in
    /// per cent; a bare number sets every metric, a named one that metric. Only the metrics
    /// given are in the answer.
    public static func percentages(_ texts: [String], option: String) throws -> [ComparedMetric: Double] {
        var values: [ComparedMetric: Double] = [:]
        for text in texts {
            let parts = text.split(whereSeparator: { $0 == "=" || $0 == ":" }).map(String.init)
            guard parts.count == 1 || parts.count == 2 else {
                throw InvalidSetting(description: "\(option) `\(text)`: expected PERCENT or METRIC=PERCENT")
            }
            let percent = try Self.percent(parts.last!, what: "\(option) `\(text)`", range: 0...100)
            if parts.count == 1 {
                for metric in ComparedMetric.allCases { values[metric] = percent / 100 }
            } else if let metric = ComparedMetric(name: parts[0]) {
                values[metric] = percent / 100
            } else {
                throw InvalidSetting(
                    description: "\(option) `\(text)`: no metric `\(parts[0])` (tok/s/gpu, tok/s/user, ttft)")
            }
        }
        return values
    }

    /// The settings as `effect` and `fdr` query parameters of the API's comparison routes.
    public var queryItems: [(String, String)] {
        effects.sorted { $0.key.rawValue < $1.key.rawValue }.map { ("effect", "\($0.key.rawValue):\($0.value * 100)") }
            + [("fdr", "\(falseDiscoveryRate * 100)"), ("power", "\(power * 100)")]
    }

    static func percent(_ text: String, what: String, range: ClosedRange<Double>) throws -> Double {
        let digits = text.hasSuffix("%") ? String(text.dropLast()) : text
        guard let value = Double(digits.trimmingCharacters(in: .whitespaces)) else {
            throw InvalidSetting(description: "\(what): `\(text)` is not a number of per cent")
        }
        return try check(value, what: what, range: range)
    }

    static func check(_ value: Double, what: String, range: ClosedRange<Double>) throws -> Double {
        guard value.isFinite, range.contains(value), value > 0 else {
            throw InvalidSetting(
                description: "\(what): \(value) % is outside \(range.lowerBound)–\(range.upperBound) %")
        }
        return value
    }
}
