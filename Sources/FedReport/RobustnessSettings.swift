/// How the run defended against faulty or malicious updates.
public struct RobustnessSettings: Sendable, Equatable {
    /// The fusion strategy, e.g. `FedAvg` or `trimmed mean (β = 0.1)`.
    public var strategy: String
    /// Whether secure aggregation hid individual updates from the coordinator.
    public var secureAggregation: Bool
    /// The number of updates rejected (non-finite, wrong shape, failed checks) over the run.
    public var rejectedUpdates: Int

    /// Creates the settings.
    /// - Parameters:
    ///   - strategy: The fusion strategy.
    ///   - secureAggregation: Whether secure aggregation was on.
    ///   - rejectedUpdates: Updates rejected over the run.
    public init(strategy: String, secureAggregation: Bool, rejectedUpdates: Int) {
        self.strategy = strategy
        self.secureAggregation = secureAggregation
        self.rejectedUpdates = rejectedUpdates
    }

    /// The settings as ordered name/value rows.
    public var entries: [ReportEntry] {
        [
            ReportEntry("strategy", strategy),
            ReportEntry("secure aggregation", secureAggregation ? "on" : "off"),
            ReportEntry("rejected updates", String(rejectedUpdates)),
        ]
    }
}
