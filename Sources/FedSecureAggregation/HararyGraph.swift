import FedCrypto

/// The SecAgg+ communication graph: a Harary graph H(k, n) with randomly permuted labels
/// (fcp `secret_sharing_harary_graph.h`). The n nodes sit on a circle in a pseudorandom order
/// drawn from a public seed; each is joined to the k/2 nodes before it and the k/2 after it.
/// Degree n − 1 is the complete graph (Bonawitz et al. 2017). Nodes are indices 0 ..< n.
///
/// The permutation and its inverse are stored, so ``areNeighbours(_:_:)`` is O(1) and
/// ``neighbours(of:)`` is O(k).
public struct HararyGraph: Sendable, Hashable {
    /// n.
    public let nodeCount: Int
    /// k, the number of neighbours of every node (not counting itself).
    public let degree: Int
    /// node → position on the circle.
    let positionOf: [Int]
    /// position on the circle → node.
    let nodeAt: [Int]

    /// Draws the graph.
    /// - Parameters:
    ///   - nodeCount: n ≥ 2.
    ///   - degree: k, even and 2 ≤ k < n − 1, or exactly n − 1 (the complete graph).
    ///   - seed: 32 public bytes; both sides draw the same permutation from it (ChaCha20).
    /// - Throws: ``SecureAggregationError`` (`invalidConfiguration`) for out-of-range values.
    public init(nodeCount: Int, degree: Int, seed: [UInt8]) throws {
        guard nodeCount >= 2 else {
            throw SecureAggregationError(.invalidConfiguration, stage: .setup, "graph needs at least 2 nodes, got \(nodeCount)")
        }
        guard degree == nodeCount - 1 || (degree >= 2 && degree < nodeCount - 1 && degree % 2 == 0) else {
            throw SecureAggregationError(.invalidConfiguration, stage: .setup,
                                         "graph degree must be even in 2 … \(nodeCount - 2) or exactly \(nodeCount - 1) (complete), got \(degree)")
        }
        let rng: ChaCha20RandomNumberGenerator
        do {
            rng = try ChaCha20RandomNumberGenerator(seed: seed, nonce: Array("harary-perm\0".utf8))
        } catch {
            throw SecureAggregationError(.invalidConfiguration, stage: .setup, "graph seed must be 32 bytes, got \(seed.count)", cause: error)
        }
        var generator = rng
        var order = Array(0..<nodeCount)
        // Fisher–Yates with exact rejection sampling: the same on every platform and Swift version.
        for i in stride(from: nodeCount - 1, to: 0, by: -1) {
            let j = Int(generator.uniform(below: UInt64(i + 1)))
            order.swapAt(i, j)
        }
        var positions = [Int](repeating: 0, count: nodeCount)
        for (p, node) in order.enumerated() { positions[node] = p }
        self.nodeCount = nodeCount
        self.degree = degree
        self.nodeAt = order
        self.positionOf = positions
    }

    /// True when the graph is complete (degree n − 1).
    public var isComplete: Bool { degree == nodeCount - 1 }

    /// Whether distinct nodes `a` and `b` are joined (false for a == b).
    public func areNeighbours(_ a: Int, _ b: Int) -> Bool {
        guard a != b else { return false }
        if isComplete { return true }
        let d = abs(positionOf[a] - positionOf[b])
        return min(d, nodeCount - d) <= degree / 2
    }

    /// The neighbours of `node`, in increasing index order, not including `node`.
    public func neighbours(of node: Int) -> [Int] {
        if isComplete { return (0..<nodeCount).filter { $0 != node } }
        let p = positionOf[node]
        var out = [Int]()
        out.reserveCapacity(degree)
        for offset in 1...(degree / 2) {
            out.append(nodeAt[(p + offset) % nodeCount])
            out.append(nodeAt[(p - offset + nodeCount) % nodeCount])
        }
        return out.sorted()
    }
}
