/// Benjamini–Hochberg: of many tests at once, which to call discoveries so that the expected
/// share of false ones among them stays at most the rate asked for (valid for independent and
/// positively dependent tests, as the metrics of one point are).
public enum FalseDiscoveryRate {
    /// The adjusted p-value (q-value) of each test, in the order given: the smallest rate at
    /// which Benjamini–Hochberg would call it a discovery. A test is a discovery at rate q when
    /// its adjusted value is at most q.
    public static func adjusted(_ pValues: [Double]) -> [Double] {
        let m = pValues.count
        let order = pValues.indices.sorted { pValues[$0] < pValues[$1] }
        var adjusted = [Double](repeating: 1, count: m)
        var smallest = 1.0
        // From the largest p down: q₍ᵢ₎ = min over j ≥ i of p₍ⱼ₎ · m / j.
        for rank in stride(from: m, through: 1, by: -1) {
            let index = order[rank - 1]
            smallest = min(smallest, pValues[index] * Double(m) / Double(rank))
            adjusted[index] = smallest
        }
        return adjusted
    }
}
