/// One named setting of a report section, e.g. `learning rate` = `0.05`, kept in the order given.
public struct ReportEntry: Sendable, Equatable {
    /// The setting's name.
    public var key: String
    /// Its value, as text.
    public var value: String

    /// Creates an entry.
    /// - Parameters:
    ///   - key: The setting's name.
    ///   - value: Its value.
    public init(_ key: String, _ value: String) {
        self.key = key
        self.value = value
    }
}
