import Testing
import Wire

@testable import Results

@Suite struct MetricsTests {
    @Test func statistics_matchNumpysLinearPercentiles_andPopulationStd() {
        let statistics = Statistics([4, 1, 3, 2])
        #expect(statistics.median == 2.5)
        #expect(abs(statistics.p90 - 3.7) < 1e-12)  // numpy.percentile([1,2,3,4], 90)
        #expect(abs(statistics.p99 - 3.97) < 1e-12)
        #expect(abs(statistics.std - 1.118033988749895) < 1e-12)  // numpy.std, ddof=0
        #expect(Statistics([]).mean.isNaN)
    }

    static func record(
        _ id: Int, start: Double, ttft: Double, end: Double, output: Int, input: Int = 100, error: String? = nil,
        asked: Int? = nil
    ) -> RequestRecord {
        RequestRecord(
            requestID: id, start: start, firstToken: start + ttft, lastToken: end, inputTokens: input,
            outputTokens: output,
            interTokenGaps: [], requestedOutputTokens: asked, error: error)
    }

    @Test func requestRecord_tpotAndPerTokenGaps() {
        var record = Self.record(0, start: 10, ttft: 0.5, end: 12.5, output: 21)
        #expect(record.tpot == 0.1)  // (2.5 − 0.5) / 20
        #expect(Self.record(1, start: 0, ttft: 1, end: 1, output: 1).tpot == nil)
        record.interTokenGaps = [0.2, 0.5]
        record.chunkTokens = [2, 10]
        #expect(record.perTokenGaps == [0.1, 0.05])
    }

    @Test func pointSummary_onHandMadeRecords() {
        let records = [
            Self.record(0, start: 0, ttft: 1, end: 5, output: 41),
            Self.record(1, start: 1, ttft: 2, end: 9, output: 61),
            Self.record(2, start: 2, ttft: 1, end: 10, output: 81),
            Self.record(3, start: 3, ttft: 0, end: 3, output: 0, error: "HTTP 500"),
        ]
        let summary = PointSummary(records: records, gpus: 2, objectives: ServiceLevelObjectives(ttft: 1.5))
        #expect(summary.sent == 4)
        #expect(summary.completed == 3)
        #expect(summary.failed == 1)
        #expect(summary.duration == 10)
        #expect(summary.outputThroughput == 18.3)  // 183 tokens / 10 s
        #expect(summary.totalTokenThroughput == 48.3)  // (300 + 183) / 10 s
        #expect(summary.tokensPerSecondPerGPU == 24.15)
        #expect(summary.ttft.mean == 4.0 / 3)
        #expect(summary.tpot.median == 0.1)  // 0.1, 0.1, 0.0875 → sorted [0.0875, 0.1, 0.1]
        #expect(summary.interactivity == 10)
        #expect(summary.goodput == 0.2)  // requests 0 and 2 meet TTFT ≤ 1.5 s; per 10 s
        #expect(summary.sloAttainment == 0.5)  // 2 of 4 sent
        #expect(summary.achievedConcurrency == 2.1)  // (5 + 8 + 8) / 10
        #expect(summary.peakConcurrency == 3)
    }

    @Test func validity_namesEveryReason() {
        let records =
            (0..<98).map { Self.record($0, start: 0, ttft: 0.1, end: 1, output: 100, asked: 100) }
            + [
                Self.record(98, start: 0, ttft: 0.1, end: 1, output: 60, asked: 100),
                Self.record(99, start: 0, ttft: 0, end: 0, output: 0, error: "connection reset"),
                Self.record(100, start: 0, ttft: 0, end: 0, output: 0, error: "timeout"),
            ]
        let validity = PointValidity(
            records: records,
            observations: .init(
                requested: 101, clientSaturation: "event-loop lag 40 ms", engineFailure: "exit code 137",
                powerTelemetryMissing: true))
        #expect(!validity.isValid)
        #expect(
            validity.reasons == [
                "2 of 101 requests failed (more than 1 %); first: connection reset",
                "1 outputs shorter than asked with ignore_eos: the server ignored it",
                "99 of 101 requests finished",
                "client self-check: event-loop lag 40 ms",
                "engine failed during the point: exit code 137",
                "power telemetry expected and missing",
            ])
        let clean = PointValidity(records: Array(records.prefix(98)), observations: .init(requested: 98))
        #expect(clean.isValid)
    }

    @Test func benchmarkResult_usesVLLMFieldNames() {
        let records = [
            Self.record(0, start: 0, ttft: 0.25, end: 2.25, output: 21),
            Self.record(1, start: 0, ttft: 0.75, end: 2.75, output: 21),
        ]
        let summary = PointSummary(records: records, gpus: 1)
        let json = BenchmarkResult.json(
            summary: summary, records: records,
            validity: PointValidity(records: records, observations: .init(requested: 2)),
            settings: .init(date: "20261129-120000", backend: "openai", model: "m", maxConcurrency: 2, requestRate: nil)
        )
        #expect(json["completed"] == .number(2))
        #expect(json["mean_ttft_ms"] == .number(500))
        #expect(json["median_tpot_ms"] == .number(100))
        #expect(json["request_rate"] == .string("inf"))
        #expect(json["ttfts"] == .array([.number(0.25), .number(0.75)]))
        #expect(json["p99.9_e2el_ms"] != nil)
        #expect(json["sweepline"]?["valid"] == .bool(true))
    }

    @Test func frontier_keepsTheUndominated_andInterpolates() {
        let frontier = Frontier([
            .init(interactivity: 10, throughput: 1000), .init(interactivity: 20, throughput: 800),
            .init(interactivity: 15, throughput: 700),
            .init(interactivity: 40, throughput: 300), .init(interactivity: 5, throughput: 900),
        ])
        #expect(frontier.points.map(\.interactivity) == [10, 20, 40])
        #expect(frontier.throughput(atInteractivity: 15) == 900)
        #expect(frontier.throughput(atInteractivity: 30) == 550)
        #expect(frontier.throughput(atInteractivity: 50) == nil)
    }
}
