import Foundation
import Testing
import Wire

@testable import Results

@Suite struct SweepComparisonTests {
    /// A closed-loop point of `concurrency` users, each sending `perUser` requests one after
    /// another, with TTFT and TPOT drawn around the given medians (log-normal, `spread` its σ):
    /// the records the coordinator would aggregate, so the intervals are the real ones.
    static func point(
        _ key: String, seed: UInt64, concurrency: Int = 8, perUser: Int = 8, ttft: Double = 0.2, tpot: Double = 0.02,
        spread: Double = 0.05, repeatIndex: Int = 0, valid: Bool = true
    ) -> PointResult {
        var random = SeededGenerator(seed: seed)
        func normal() -> Double {
            let u = (Double(random.next() % 1_000_000) + 0.5) / 1_000_000
            let v = (Double(random.next() % 1_000_000) + 0.5) / 1_000_000
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
        var records: [RequestRecord] = []
        for user in 0..<concurrency {
            var clock = 0.0
            for _ in 0..<perUser {
                let first = ttft * exp(spread * normal())
                let perToken = tpot * exp(spread * normal())
                let record = RequestRecord(
                    requestID: records.count, start: clock, firstToken: clock + first,
                    lastToken: clock + first + perToken * 99, inputTokens: 1000 + user, outputTokens: 100,
                    interTokenGaps: [])
                records.append(record)
                clock = record.lastToken
            }
        }
        // The order-statistic intervals only: the bootstraps are PointIntervals' to test
        // (UncertaintyTests), and drawing them for hundreds of points would starve the fleet
        // tests that share these cores.
        var intervals = PointIntervals(records: [], gpus: 1)
        intervals.sampleSize = records.count
        intervals.medianTTFTMilliseconds = MedianInterval.of(records.map { $0.ttft * 1000 }.sorted())
        intervals.medianTPOTMilliseconds = MedianInterval.of(records.compactMap(\.tpot).map { $0 * 1000 }.sorted())
        intervals.interactivity = intervals.medianTPOTMilliseconds.map {
            ConfidenceInterval(lower: 1000 / $0.upper, upper: 1000 / $0.lower)
        }
        let figures = PointFigures(PointSummary(records: records, gpus: 1), intervals: intervals)
        return PointResult(
            sweepID: "s", sweepName: "s", pointKey: key, repeatIndex: repeatIndex,
            deployment: DeploymentKey(
                model: "m", engine: "sim", precision: "fp8", hardware: "H200-SXM", gpus: 1, tp: 1),
            inputLength: 1000, outputLength: 100, concurrency: concurrency, requestRate: nil, figures: figures,
            economics: nil, invalidReasons: valid ? [] : ["client saturated"],
            provenance: Provenance(
                jobID: "j", attempt: 1, agentID: nil, gpus: nil, engine: nil, clientVersion: nil, seed: seed,
                measuredAt: nil))
    }

    /// Many points, one at a time with a yield between: these tests share the cooperative
    /// threads with fleet tests that must keep polling their processes.
    static func points(
        _ count: Int, seedOffset: UInt64, perUser: Int = 8, tpot: Double = 0.02, spread: Double = 0.05
    ) async -> [PointResult] {
        var points: [PointResult] = []
        for index in 0..<count {
            points.append(
                point("p\(index)", seed: UInt64(index) + seedOffset, perUser: perUser, tpot: tpot, spread: spread))
            await Task.yield()
        }
        return points
    }

    @Test func benjaminiHochberg_matchesRsPAdjust() {
        // p.adjust(c(0.01, 0.04, 0.03, 0.005), "BH") in R.
        let adjusted = FalseDiscoveryRate.adjusted([0.01, 0.04, 0.03, 0.005])
        for (value, expected) in zip(adjusted, [0.02, 0.04, 0.04, 0.02]) { #expect(abs(value - expected) < 1e-12) }
        #expect(FalseDiscoveryRate.adjusted([]).isEmpty)
        #expect(FalseDiscoveryRate.adjusted([0.9, 0.5]) == [0.9, 0.9])
    }

    @Test func normalQuantile_invertsTheCDF() {
        #expect(abs(NormalDistribution.quantile(0.975) - 1.959963984540054) < 1e-9)
        #expect(abs(NormalDistribution.quantile(0.8) - 0.8416212335729143) < 1e-9)
        for p in [1e-8, 0.001, 0.3, 0.5, 0.9, 0.999999] {
            #expect(abs(NormalDistribution.cdf(NormalDistribution.quantile(p)) - p) < 1e-9 * max(1, p / 1e-8))
        }
        #expect(abs(NormalDistribution.twoSidedP(1.959963984540054) - 0.05) < 1e-12)
    }

    /// 60 unchanged points, every request drawn afresh: at a 5 % false-discovery rate none
    /// may come out a regression (under the complete null, BH holds the chance of any false
    /// discovery at 5 %, and these seeds are fixed).
    @Test func twoDrawsOfTheSamePoints_flagNothing() async {
        let a = await Self.points(60, seedOffset: 0, perUser: 16)
        let b = await Self.points(60, seedOffset: 10_000, perUser: 16)
        let comparison = SweepComparison(baseline: a, candidate: b)
        #expect(comparison.rows.count == 60 && comparison.tests == 120, "TTFT and tok/s/user")
        #expect(comparison.count(.regression) == 0 && comparison.count(.improvement) == 0)
        // 128 requests with a 5 % spread resolve a 3 % change of tok/s/user: nearly every point
        // can say "no change"; the rest, whose intervals came out wide, "insufficient data".
        #expect(comparison.rows.filter { $0.metric(.interactivity)!.verdict == .noChange }.count > 54)
    }

    /// The A/B the plan is for: from an earlier run of 64 requests a point, the plan says how
    /// many a 5 % change needs; at that many, a 5 % slower TPOT is flagged at every point and a
    /// 1 % one at none.
    @Test func atThePlannedSampleSize_aFivePercentSlowerTPOT_isFlaggedEverywhere_andOnePercentNowhere() async throws {
        let plan = try #require(SampleSizePlan(earlier: [Self.point("p", seed: 99, spread: 0.05)]))
        let needed = try #require(plan.needs.first { $0.metric == .interactivity }?.requests)
        #expect(plan.measuredRequests == 64 && needed > 64 && needed < 1000, "\(needed)")
        let perUser = (needed + 7) / 8
        let a = await Self.points(12, seedOffset: 0, perUser: perUser)
        let slower = await Self.points(12, seedOffset: 500, perUser: perUser, tpot: 0.021)
        let slightly = await Self.points(12, seedOffset: 900, perUser: perUser, tpot: 0.0202)
        let flagged = SweepComparison(baseline: a, candidate: slower)
        #expect(flagged.regressions.count == 12, "\(flagged.rows.map(\.verdict))")
        #expect(flagged.rows.allSatisfy { $0.regressions.contains(.interactivity) })
        let row = flagged.rows[0].metric(.interactivity)!
        #expect(abs(row.change - (1 / 1.05 - 1)) < 0.015 && row.changeInterval!.contains(row.change))
        #expect(row.qValue! <= 0.05 && row.minimumDetectableEffect! < 0.03)
        let unflagged = SweepComparison(baseline: a, candidate: slightly)
        #expect(unflagged.regressions.isEmpty, "\(unflagged.rows.map(\.verdict))")
        #expect(unflagged.rows.allSatisfy { $0.metric(.interactivity)!.verdict == .noChange })
    }

    @Test func aPlanCannotPromiseAChangeNoLargerThanTheEffect() throws {
        let plan = try #require(
            SampleSizePlan(earlier: [Self.point("p", seed: 1)], detect: [.interactivity: 0.03, .medianTTFT: 0.2]))
        #expect(plan.needs.first { $0.metric == .interactivity }!.requests == nil)
        #expect(plan.needs.first { $0.metric == .medianTTFT }!.requests != nil)
        #expect(SampleSizePlan(earlier: [Self.point("p", seed: 1, valid: false)]) == nil)
        // Runs 20 % apart beyond their requests: no request count catches 10 %, repeats do.
        let noisy = try #require(
            SampleSizePlan(
                earlier: [Self.point("p", seed: 1)], runToRunNoise: [.medianTTFT: 0.2, .interactivity: 0.001]))
        let ttft = noisy.needs.first { $0.metric == .medianTTFT }!
        #expect(ttft.requests == nil && (ttft.repeats ?? 0) >= 4, "\(ttft)")
        #expect(noisy.needs.first { $0.metric == .interactivity }!.requests != nil)
    }

