import Foundation
import Wire
import Yams

/// The hardware and model catalogs: the built-in files (`Sources/Catalog/CatalogData`) plus any
/// a user adds. Every error names the file, the entry and the field.
public struct Catalog: Sendable {
    public private(set) var hardware: [String: HardwareSpec] = [:]
    public private(set) var models: [String: ModelSpec] = [:]

    public init() {}

    /// The catalogs that ship with Sweepline.
    public static func builtIn() throws -> Catalog {
        var catalog = Catalog()
        for name in ["hardware", "models"] {
            guard let url = Bundle.module.url(forResource: "CatalogData/\(name)", withExtension: "yaml") else {
                throw YAMLFileError(
                    location: "\(name).yaml", message: "the built-in catalog is missing from the bundle")
            }
            try catalog.add(String(contentsOf: url, encoding: .utf8), file: "built-in \(name).yaml")
        }
        return catalog
    }

    /// The public facts the catalogs were built from, with their sources, and the published
    /// benchmark points `sweepline sim-calibrate` compares the simulator with.
    public static func builtInReference() throws -> (text: String, file: String) {
        guard let url = Bundle.module.url(forResource: "CatalogData/reference", withExtension: "yaml") else {
            throw YAMLFileError(
                location: "reference.yaml", message: "the built-in reference file is missing from the bundle")
        }
        return (try String(contentsOf: url, encoding: .utf8), "built-in reference.yaml")
    }

    public func hardware(_ name: String) throws(YAMLFileError) -> HardwareSpec {
        guard let spec = hardware[name] else {
            throw YAMLFileError(
                location: "hardware catalog", message: Self.unknown("hardware", name, among: Array(hardware.keys)))
        }
        return spec
    }

    public func model(_ name: String) throws(YAMLFileError) -> ModelSpec {
        guard let spec = models[name] else {
            throw YAMLFileError(
                location: "model catalog", message: Self.unknown("model", name, among: Array(models.keys)))
        }
        return spec
    }

    private static func unknown(_ kind: String, _ name: String, among names: [String]) -> String {
        var message = "no \(kind) `\(name)`"
        if let suggestion = NearMiss.suggest(name, among: names) { message += "; did you mean `\(suggestion)`?" }
        return message + " (known: \(names.sorted().joined(separator: ", ")))"
    }

    /// Adds the entries of a catalog file (`hardware:` and/or `models:`); later entries replace
    /// earlier ones of the same name, so a user's file can override a built-in GPU.
    public mutating func add(_ text: String, file: String) throws(YAMLFileError) {
        let reader = YAMLFieldReader(file: file)
        let root: Node
        do {
            guard let node = try Yams.compose(yaml: text) else {
                throw YAMLFileError(location: file, message: "the file is empty")
            }
            root = node
        } catch let error as YAMLFileError {
            throw error
        } catch {
            throw YAMLFileError(location: file, message: "not valid YAML: \(error)")
        }
        guard case .mapping(let sections) = root else {
            throw reader.error(root, "expected `hardware:` and/or `models:`")
        }
        try reader.refuseUnknown(sections, allowed: ["hardware", "models"], in: "the catalog")
        if let entries = sections["hardware"] {
            guard case .mapping(let mapping) = entries else {
                throw reader.error(entries, "hardware: expected a mapping of GPU names")
            }
            for (key, value) in mapping {
                let name = key.string ?? ""
                hardware[name] = try Self.hardware(name, value, reader)
            }
        }
        if let entries = sections["models"] {
            guard case .mapping(let mapping) = entries else {
                throw reader.error(entries, "models: expected a mapping of model names")
            }
            for (key, value) in mapping {
                let name = key.string ?? ""
                models[name] = try Self.model(name, value, reader)
            }
        }
    }

    static let hardwareFields = [
        "vendor", "generation", "hbm_gb", "hbm_tb_per_s", "tflops", "scale_up_gb_per_s", "scale_up_domain", "tdp_w",
        "all_in_kw_per_gpu", "usd_per_gpu_hour",
    ]

    private static func hardware(_ name: String, _ node: Node, _ reader: YAMLFieldReader) throws(YAMLFileError)
        -> HardwareSpec
    {
        let place = "hardware.\(name)"
        guard case .mapping(let fields) = node else { throw reader.error(node, "\(place): expected a mapping") }
        try reader.refuseUnknown(fields, allowed: hardwareFields, in: place)
        func required(_ key: String, _ range: ClosedRange<Double>) throws(YAMLFileError) -> Double {
            guard let value = try reader.double(fields, key, in: place, range: range) else {
                throw reader.error(node, "\(place): `\(key)` is required")
            }
            return value
        }
        let vendorName = try reader.string(fields, "vendor", in: place) ?? ""
        guard let vendor = GPUVendor(rawValue: vendorName), vendor != .declared else {
            throw reader.error(fields["vendor"] ?? node, "\(place).vendor: expected nvidia or amd")
        }
        guard let generation = try reader.string(fields, "generation", in: place) else {
            throw reader.error(node, "\(place): `generation` is required")
        }
        var flops: [Precision: Double] = [:]
        guard let tflopsNode = fields["tflops"], case .mapping(let peaks) = tflopsNode else {
            throw reader.error(
                fields["tflops"] ?? node, "\(place).tflops: expected a mapping like {bf16: 989, fp8: 1979}")
        }
        try reader.refuseUnknown(peaks, allowed: Precision.allCases.map(\.rawValue), in: "\(place).tflops")
        for precision in Precision.allCases {
            if let value = try reader.double(peaks, precision.rawValue, in: "\(place).tflops", range: 1...1_000_000) {
                flops[precision] = value * 1e12
            }
        }
        guard flops[.bf16] != nil else { throw reader.error(tflopsNode, "\(place).tflops: bf16 is required") }
        var prices: [String: Double] = [:]
        if let priceNode = fields["usd_per_gpu_hour"] {
            guard case .mapping(let tiers) = priceNode else {
                throw reader.error(priceNode, "\(place).usd_per_gpu_hour: expected a mapping of tiers")
            }
            for (tier, _) in tiers {
                let tierName = tier.string ?? ""
                prices[tierName] = try reader.double(tiers, tierName, in: "\(place).usd_per_gpu_hour", range: 0...1000)
            }
        }
        return HardwareSpec(
            name: name, vendor: vendor, generation: generation, hbmBytes: try required("hbm_gb", 1...100_000) * 1e9,
            hbmBytesPerSecond: try required("hbm_tb_per_s", 0.01...1000) * 1e12, flopsPerSecond: flops,
            scaleUpBytesPerSecond: try required("scale_up_gb_per_s", 1...1_000_000) * 1e9,
            scaleUpDomain: try reader.int(fields, "scale_up_domain", in: place, range: 1...100_000) ?? 8,
            tdpWatts: try required("tdp_w", 1...100_000),
            allInKilowatts: try required("all_in_kw_per_gpu", 0.01...1000),
            usdPerGPUHour: prices)
    }

