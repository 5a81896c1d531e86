import Foundation

/// One axis of a chart: the span of values it shows, where a value falls on it, and its ticks.
///
/// Ticks fall on 1-2-5 steps (0, 200, 400 … on a linear axis; 0.1, 0.2, 0.5, 1 … on a log axis;
/// powers of two on a log2 axis) because readers interpolate between round numbers at a glance.
struct AxisScale {
    enum Kind {
        case linear
        /// For figures spanning decades: cost per million tokens, TTFT.
        case log10
        /// For concurrency, which sweeps double: 4, 8, 16 …
        case log2
    }

    let kind: Kind
    let lower: Double
    let upper: Double
    let ticks: [Double]

    /// Where a value falls: 0 at `lower`, 1 at `upper`.
    func fraction(_ value: Double) -> Double {
        switch kind {
        case .linear: return (value - lower) / (upper - lower)
        case .log10, .log2: return (log(value) - log(lower)) / (log(upper) - log(lower))
        }
    }

    /// Whether a value can be placed at all: a log axis has no place for zero or less.
    func canPlace(_ value: Double) -> Bool {
        value.isFinite && (kind == .linear || value > 0)
    }

    /// From zero (or the lowest value, if negative) to a round step above the highest, in four to
    /// eight steps. A zero baseline keeps the eye from exaggerating differences.
    static func linear(covering values: [Double]) -> AxisScale {
        let finite = values.filter(\.isFinite)
        let low = min(0, finite.min() ?? 0)
        let highest = finite.max() ?? 1
        // 4% headroom so the highest marker does not sit on the frame; an empty or flat axis gets 0…1.
        let high = highest > low ? low + (highest - low) * 1.04 : low + 1
        let step = niceStep((high - low) / 5)
        let firstIndex = Int((low / step).rounded(.down))
        let lastIndex = Int((high / step).rounded(.up))
        let ticks = (firstIndex...lastIndex).map { Double($0) * step }
        return AxisScale(kind: .linear, lower: ticks.first!, upper: ticks.last!, ticks: ticks)
    }

    /// Snapped out to 1-2-5 values around the positive values. Over two and a half decades or more
    /// only the powers of ten are ticked; within a narrow band, 1-1.5-2-3-5-7 so it still gets ticks.
    static func log10(covering values: [Double]) -> AxisScale {
        let positive = values.filter { $0 > 0 && $0.isFinite }
        var low = (positive.min() ?? 1) / 1.08
        var high = (positive.max() ?? 10) * 1.08
        if high / low < 1.5 {
            low /= 1.25
            high *= 1.25
        }
        // Judge the span on the data, not on the snapped ends, which can add most of a decade each.
        let decades = Foundation.log10(high / low)
        let ladders: [[Double]] = decades >= 2.5 ? [[1]] : [[1, 2, 5], [1, 1.5, 2, 3, 5, 7]]
        for mantissas in ladders {
            let lower = snapDown(low, to: mantissas)
            let upper = snapUp(high, to: mantissas)
            let ticks = rungs(from: lower, to: upper, mantissas: mantissas)
            if ticks.count >= 3 || mantissas == ladders.last {
                return AxisScale(kind: .log10, lower: lower, upper: upper, ticks: ticks)
            }
        }
        fatalError("the last ladder always answers")
    }

    /// Powers of two from below the lowest positive value to above the highest, with a little
    /// room beyond the end ticks; every other power when there would be more than nine.
    static func log2(covering values: [Double]) -> AxisScale {
        let positive = values.filter { $0 > 0 && $0.isFinite }
        var lowExponent = Int(Foundation.log2(positive.min() ?? 1).rounded(.down))
        var highExponent = Int(Foundation.log2(positive.max() ?? 2).rounded(.up))
        if lowExponent == highExponent {
            lowExponent -= 1
            highExponent += 1
        }
        let stride = highExponent - lowExponent > 8 ? 2 : 1
        let ticks = Swift.stride(from: lowExponent, through: highExponent, by: stride).map { pow(2, Double($0)) }
        return AxisScale(
            kind: .log2, lower: pow(2, Double(lowExponent)) / 1.3, upper: pow(2, Double(highExponent)) * 1.3,
            ticks: ticks)
    }

    /// 1, 2 or 5 times a power of ten: the round step nearest `raw` (Heckbert's "nice numbers").
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let power = pow(10, Foundation.log10(raw).rounded(.down))
        let fraction = raw / power
        let nice: Double = fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10
        return nice * power
    }

    /// The largest rung (mantissa × power of ten) at or below `value`.
    static func snapDown(_ value: Double, to mantissas: [Double]) -> Double {
        let exponent = Foundation.log10(value).rounded(.down)
        for power in [exponent, exponent - 1] {
            for mantissa in mantissas.reversed() where mantissa * pow(10, power) <= value * (1 + 1e-9) {
                return mantissa * pow(10, power)
            }
        }
        return pow(10, exponent - 1)
    }

    /// The smallest rung (mantissa × power of ten) at or above `value`.
    static func snapUp(_ value: Double, to mantissas: [Double]) -> Double {
        let exponent = Foundation.log10(value).rounded(.down)
        for power in [exponent, exponent + 1] {
            for mantissa in mantissas where mantissa * pow(10, power) >= value * (1 - 1e-9) {
                return mantissa * pow(10, power)
            }
        }
        return pow(10, exponent + 1)
    }

    /// Every rung from `lower` to `upper`, both included.
    static func rungs(from lower: Double, to upper: Double, mantissas: [Double]) -> [Double] {
        let first = Int(Foundation.log10(lower).rounded(.down))
        let last = Int(Foundation.log10(upper).rounded(.down))
        var values: [Double] = []
        for exponent in first...last {
            for mantissa in mantissas {
                let value = mantissa * pow(10, Double(exponent))
                if value >= lower * (1 - 1e-9), value <= upper * (1 + 1e-9) { values.append(value) }
            }
        }
        return values
    }
}
