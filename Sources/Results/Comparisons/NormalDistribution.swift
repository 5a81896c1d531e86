import Foundation

/// The standard normal distribution: what the comparisons' z statistics are read against.
public enum NormalDistribution {
    /// P(Z ≤ z).
    public static func cdf(_ z: Double) -> Double { 0.5 * erfc(-z / 2.0.squareRoot()) }

    /// Two-sided p-value of a z statistic: P(|Z| ≥ |z|).
    public static func twoSidedP(_ z: Double) -> Double { erfc(abs(z) / 2.0.squareRoot()) }

    /// The z with P(Z ≤ z) = p, for 0 < p < 1: Acklam's rational approximation (relative error
    /// about 1e-9), polished by one Newton step on ``cdf``.
    public static func quantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "a quantile needs 0 < p < 1")
        let a = [
            -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.3577518672690, -30.66479806614716,
            2.506628277459239,
        ]
        let b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572]
        let c = [
            -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734,
            4.374664141464968, 2.938163982698783,
        ]
        let d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416]
        func tail(_ q: Double) -> Double {
            let r = (-2 * log(q)).squareRoot()
            return (((((c[0] * r + c[1]) * r + c[2]) * r + c[3]) * r + c[4]) * r + c[5])
                / ((((d[0] * r + d[1]) * r + d[2]) * r + d[3]) * r + 1)
        }
        var x: Double
        if p < 0.02425 {
            x = tail(p)
        } else if p > 1 - 0.02425 {
            x = -tail(1 - p)
        } else {
            let q = p - 0.5
            let r = q * q
            x =
                (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q
                / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1)
        }
        let density = exp(-x * x / 2) / (2 * Double.pi).squareRoot()
        return x - (cdf(x) - p) / density
    }
}