    static let modelFields = [
        "kind", "params_b", "active_params_b", "layers", "dense_layers", "hidden", "heads", "kv_heads", "head_dim",
        "attention",
        "kv_lora_rank", "qk_rope_head_dim", "q_lora_rank", "sliding_window", "sliding_window_layers", "routed_experts",
        "shared_experts", "experts_per_token", "expert_intermediate", "expert_weight_bits", "dense_weight_bits",
        "ffn_intermediate", "vocab",
        "max_context",
    ]

    private static func model(_ name: String, _ node: Node, _ reader: YAMLFieldReader) throws(YAMLFileError)
        -> ModelSpec
    {
        let place = "models.\(name)"
        guard case .mapping(let fields) = node else { throw reader.error(node, "\(place): expected a mapping") }
        try reader.refuseUnknown(fields, allowed: modelFields, in: place)
        func int(_ key: String, _ range: ClosedRange<Int> = 1...10_000_000) throws(YAMLFileError) -> Int {
            guard let value = try reader.int(fields, key, in: place, range: range) else {
                throw reader.error(node, "\(place): `\(key)` is required")
            }
            return value
        }
        guard let kind = ModelSpec.Kind(rawValue: try reader.string(fields, "kind", in: place) ?? "") else {
            throw reader.error(fields["kind"] ?? node, "\(place).kind: expected dense or moe")
        }
        guard let parameters = try reader.double(fields, "params_b", in: place, range: 0.001...100_000) else {
            throw reader.error(node, "\(place): `params_b` is required")
        }
        let attention: ModelSpec.Attention
        switch try reader.string(fields, "attention", in: place) ?? "gqa" {
        case "gqa": attention = .gqa(kvHeads: try int("kv_heads"))
        case "mla": attention = .mla(kvLoraRank: try int("kv_lora_rank"), ropeDimension: try int("qk_rope_head_dim"))
        default: throw reader.error(fields["attention"] ?? node, "\(place).attention: expected gqa or mla")
        }
        var moe: ModelSpec.MoE?
        if kind == .moe {
            moe = ModelSpec.MoE(
                routedExperts: try int("routed_experts"),
                sharedExperts: try reader.int(fields, "shared_experts", in: place, range: 0...1024) ?? 0,
                expertsPerToken: try int("experts_per_token"), expertIntermediate: try int("expert_intermediate"),
                denseLayers: try reader.int(fields, "dense_layers", in: place, range: 0...10_000) ?? 0,
                expertWeightBits: try reader.double(fields, "expert_weight_bits", in: place, range: 1...32))
        }
        let layers = try int("layers")
        let hidden = try int("hidden")
        let spec = ModelSpec(
            name: name, kind: kind, parameters: parameters * 1e9, layers: layers, hidden: hidden,
            heads: try int("heads"),
            headDimension: try reader.int(fields, "head_dim", in: place, range: 1...100_000) ?? 128,
            attention: attention,
            slidingWindow: try reader.int(fields, "sliding_window", in: place, range: 0...10_000_000) ?? 0,
            slidingWindowLayers: try reader.int(fields, "sliding_window_layers", in: place, range: 0...layers) ?? 0,
            ffnIntermediate: try reader.int(fields, "ffn_intermediate", in: place, range: 1...10_000_000) ?? 4 * hidden,
            vocabulary: try int("vocab"), maxContext: try int("max_context"),
            denseWeightBits: try reader.double(fields, "dense_weight_bits", in: place, range: 1...32), moe: moe)
        if spec.routedExpertParameters >= spec.parameters {
            throw reader.error(
                node, "\(place): routed experts alone (\(Int(spec.routedExpertParameters / 1e9)) B) exceed params_b")
        }
        // A stated active size checks the expert fields: a typo there would skew every MoE cost.
        if let stated = try reader.double(fields, "active_params_b", in: place, range: 0.001...100_000) {
            let derived = spec.activeParameters / 1e9
            if abs(derived - stated) / stated > 0.15 {
                throw reader.error(
                    fields["active_params_b"]!,
                    "\(place).active_params_b: \(stated) B stated, but the expert fields give \(String(format: "%.1f", derived)) B"
                )
            }
        }
        return spec
    }
}
