import Catalog
import Testing
import Wire

@testable import Simulator

/// The continuous-batching scheduler under random workloads, on a deployment small enough to
/// preempt often.
@Suite struct EngineCoreTests {
    /// A tiny model on a GPU with little memory: a few hundred KV blocks.
    static func tinyDeployment(hbmGB: Double) -> Deployment {
        let model = ModelSpec(
            name: "tiny", kind: .dense, parameters: 1e9, layers: 4, hidden: 256, heads: 4, headDimension: 64,
            attention: .gqa(kvHeads: 4), ffnIntermediate: 1024, vocabulary: 1000, maxContext: 4096)
        let hardware = HardwareSpec(
            name: "toy", vendor: .nvidia, generation: "hopper", hbmBytes: hbmGB * 1e9, hbmBytesPerSecond: 1e12,
            flopsPerSecond: [.bf16: 1e14], scaleUpBytesPerSecond: 1e11, scaleUpDomain: 8, tdpWatts: 100,
            allInKilowatts: 0.2,
            usdPerGPUHour: [:])
        return Deployment(hardware: hardware, model: model, precision: .bf16, tp: 1)
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func randomWorkload_respectsBudgets_losesNothing_andPreemptedRequestsFinish(seed: UInt64) throws {
        let configuration = EngineConfiguration(
            maxNumSeqs: 24, maxNumBatchedTokens: 512, gpuMemoryUtilization: 0.9, streamInterval: 1 + Int(seed % 3),
            maxModelLen: 2048)
        var engine = try EngineCore(deployment: Self.tinyDeployment(hbmGB: 3.5), configuration: configuration)
        #expect(engine.plan.blocks < 2000, "small enough to preempt: \(engine.plan.blocks) blocks")
        var generator = SeededGenerator(seed: seed)
        var expected: [Int: Int] = [:]
        var received: [Int: Int] = [:]
        var firsts: Set<Int> = []
        var finished: Set<Int> = []
        var preempted: Set<Int> = []
        var nextID = 0
        for _ in 0..<40 {
            let request = EngineRequest(
                id: nextID, promptTokens: .random(in: 1...1500, using: &generator),
                outputTokens: .random(in: 1...400, using: &generator))
            try engine.add(request)
            expected[request.id] = request.outputTokens
            nextID += 1
        }
        var steps = 0
        while let step = engine.step() {
            steps += 1
            #expect(step.shape.tokens <= configuration.maxNumBatchedTokens)
            #expect(step.running <= configuration.maxNumSeqs)
            #expect(step.freeBlocks >= 0 && step.freeBlocks <= engine.plan.blocks)
            #expect(!step.shape.isEmpty, "every step does work")
            preempted.formUnion(step.preempted)
            for release in step.releases {
                #expect(!finished.contains(release.requestID), "nothing after the last token")
                #expect(release.tokens <= configuration.streamInterval || release.isLast)
                if release.isFirst { #expect(firsts.insert(release.requestID).inserted, "one first token") }
                received[release.requestID, default: 0] += release.tokens
                if release.isLast { finished.insert(release.requestID) }
            }
            // Keep arriving while it runs, so admission and preemption interleave.
            if steps % 7 == 0 && nextID < 80 {
                let request = EngineRequest(
                    id: nextID, promptTokens: .random(in: 1...1500, using: &generator),
                    outputTokens: .random(in: 1...400, using: &generator))
                try engine.add(request)
                expected[request.id] = request.outputTokens
                nextID += 1
            }
            if steps > 200_000 { Issue.record("did not drain"); break }
        }
        #expect(received == expected, "every request got exactly its tokens, none lost or duplicated")
        #expect(finished.count == expected.count)
        #expect(engine.freeBlocks == engine.plan.blocks, "every block returned")
        #expect(!preempted.isEmpty, "the workload was heavy enough to preempt")
        #expect(preempted.isSubset(of: finished), "preempted requests resumed and finished")
    }

    @Test func mostRecentlyAdmitted_isPreemptedFirst() throws {
        let configuration = EngineConfiguration(maxNumSeqs: 8, maxNumBatchedTokens: 4096, maxModelLen: 6000)
        var engine = try EngineCore(deployment: Self.tinyDeployment(hbmGB: 3.5), configuration: configuration)
        let capacity = engine.plan.tokenCapacity
        // Three requests whose growth overflows the cache.
        for id in 0..<3 { try engine.add(EngineRequest(id: id, promptTokens: capacity / 3 - 32, outputTokens: 600)) }
        var firstPreempted: Int?
        while let step = engine.step(), firstPreempted == nil { firstPreempted = step.preempted.first }
        #expect(firstPreempted == 2)
    }

    @Test func streamInterval_chunksTokens_afterAnImmediateFirstToken() throws {
        let configuration = EngineConfiguration(streamInterval: 10, maxModelLen: 2048)
        var engine = try EngineCore(deployment: Self.tinyDeployment(hbmGB: 10), configuration: configuration)
        try engine.add(EngineRequest(id: 0, promptTokens: 100, outputTokens: 25))
        var chunks: [Int] = []
        while let step = engine.step() { chunks += step.releases.map(\.tokens) }
        #expect(chunks == [1, 10, 10, 4])
    }

    @Test func tooLongARequest_isRefused() throws {
        var engine = try EngineCore(
            deployment: Self.tinyDeployment(hbmGB: 10), configuration: EngineConfiguration(maxModelLen: 1024))
        #expect { try engine.add(EngineRequest(id: 7, promptTokens: 1000, outputTokens: 100)) } throws: {
            "\($0)".contains("request 7: 1000 prompt + 100 output tokens exceeds max_model_len 1024")
        }
    }
}
