/// Why an engine could not be brought up.
public struct EngineStartFailed: Error, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}
