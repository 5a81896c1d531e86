import Foundation

/// An open-loop load: requests arrive at a rate, whatever the engine is doing, with Poisson
/// (burstiness 1) or gamma-distributed gaps, seeded.
public struct OpenLoopLoad: Hashable, Sendable {
    public var requestRate: Double
    /// Gamma shape of the gaps: 1 is Poisson; below 1 burstier, above 1 steadier (vLLM's --burstiness).
    public var burstiness: Double
    public var requests: Int
    public var inputLength: Int
    public var outputLength: Int
    public var rangeRatio: Double
    public var convention: RandomDataset.RangeConvention
    public var seed: UInt64

    public init(
        requestRate: Double, burstiness: Double = 1, requests: Int, inputLength: Int, outputLength: Int,
        rangeRatio: Double = 0.8, convention: RandomDataset.RangeConvention = .fractionBelow, seed: UInt64 = 1
    ) {
        self.requestRate = requestRate
        self.burstiness = burstiness
        self.requests = requests
        self.inputLength = inputLength
        self.outputLength = outputLength
        self.rangeRatio = rangeRatio
        self.convention = convention
        self.seed = seed
    }

    /// The requests' lengths are drawn from this dataset.
    public var dataset: RandomDataset {
        RandomDataset(
            inputLength: inputLength, outputLength: outputLength, rangeRatio: rangeRatio, convention: convention,
            seed: seed)
    }

    /// Arrival instants (seconds from the start), the same for the same seed.
    public func arrivals() -> [Double] {
        var generator = SeededGenerator(seed: seed ^ 0x5EED)
        var now = 0.0
        return (0..<requests).map { _ in
            now += GammaSample.draw(shape: burstiness, scale: 1 / (requestRate * burstiness), using: &generator)
            return now
        }
    }
}

/// Gamma-distributed samples (Marsaglia and Tsang), for open-loop arrival gaps.
package enum GammaSample {
    package static func draw(shape: Double, scale: Double, using generator: inout SeededGenerator) -> Double {
        if shape < 1 {
            // Boost: Gamma(a) = Gamma(a + 1) · U^(1/a).
            let u = Double.random(in: Double.ulpOfOne..<1, using: &generator)
            return draw(shape: shape + 1, scale: scale, using: &generator) * pow(u, 1 / shape)
        }
        let d = shape - 1.0 / 3
        let c = 1 / (9 * d).squareRoot()
        while true {
            var x: Double
            var v: Double
            repeat {
                x = normal(using: &generator)
                v = 1 + c * x
            } while v <= 0
            v = v * v * v
            let u = Double.random(in: Double.ulpOfOne..<1, using: &generator)
            if log(u) < 0.5 * x * x + d - d * v + d * log(v) { return d * v * scale }
        }
    }

    package static func normal(using generator: inout SeededGenerator) -> Double {
        let u1 = Double.random(in: Double.ulpOfOne..<1, using: &generator)
        let u2 = Double.random(in: 0..<1, using: &generator)
        return (-2 * log(u1)).squareRoot() * cos(2 * .pi * u2)
    }
}
