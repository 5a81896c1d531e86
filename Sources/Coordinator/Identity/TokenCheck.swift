/// Compares secrets in time independent of where they differ, so a peer cannot learn a token
/// byte by byte from response times.
public enum TokenCheck {
    public static func matches(_ presented: String, _ expected: String) -> Bool {
        let a = Array(presented.utf8)
        let b = Array(expected.utf8)
        var difference: UInt8 = 0
        for index in 0..<max(a.count, b.count) {
            let x = index < a.count ? a[index] : 0
            let y = index < b.count ? b[index] : 0
            difference |= x ^ y
        }
        return difference == 0 && a.count == b.count && !expected.isEmpty
    }
}
