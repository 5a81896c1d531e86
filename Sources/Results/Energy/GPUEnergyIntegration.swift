import Wire

/// How one GPU's energy over a point's window comes from its power samples.
///
/// The method is InferenceX's (SemiAnalysisAI/InferenceX `utils/aggregate_power.py`,
/// "per_device_trapezoidal_with_linear_boundary_interpolation"), so the two report the same
/// joules from the same samples:
///
/// ```
///  W │        ●───●
///    │   ●───╱     ╲        ●      ● samples, linear between them
///    │  ╱            ╲───●─╱       ○ interpolated at the window's edges
///    ○─╱                    ╲○
///    │ │                      │
///    └─┴──────────────────────┴──→ t
///      start                  end     joules = area between start and end (trapezoids)
/// ```
///
/// - Samples at the same instant are averaged first (amd-smi stamps whole seconds).
/// - The window must be bracketed: a sample at or before `start` and one at or after `end`.
///   Nothing is extrapolated; a sampler must start before the point and stop after it.
/// - No gap between the samples used may exceed `maximumGap` (InferenceX's default is
///   3 s at 1 Hz sampling): across a longer gap the straight line is a guess.
///
/// A GPU that fails any of these is reported missing with the reason, never as zero watts.
extension GPUEnergy {
    /// Integrates one GPU's power over `[start, end]` (seconds, the samples' basis).
    ///
    /// - Parameter readings: this GPU's `(time, watts)` readings, in any order.
    public static func integrate(
        gpu: Int, readings: [(time: Double, watts: Double)], start: Double, end: Double, maximumGap: Double = 3
    ) -> Result<GPUEnergy, MissingGPUPower> {
        func missing(_ reason: String) -> Result<GPUEnergy, MissingGPUPower> {
            .failure(MissingGPUPower(gpu: gpu, reason: reason))
        }
        guard start.isFinite, end.isFinite, end > start else {
            return missing("the window [\(start), \(end)] is empty")
        }
        let points = averagedByInstant(readings)
        guard points.count >= 2 else {
            return missing("\(points.count) power sample\(points.count == 1 ? "" : "s"); at least 2 are needed")
        }
        // The last sample at or before start, and the first at or after end.
        guard let first = points.lastIndex(where: { $0.time <= start }),
            let last = points.firstIndex(where: { $0.time >= end })
        else {
            return missing(
                "samples cover \(points[0].time)…\(points[points.count - 1].time), "
                    + "which does not bracket the window \(start)…\(end)")
        }
        let used = points[first...last]
        let largestGap = zip(used, used.dropFirst()).map { $1.time - $0.time }.max() ?? 0
        guard largestGap <= maximumGap else {
            return missing("a \(largestGap) s gap between samples (more than \(maximumGap) s)")
        }
        // Knots: the interpolated edges and every sample strictly inside the window.
        var knots = [(time: start, watts: interpolate(used, at: start))]
        knots += used.filter { $0.time > start && $0.time < end }
        knots.append((time: end, watts: interpolate(used, at: end)))
        let joules = zip(knots, knots.dropFirst()).reduce(0.0) { sum, pair in
            sum + (pair.1.time - pair.0.time) * (pair.0.watts + pair.1.watts) / 2
        }
        return .success(
            GPUEnergy(
                gpu: gpu, joules: joules, meanWatts: joules / (end - start), samples: used.count,
                largestGapSeconds: largestGap))
    }

    /// Sorted by time, one point per instant (the mean of readings stamped alike).
    static func averagedByInstant(_ readings: [(time: Double, watts: Double)]) -> [(time: Double, watts: Double)] {
        var sums: [Double: (total: Double, count: Int)] = [:]
        for reading in readings where reading.time.isFinite && reading.watts.isFinite {
            sums[reading.time, default: (0, 0)].total += reading.watts
            sums[reading.time, default: (0, 0)].count += 1
        }
        return sums.map { (time: $0.key, watts: $0.value.total / Double($0.value.count)) }.sorted { $0.time < $1.time }
    }

    /// Linear between the two samples around `time`, which `points` brackets.
    static func interpolate(_ points: ArraySlice<(time: Double, watts: Double)>, at time: Double) -> Double {
        guard let after = points.firstIndex(where: { $0.time >= time }) else {
            return points[points.endIndex - 1].watts
        }
        let right = points[after]
        if right.time == time || after == points.startIndex { return right.watts }
        let left = points[after - 1]
        return left.watts + (right.watts - left.watts) * (time - left.time) / (right.time - left.time)
    }
}
