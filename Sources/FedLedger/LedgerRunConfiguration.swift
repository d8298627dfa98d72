/// The first entry of a run's ledger: which run this is, its whole configuration, and the
/// fusion strategy.
public struct LedgerRunConfiguration: Sendable, Equatable {
    /// The run's identifier.
    public var runID: String
    /// The run's configuration as the coordinator received it (JSON text, logged verbatim).
    public var configurationJSON: String
    /// The fusion strategy's name and settings, e.g. `fedavg` or `fedprox(mu=0.01)`.
    public var strategy: String

    /// Creates the record.
    public init(runID: String, configurationJSON: String, strategy: String) {
        self.runID = runID
        self.configurationJSON = configurationJSON
        self.strategy = strategy
    }

    func encode(to w: inout CanonicalWriter) throws {
        try w.text(runID, "run configuration run id")
        try w.text(configurationJSON, "run configuration JSON")
        try w.text(strategy, "run configuration strategy")
    }

    static func decode(from r: inout CanonicalReader) throws -> LedgerRunConfiguration {
        LedgerRunConfiguration(runID: try r.text("run id"), configurationJSON: try r.text("configuration JSON"), strategy: try r.text("strategy"))
    }
}
