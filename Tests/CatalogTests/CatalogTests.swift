import Testing

@testable import Catalog

@Suite struct CatalogTests {
    @Test func builtInCatalogs_holdTheRequiredGPUsAndModels() throws {
        let catalog = try Catalog.builtIn()
        #expect(
            Set(catalog.hardware.keys) == [
                "H100-SXM", "H200-SXM", "B200-HGX", "GB200-NVL72", "MI300X", "MI325X", "MI355X",
            ])
        #expect(Set(catalog.models.keys) == ["Llama-3.3-70B-Instruct", "DeepSeek-R1-0528", "gpt-oss-120b"])
        let h200 = try catalog.hardware("H200-SXM")
        #expect(h200.hbmBytes == 141e9)
        #expect(h200.flopsPerSecond[.fp8] == 1979e12)
        #expect(h200.flopsPerSecond[.fp4] == nil)
        let deepseek = try catalog.model("DeepSeek-R1-0528")
        #expect(abs(deepseek.activeParameters / 1e9 - 37.5) < 0.5, "37 B active, from the expert fields")
        let gptOSS = try catalog.model("gpt-oss-120b")
        // MXFP4 experts (4.25 bits) and BF16 for the rest: about 65 GB.
        #expect(abs(gptOSS.weightBytes(.fp4) / 1e9 - 65.2) < 0.5)
    }

    @Test(arguments: [
        (
            "hardware:\n  X1:\n    vendor: nvidia\n    generation: hopper\n    hbm_gbb: 80\n",
            "user.yaml:5:5: hardware.X1: unknown field `hbm_gbb`; did you mean `hbm_gb`?"
        ),
        ("hardware:\n  X1:\n    vendor: intel\n", "user.yaml:3:13: hardware.X1.vendor: expected nvidia or amd"),
        (
            "hardware:\n  X1:\n    vendor: nvidia\n    generation: hopper\n    tflops: {bf16: 1}\n",
            "user.yaml:3:5: hardware.X1: `hbm_gb` is required"
        ),
        (
            "models:\n  M:\n    kind: dense\n    params_b: 1\n    layers: 2\n    hidden: 64\n    heads: 4\n    vocab: 100\n    max_context: 4096\n",
            "user.yaml:3:5: models.M: `kv_heads` is required"
        ),
        (
            "models:\n  M:\n    kind: moe\n    params_b: 10\n    active_params_b: 5\n    layers: 2\n    hidden: 64\n    heads: 4\n    kv_heads: 4\n    vocab: 100\n    max_context: 4096\n    routed_experts: 8\n    experts_per_token: 2\n    expert_intermediate: 64\n",
            "user.yaml:5:22: models.M.active_params_b: 5.0 B stated, but the expert fields give 10.0 B"
        ),
        ("gpus: []\n", "user.yaml:1:1: the catalog: unknown field `gpus`"),
    ])
    func badEntries_nameTheFileEntryAndField(text: String, expected: String) {
        var catalog = Catalog()
        #expect {
            try catalog.add(text, file: "user.yaml")
        } throws: { error in
            "\(error)".hasPrefix(expected)
        }
    }

    @Test func aUserFile_addsAndOverridesEntries() throws {
        var catalog = try Catalog.builtIn()
        try catalog.add(
            "hardware:\n  H200-SXM:\n    vendor: nvidia\n    generation: hopper\n    hbm_gb: 144\n    hbm_tb_per_s: 4.8\n    tflops: {bf16: 989}\n    scale_up_gb_per_s: 900\n    tdp_w: 700\n    all_in_kw_per_gpu: 1.73\n",
            file: "mine.yaml")
        #expect(try catalog.hardware("H200-SXM").hbmBytes == 144e9)
        #expect { try catalog.hardware("H201-SXM") } throws: { "\($0)".contains("did you mean `H200-SXM`?") }
    }
}
