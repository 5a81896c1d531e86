import Catalog
import Testing

@testable import Simulator

@Suite struct MemoryPlanTests {
    @Test func llama70B_fp8_on8H200_matchesTheHandComputedKVCache() throws {
        let catalog = try Catalog.builtIn()
        let deployment = Deployment(
            hardware: try catalog.hardware("H200-SXM"), model: try catalog.model("Llama-3.3-70B-Instruct"),
            precision: .fp8, tp: 8)
        let plan = try MemoryPlan(deployment: deployment, configuration: EngineConfiguration(gpuMemoryUtilization: 0.9))
        // usable per GPU  = 141e9 × 0.9                                   = 126,900,000,000 B
        // weights per GPU = 70.6e9 params × 1 B (FP8) / 8                 =   8,825,000,000 B
        // reserve         = 1 GiB + 8192 tokens × (8192 + 128256/8) × 4 B =   1,867,513,856 B
        // KV cache        = 126.9e9 − 8.825e9 − 1,867,513,856             = 116,207,486,144 B
        // per token       = 2 (K,V) × 80 layers × 1 KV head (8/8) × 128 × 1 B = 20,480 B
        // blocks          = ⌊116,207,486,144 / (16 × 20,480)⌋             = 354,637
        #expect(plan.weightBytesPerGPU == 8_825_000_000)
        #expect(plan.reserveBytesPerGPU == 1_867_513_856)
        #expect(plan.kvCacheBytesPerGPU == 116_207_486_144)
        #expect(plan.kvBytesPerToken == 20_480)
        #expect(plan.blocks == 354_637)
        #expect(plan.tokenCapacity == 5_674_192)
    }

    @Test func weightsThatDoNotFit_areRefusedWithTheArithmetic() throws {
        let catalog = try Catalog.builtIn()
        let deployment = Deployment(
            hardware: try catalog.hardware("H100-SXM"), model: try catalog.model("DeepSeek-R1-0528"), precision: .fp8,
            tp: 8)
        #expect {
            try MemoryPlan(deployment: deployment, configuration: .init())
        } throws: { error in
            let text = "\(error)"
            return text.contains("does not fit on 8× H100-SXM")
                && text.contains("weights 671.0 GB / 8 = 83.9 GB per GPU")
                && text.contains("0.9 × 80.0 GB = 72.0 GB usable")
        }
    }

    @Test func aKVCacheTooSmallForOneMaxLengthRequest_isRefused() throws {
        let catalog = try Catalog.builtIn()
        let deployment = Deployment(
            hardware: try catalog.hardware("H100-SXM"), model: try catalog.model("Llama-3.3-70B-Instruct"),
            precision: .fp8, tp: 1)
        #expect {
            try MemoryPlan(deployment: deployment, configuration: EngineConfiguration(gpuMemoryUtilization: 0.99))
        } throws: { error in
            "\(error)".contains("less than one max-length request of 131072 tokens")
                && "\(error)".contains("163840 bytes per token")
        }
        // A shorter max_model_len fits.
        #expect(throws: Never.self) {
            try MemoryPlan(
                deployment: deployment,
                configuration: EngineConfiguration(gpuMemoryUtilization: 0.99, maxModelLen: 4096))
        }
    }

    @Test func mla_isReplicatedAcrossTP_unlessAttentionIsDataParallel() throws {
        let catalog = try Catalog.builtIn()
        var deployment = Deployment(
            hardware: try catalog.hardware("MI325X"), model: try catalog.model("DeepSeek-R1-0528"), precision: .fp8,
            tp: 8)
        let replicated = try MemoryPlan(deployment: deployment, configuration: .init())
        #expect(replicated.kvBytesPerToken == 61 * 576)
        deployment.dpAttention = true
        let dataParallel = try MemoryPlan(deployment: deployment, configuration: .init())
        #expect(dataParallel.blocks == replicated.blocks * 8, "each GPU caches its own requests")
    }
}
