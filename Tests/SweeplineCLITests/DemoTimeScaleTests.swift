import OffThePool
import Testing
import Wire

@testable import SweeplineCLI

@Suite struct DemoTimeScaleTests {
    static func record(_ id: Int, start: Double, first: Double, last: Double, tokens: Int) -> RequestRecord {
        RequestRecord(
            requestID: id, start: start, firstToken: first, lastToken: last, inputTokens: 128, outputTokens: tokens,
            interTokenGaps: [])
    }

    @Test func thePeak_countsTheFirstToken_andSpreadsTheChunksOverTheDecode() {
        // 161 tokens in chunks of 16: the first token, then 10 chunks over one second. The point
        // lasts one second, cut into 20 stretches of 50 ms: the first holds both first tokens and
        // half a chunk of each request.
        let records = [
            Self.record(0, start: 0, first: 0, last: 1, tokens: 161),
            Self.record(1, start: 0, first: 0, last: 1, tokens: 161),
        ]
        let peak = DemoTimeScale.peakEventsPerSecond(records, streamInterval: 16)
        #expect(abs(peak - 3 / 0.05) < 1e-9, "\(peak)")
    }

    @Test func thePeak_isTheBusiestStretch_notTheMean() {
        // One long request and a burst of short ones in the last tenth of the point.
        var records = [Self.record(0, start: 0, first: 0.1, last: 10, tokens: 17)]
        for id in 1...10 { records.append(Self.record(id, start: 9.5, first: 9.6, last: 9.7, tokens: 33)) }
        let peak = DemoTimeScale.peakEventsPerSecond(records, streamInterval: 16)
        // The stretch 9.5–10 s holds the ten bursts (3 events each) and a little of the long one.
        #expect(peak > 30 / 0.5 && peak < 31 / 0.5, "\(peak)")
        let failed = RequestRecord(
            requestID: 11, start: 0, firstToken: 0, lastToken: 0, inputTokens: 1, outputTokens: 0, interTokenGaps: [],
            error: "refused")
        #expect(DemoTimeScale.peakEventsPerSecond([failed], streamInterval: 16) == 0)
    }

    @Test func theScale_keepsTheBusiestPointWithinTheBudget() {
        let quiet = [Self.record(0, start: 0, first: 0, last: 1, tokens: 161)]
        // 1.5 events in 50 ms at most: 30 a second, which the cap holds at 400×.
        #expect(DemoTimeScale(points: [quiet], streamInterval: 16).scale == DemoTimeScale.fastest)
        let busy = (0..<1000).map { Self.record($0, start: 0, first: 0, last: 1, tokens: 161) }
        let scale = DemoTimeScale(points: [quiet, busy], streamInterval: 16)
        #expect(abs(scale.peakEventsPerSecond - 30_000) < 1e-6)
        #expect(scale.scale == 1, "25,000 events a second at most: even real time is over it")
        let middling = Array(busy.prefix(10))
        #expect(DemoTimeScale(points: [middling], streamInterval: 16).scale == (25_000.0 / 300).rounded(.down))
    }

    /// The jobs of one deployment of the demo, scaled: Llama-3.3-70B on one H200, its heaviest.
    /// Computed once, on a thread of its own: it is seconds of CPU in a debug build (the whole
    /// grid, a minute), and run on the test pool it held both of its threads (two tests waiting
    /// on one static) while every other test of the suite stood still.
    static let sampled = Task {
        try await offThePool {
            let sample = DemoCommand.grid(timeScale: 1).filter {
                $0.model == "Llama-3.3-70B-Instruct" && $0.gpu == "H200-SXM" && $0.tp == 1
            }
            return try DemoCommand.scaled(sample, streamInterval: 16, promptsPerConcurrency: 2)
        }
    }

    @Test func everyJob_streamsWithinTheBudget_andPrefillHeavyOnesRunFaster() async throws {
        #expect(DemoCommand.grid(timeScale: 1).count == 96, "24 deployments, two scenarios, two bands each")
        let deployments = try await Self.sampled.value
        #expect(deployments.count == 4)
        for deployment in deployments {
            let scale = deployment.timeScale
            #expect(scale.scale >= 1 && scale.scale <= DemoTimeScale.fastest)
            #expect(scale.peakEventsPerSecond > 0)
            #expect(
                scale.peakEventsPerSecond * scale.scale <= DemoTimeScale.eventBudget * 1.001 || scale.scale == 1,
                "\(deployment.model) \(deployment.gpu) tp\(deployment.tp): \(Int(scale.peakEventsPerSecond)) events/s")
        }
        // 8k/1k spends its time in prefill, streaming fewer events a second than 1k/1k: it may
        // run faster. That is where the old decode-rate prediction wasted most of the demo's time.
        for long in deployments where long.scenario.isl == 8192 {
            let short = deployments.first {
                $0.model == long.model && $0.tp == long.tp && $0.scenario.isl == 1024
                    && $0.concurrencies == long.concurrencies
            }!
            #expect(long.timeScale.scale >= short.timeScale.scale, "\(long.model) \(long.gpu) tp\(long.tp)")
        }
        let llamaOnH200 = deployments.filter { $0.model == "Llama-3.3-70B-Instruct" && $0.concurrencies.last == 256 }
        #expect(llamaOnH200.map(\.scenario.isl) == [1024, 8192])
        #expect(llamaOnH200[1].timeScale.scale > 2 * llamaOnH200[0].timeScale.scale, "8k/1k against 1k/1k")
    }

    @Test func theLowConcurrencyBand_runsAtLeastAsFast() async throws {
        let deployments = try await Self.sampled.value
        for high in deployments where high.concurrencies.last == 256 {
            let low = deployments.first {
                $0.model == high.model && $0.scenario == high.scenario && $0.concurrencies.last == 32
            }!
            #expect(low.timeScale.scale >= high.timeScale.scale)
        }
    }

    @Test func aFixedScale_isUsedForEveryJob() throws {
        let deployments = try DemoCommand.deployments(timeScale: 160, streamInterval: 16, promptsPerConcurrency: 2)
        #expect(deployments.allSatisfy { $0.timeScale.scale == 160 })
        let file = DemoCommand.sweepFile(
            virtual: false, deployments: deployments, streamInterval: 16, promptsPerConcurrency: 2)
        #expect(file.components(separatedBy: "timeScale: 160,").count - 1 == 96)
        #expect(file.contains("concurrency: [4, 8, 16, 32]") && file.contains("concurrency: [64, 128, 256]"))
        #expect(file.contains("scenarios: [{isl: 8192, osl: 1024}]"))
    }
}