    @Test func aPointWithTooFewRequests_isInsufficientData_notNoChange() {
        // Five requests: no interval at all. Twelve: an interval far wider than 3 %.
        let five = SweepComparison(
            baseline: [Self.point("p", seed: 1, concurrency: 1, perUser: 5)],
            candidate: [Self.point("p", seed: 2, concurrency: 1, perUser: 5, tpot: 0.021)])
        #expect(five.rows[0].verdict == .insufficientData && five.rows[0].metrics.allSatisfy { $0.pValue == nil })
        let twelve = SweepComparison(
            baseline: [Self.point("p", seed: 1, concurrency: 2, perUser: 6)],
            candidate: [Self.point("p", seed: 2, concurrency: 2, perUser: 6, tpot: 0.0205)])
        #expect(twelve.rows[0].verdict == .insufficientData)
        #expect(twelve.rows[0].metric(.interactivity)!.minimumDetectableEffect! > 0.03)
        // A change far beyond its noise is a regression however few the requests.
        let huge = SweepComparison(
            baseline: [Self.point("p", seed: 1, concurrency: 2, perUser: 6)],
            candidate: [Self.point("p", seed: 2, concurrency: 2, perUser: 6, tpot: 0.04)])
        #expect(huge.rows[0].regressions == [.interactivity])
    }

