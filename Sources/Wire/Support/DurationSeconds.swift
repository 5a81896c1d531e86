extension Duration {
    /// The duration in seconds, for the figures and timestamps that are kept as `Double`.
    public var inSeconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
