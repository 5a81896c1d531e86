import Catalog
import Simulator

/// How much faster than its simulated GPU each demo deployment runs in real time: as fast as
/// possible while the token events its busiest point streams stay within what one machine's
/// client and engine take in together, so that no point measures the machine instead of the
/// deployment. A small deployment at concurrency 256 streams a few thousand tokens a second; a
/// big one, tens of thousands: one scale for all of them either starves the first or floods the
/// second.
struct DemoTimeScale: Hashable {
    /// Token events a second of chunks of 16 tokens that the simulated engine (about 27 µs of CPU
    /// an event plus its per-token work) and the client (about 13 µs an event) take in together
    /// on this project's two-core machines: about one core between them. Chosen by running the
    /// demo (docs/sweeps.md): at 25,000 it left 19 of 336 points invalid, at 40,000 49.
    static let eventBudget = 25_000.0
    /// A cap on the scale: the lightest deployments' points already take about a second at it.
    static let fastest = 400.0

    var scale: Double
    /// Tokens a second the busiest point is predicted to stream on the simulated GPU.
    var predictedTokensPerSecond: Double

    /// The scale for `deployment` at `concurrency` requests decoding contexts of about
    /// `contextTokens` each, streaming a chunk every `streamInterval` tokens.
    init(deployment: Deployment, concurrency: Int, contextTokens: Int, streamInterval: Int) {
        let step = KernelCostModel(deployment: deployment).stepTime(
            StepShape(
                decodeSequences: concurrency, decodeContextTokens: Double(concurrency) * Double(contextTokens)))
        predictedTokensPerSecond = step > 0 ? Double(concurrency) / step : 0
        let eventsAtScaleOne = predictedTokensPerSecond / Double(max(1, streamInterval))
        let fitting = eventsAtScaleOne > 0 ? Self.eventBudget / eventsAtScaleOne : Self.fastest
        scale = min(Self.fastest, max(1, fitting.rounded(.down)))
    }
}
