/// One input/output length pair.
public struct Scenario: Hashable, Sendable, Codable {
    public var isl: Int
    public var osl: Int

    public init(isl: Int, osl: Int) {
        self.isl = isl
        self.osl = osl
    }

    /// `1k/1k`, `8k/1k`: how InferenceMAX names its scenarios.
    public var label: String {
        func short(_ length: Int) -> String { length % 1024 == 0 ? "\(length / 1024)k" : "\(length)" }
        return "\(short(isl))/\(short(osl))"
    }
}
