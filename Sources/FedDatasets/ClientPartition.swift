/// The samples that belong to one client (node) of a federation.
public struct ClientPartition: Sendable, Hashable {
    /// The client's id: a natural key (`cleveland`, `f3313_11`, a Shakespeare role) or
    /// `client-<n>` for synthetic partitions.
    public var id: String
    /// Indices into the dataset, ascending.
    public var indices: [Int]

    /// Creates a partition.
    public init(id: String, indices: [Int]) {
        self.id = id
        self.indices = indices
    }

    /// The number of samples.
    public var count: Int { indices.count }
}
