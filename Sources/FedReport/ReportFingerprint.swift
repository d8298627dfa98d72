/// A node's data fingerprint: how many records it trained on and the Merkle root committing to them.
public struct ReportFingerprint: Sendable, Equatable {
    /// The node's name.
    public var node: String
    /// The number of records.
    public var records: Int
    /// The Merkle root over the records, as hex.
    public var root: String

    /// Creates a fingerprint.
    /// - Parameters:
    ///   - node: The node's name.
    ///   - records: The number of records.
    ///   - root: The Merkle root in hex.
    public init(node: String, records: Int, root: String) {
        self.node = node
        self.records = records
        self.root = root
    }
}
