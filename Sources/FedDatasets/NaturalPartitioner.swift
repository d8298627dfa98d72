/// The natural split: one client per distinct key (hospital, writer, speaking role, …).
/// No randomness: clients appear in order of their key's first occurrence.
public struct NaturalPartitioner: Sendable {
    /// Creates a natural partitioner.
    public init() {}

    /// One partition per distinct key, with id = the key.
    /// - Parameter keys: the key of every sample (`keys[i]` belongs to sample `i`).
    /// - Returns: the partitions in order of first appearance, each with ascending indices.
    public func partition(keys: [String]) -> [ClientPartition] {
        var slot: [String: Int] = [:]
        var partitions: [ClientPartition] = []
        for (i, key) in keys.enumerated() {
            if let s = slot[key] {
                partitions[s].indices.append(i)
            } else {
                slot[key] = partitions.count
                partitions.append(ClientPartition(id: key, indices: [i]))
            }
        }
        return partitions
    }

    /// One partition per named contiguous range of samples (e.g. FEMNIST writers).
    /// - Parameter ranges: the client ids and their sample ranges, in client order.
    /// - Returns: the partitions, in the given order.
    /// - Throws: `DatasetError` `.inconsistentData` if two ranges overlap.
    public func partition(ranges: [(id: String, range: Range<Int>)]) throws -> [ClientPartition] {
        let sorted = ranges.sorted { $0.range.lowerBound < $1.range.lowerBound }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.range.overlaps(b.range) {
            throw DatasetError(
                .inconsistentData, source: "ranges",
                message: "expected disjoint client ranges, found \(a.id) \(a.range) overlapping \(b.id) \(b.range)")
        }
        return ranges.map { ClientPartition(id: $0.id, indices: Array($0.range)) }
    }
}
