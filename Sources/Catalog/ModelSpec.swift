import Wire

/// A model's architecture, as far as serving cost depends on it.
public struct ModelSpec: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable { case dense, moe }
    public enum Attention: Hashable, Sendable {
        /// Grouped-query attention: each layer caches keys and values of `kvHeads` heads.
        case gqa(kvHeads: Int)
        /// Multi-head latent attention (DeepSeek): each layer caches one latent of this width.
        case mla(kvLoraRank: Int, ropeDimension: Int)
    }

    public var name: String
    public var kind: Kind
    public var parameters: Double
    public var layers: Int
    public var hidden: Int
    public var heads: Int
    public var headDimension: Int
    public var attention: Attention
    /// Tokens a sliding-window layer attends to, and how many layers slide; 0 when none do.
    public var slidingWindow: Int
    public var slidingWindowLayers: Int
    /// The dense FFN width (of every layer for dense models, of the first `denseLayers` for MoE).
    public var ffnIntermediate: Int
    public var vocabulary: Int
    public var maxContext: Int
    /// Bits per non-expert weight when the checkpoint fixes them whatever the serving precision
    /// (gpt-oss keeps attention and embeddings in BF16: 16); `nil` to use the serving precision.
    public var denseWeightBits: Double?
    public var moe: MoE?

    /// The mixture-of-experts part of a model.
    public struct MoE: Hashable, Sendable {
        public var routedExperts: Int
        public var sharedExperts: Int
        public var expertsPerToken: Int
        public var expertIntermediate: Int
        /// Layers before the first MoE layer, which have a dense FFN instead.
        public var denseLayers: Int
        /// Bits per routed-expert weight when the checkpoint stores experts below the serving
        /// precision (gpt-oss: MXFP4, 4.25); `nil` to use the serving precision.
        public var expertWeightBits: Double?

        public init(
            routedExperts: Int, sharedExperts: Int, expertsPerToken: Int, expertIntermediate: Int, denseLayers: Int,
            expertWeightBits: Double?
        ) {
            self.routedExperts = routedExperts
            self.sharedExperts = sharedExperts
            self.expertsPerToken = expertsPerToken
            self.expertIntermediate = expertIntermediate
            self.denseLayers = denseLayers
            self.expertWeightBits = expertWeightBits
        }
    }

    public init(
        name: String, kind: Kind, parameters: Double, layers: Int, hidden: Int, heads: Int, headDimension: Int,
        attention: Attention, slidingWindow: Int = 0, slidingWindowLayers: Int = 0, ffnIntermediate: Int,
        vocabulary: Int,
        maxContext: Int, denseWeightBits: Double? = nil, moe: MoE? = nil
    ) {
        self.name = name
        self.kind = kind
        self.parameters = parameters
        self.layers = layers
        self.hidden = hidden
        self.heads = heads
        self.headDimension = headDimension
        self.attention = attention
        self.slidingWindow = slidingWindow
        self.slidingWindowLayers = slidingWindowLayers
        self.ffnIntermediate = ffnIntermediate
        self.vocabulary = vocabulary
        self.maxContext = maxContext
        self.denseWeightBits = denseWeightBits
        self.moe = moe
    }

    // MARK: Derived sizes

    /// Parameters of one routed expert (gate, up and down projections).
    public var parametersPerExpert: Double {
        guard let moe else { return 0 }
        return 3 * Double(hidden) * Double(moe.expertIntermediate)
    }

    /// Parameters in routed experts across all MoE layers.
    public var routedExpertParameters: Double {
        guard let moe else { return 0 }
        return Double((layers - moe.denseLayers) * moe.routedExperts) * parametersPerExpert
    }

    /// Everything else: attention, dense and shared FFNs, embeddings, the LM head. Every token
    /// uses all of it.
    public var sharedParameters: Double { parameters - routedExpertParameters }

    /// Parameters one token activates.
    public var activeParameters: Double {
        guard let moe else { return parameters }
        return sharedParameters + Double((layers - moe.denseLayers) * moe.expertsPerToken) * parametersPerExpert
    }

    /// Bytes of all weights at `precision` (routed experts at their own width where the model says).
    public func weightBytes(_ precision: Precision) -> Double {
        sharedWeightBytes(precision) + routedExpertParameters
            * (moe?.expertWeightBits.map { $0 / 8 } ?? precision.bytesPerWeight)
    }

    /// Bytes of the weights every token uses.
    public func sharedWeightBytes(_ precision: Precision) -> Double {
        sharedParameters * (denseWeightBits.map { $0 / 8 } ?? precision.bytesPerWeight)
    }

    /// Bytes one routed expert's weights take.
    public func expertBytes(_ precision: Precision) -> Double {
        parametersPerExpert * (moe?.expertWeightBits.map { $0 / 8 } ?? precision.bytesPerWeight)
    }

    /// KV-cache bytes one token adds on one GPU of a tensor-parallel group of `tp`, in layers
    /// with full attention. GQA splits KV heads across the group (replicating them when there
    /// are fewer heads than GPUs); MLA's latent is replicated on every GPU.
    public func kvBytesPerToken(tp: Int, precision: Precision) -> Double {
        let fullLayers = Double(layers - slidingWindowLayers)
        return fullLayers * kvElementsPerTokenPerLayer(tp: tp) * precision.kvCacheBytesPerElement
    }

    /// KV-cache bytes one sequence holds on one GPU in sliding-window layers, whatever its length
    /// beyond the window.
    public func slidingWindowKVBytes(tp: Int, precision: Precision) -> Double {
        Double(slidingWindowLayers * slidingWindow) * kvElementsPerTokenPerLayer(tp: tp)
            * precision.kvCacheBytesPerElement
    }

    func kvElementsPerTokenPerLayer(tp: Int) -> Double {
        switch attention {
        case .gqa(let kvHeads):
            let headsPerGPU = max(1, kvHeads / max(1, tp))
            return Double(2 * headsPerGPU * headDimension)
        case .mla(let rank, let rope):
            return Double(rank + rope)
        }
    }
}