    @Test func repeatsArePooled_andTheirDisagreementWidensTheError() {
        let one = PooledEstimate([Self.point("p", seed: 1)], metric: .interactivity)
        let two = PooledEstimate(
            [Self.point("p", seed: 1), Self.point("p", seed: 2, repeatIndex: 1)], metric: .interactivity)
        #expect(two.repeats == 2 && two.requests == 128)
        #expect(two.logStandardError! < one.logStandardError!, "two agreeing repeats know more than one")
        let disagreeing = PooledEstimate(
            [Self.point("p", seed: 1), Self.point("p", seed: 2, tpot: 0.03, repeatIndex: 1)], metric: .interactivity)
        #expect(disagreeing.logStandardError! > 3 * one.logStandardError!, "repeats 40 % apart are not one figure")
    }

    @Test func invalidAndUnmatchedPoints_areNotCompared() {
        let comparison = SweepComparison(
            baseline: [Self.point("p1", seed: 1), Self.point("p2", seed: 2), Self.point("p3", seed: 3, valid: false)],
            candidate: [Self.point("p1", seed: 4), Self.point("p3", seed: 5), Self.point("p4", seed: 6)])
        #expect(comparison.rows.map(\.pointKey) == ["p1"])
        #expect(comparison.unmatched == ["p2", "p3", "p4"])
    }

    /// Differences spread by the requests' noise and by ω = 20 % more: the estimate finds ω;
    /// a shift every point shares is not taken for noise; too few points, no estimate.
    @Test func runToRunNoise_isMeasuredAroundTheMedianChange() {
        var random = SeededGenerator(seed: 5)
        func normal() -> Double {
            let u = (Double(random.next() % 1_000_000) + 0.5) / 1_000_000
            let v = (Double(random.next() % 1_000_000) + 0.5) / 1_000_000
            return (-2 * log(u)).squareRoot() * cos(2 * .pi * v)
        }
        let variances = (0..<200).map { 0.0001 * Double(1 + $0 % 5) }
        let noisy = variances.map { (change: ($0 + 0.04).squareRoot() * normal(), variance: $0) }
        let omega = RunToRunNoise.variance(noisy)!.squareRoot()
        #expect(abs(omega - 0.2) < 0.03, "\(omega)")
        let shifted = variances.map { (change: -0.05 + $0.squareRoot() * normal(), variance: $0) }
        #expect(RunToRunNoise.variance(shifted)! < 0.0001, "a shared shift is a change, not noise")
        #expect(RunToRunNoise.variance(Array(noisy.prefix(9))) == nil)
    }

    @Test func settings_parseWhatAnOperatorTypes_andRefuseTheRest() throws {
        let settings = try ComparisonSettings.parsing(
            effects: ["2", "ttft=10%", "tok/s/user:1.5"], falseDiscoveryRatePercent: 1)
        #expect(settings.effect(.tokensPerSecondPerGPU) == 0.02)
        #expect(settings.effect(.medianTTFT) == 0.1 && settings.effect(.interactivity) == 0.015)
        #expect(settings.falseDiscoveryRate == 0.01)
        let defaults = ComparisonSettings()
        #expect(defaults.effect(.medianTTFT) == 0.05 && defaults.effect(.interactivity) == 0.03)
        for bad in ["fast", "latency=3", "ttft=-1", "ttft=200", "a=b=c", "nan"] {
            #expect(throws: ComparisonSettings.InvalidSetting.self) { try ComparisonSettings.parsing(effects: [bad]) }
        }
        #expect(throws: ComparisonSettings.InvalidSetting.self) {
            try ComparisonSettings.parsing(effects: [], falseDiscoveryRatePercent: 0)
        }
        // The query the CLI sends reads back as the same settings.
        let query = settings.queryItems
        let back = try ComparisonSettings.parsing(
            effects: query.filter { $0.0 == "effect" }.map(\.1),
            falseDiscoveryRatePercent: Double(query.first { $0.0 == "fdr" }!.1),
            powerPercent: Double(query.first { $0.0 == "power" }!.1))
        #expect(back == settings)
    }
}
