/// Everything both sides of a secure-aggregation round agree on before it starts: the context
/// (federation and round), the participants, the SecAgg+ graph (degree and a public seed for its
/// permutation), the Shamir threshold, and the vector shape (m words of b bits).
///
/// Node ids are `UInt64`s chosen by the caller (e.g. positions in the round's sorted list of
/// node names). Each node's Shamir point is its 1-based index in `participants`.
/// The *holders* of a node's shares are its k graph neighbours and the node itself (fcp's
/// self-edge), so 2 ≤ t ≤ k + 1.
public struct SecureAggregationConfiguration: Sendable, Hashable {
    /// The federation this round belongs to (bound into the session id).
    public let federationID: String
    /// The round number (bound into the session id and share-box AAD).
    public let roundID: UInt64
    /// The selected node ids, strictly increasing.
    public let participants: [UInt64]
    /// k, graph neighbours per node; n − 1 is the complete graph (Bonawitz et al. 2017).
    public let degree: Int
    /// t, shares needed to reconstruct a secret.
    public let threshold: Int
    /// b: elements are in Z_{2^b}, 1 ≤ b ≤ 32.
    public let bitWidth: Int
    /// m, words per input vector.
    public let vectorLength: Int
    /// 32 public bytes the graph permutation is drawn from.
    public let graphSeed: [UInt8]
    /// The permuted Harary graph over participant indices.
    public let graph: HararyGraph
    let indexOf: [UInt64: Int]

    /// Largest vector length accepted (2^28 words, 1 GiB per vector).
    public static let maxVectorLength = 1 << 28

    /// Creates and validates a configuration.
    /// - Parameters:
    ///   - federationID: the federation (≤ 1024 UTF-8 bytes).
    ///   - roundID: the round.
    ///   - participants: distinct node ids (sorted here), at least 2.
    ///   - degree: k (even, < n − 1) or n − 1 for the complete graph.
    ///   - threshold: t, 2 … k + 1.
    ///   - bitWidth: b, 1 … 32 (default 32).
    ///   - vectorLength: m ≥ 1.
    ///   - graphSeed: 32 bytes (the server draws them from the CSPRNG and sends them with the round).
    /// - Throws: ``SecureAggregationError`` (`invalidConfiguration`) naming the bad value.
    public init(federationID: String, roundID: UInt64, participants: [UInt64], degree: Int, threshold: Int,
                bitWidth: Int = 32, vectorLength: Int, graphSeed: [UInt8]) throws {
        func bad(_ m: String, _ nodes: [UInt64] = []) -> SecureAggregationError {
            SecureAggregationError(.invalidConfiguration, stage: .setup, nodes: nodes, m)
        }
        guard federationID.utf8.count <= 1024 else { throw bad("federation id is \(federationID.utf8.count) bytes, expected at most 1024") }
        let sorted = participants.sorted()
        var duplicates = [UInt64]()
        for i in sorted.indices.dropFirst() where sorted[i] == sorted[i - 1] { duplicates.append(sorted[i]) }
        guard duplicates.isEmpty else { throw bad("participant ids must be distinct; repeated", duplicates) }
        guard sorted.count >= 2 else { throw bad("secure aggregation needs at least 2 participants, got \(sorted.count)") }
        guard sorted.count <= 1_000_000 else { throw bad("at most 1,000,000 participants, got \(sorted.count)") }
        guard (1...32).contains(bitWidth) else { throw bad("bit width must be 1 … 32, got \(bitWidth)") }
        guard vectorLength >= 1 && vectorLength <= Self.maxVectorLength else {
            throw bad("vector length must be 1 … \(Self.maxVectorLength), got \(vectorLength)")
        }
        guard graphSeed.count == 32 else { throw bad("graph seed must be 32 bytes, got \(graphSeed.count)") }
        let graph = try HararyGraph(nodeCount: sorted.count, degree: degree, seed: graphSeed)
        guard threshold >= 2 && threshold <= degree + 1 else {
            throw bad("threshold must be in 2 … \(degree + 1) (degree + 1 share holders), got \(threshold)")
        }
        self.federationID = federationID
        self.roundID = roundID
        self.participants = sorted
        self.degree = degree
        self.threshold = threshold
        self.bitWidth = bitWidth
        self.vectorLength = vectorLength
        self.graphSeed = graphSeed
        self.graph = graph
        var index = [UInt64: Int]()
        for (i, id) in sorted.enumerated() { index[id] = i }
        self.indexOf = index
    }

    /// A degree and threshold for `nodeCount` nodes: fcp's parameter finder (semi-honest) when it
    /// finds a degree below n − 1, otherwise the complete graph with t = max(2, ⌊(1 − dropout)·n⌋)
    /// (then at least that many holders must survive), which must exceed ⌊adversarial·n⌋.
    /// - Throws: ``SecureAggregationError`` (`invalidConfiguration`) for rates no threshold satisfies.
    public static func recommendedGraph(nodeCount n: Int, adversarialRate: Double = 0.05, dropoutRate: Double = 0.33) throws
        -> SecureAggregationParameterFinder.Parameters
    {
        if let p = try? SecureAggregationParameterFinder.parameters(nodeCount: n, adversarialRate: adversarialRate, dropoutRate: dropoutRate) {
            return p
        }
        guard n >= 2 else {
            throw SecureAggregationError(.invalidConfiguration, stage: .setup, "secure aggregation needs at least 2 nodes, got \(n)")
        }
        let t = max(2, Int((1 - dropoutRate) * Double(n)))
        guard t > Int(adversarialRate * Double(n)), t <= n else {
            throw SecureAggregationError(.invalidConfiguration, stage: .setup,
                                         "no full-graph threshold for \(n) nodes tolerates dropout \(dropoutRate) and adversarial rate \(adversarialRate)")
        }
        return .init(degree: n - 1, threshold: t)
    }

    /// n.
    public var nodeCount: Int { participants.count }

    /// 2^b − 1, the mask that reduces a word modulo 2^b.
    public var wordMask: UInt32 { bitWidth == 32 ? .max : (UInt32(1) << UInt32(bitWidth)) - 1 }

    /// Whether `node` is a participant.
    public func contains(_ node: UInt64) -> Bool { indexOf[node] != nil }

    /// The graph neighbours of a participant (sorted ids, not including it).
    public func neighbours(of node: UInt64) -> [UInt64] {
        guard let i = indexOf[node] else { return [] }
        return graph.neighbours(of: i).map { participants[$0] }.sorted()
    }

    /// Whether two participants are graph neighbours.
    public func areNeighbours(_ a: UInt64, _ b: UInt64) -> Bool {
        guard let i = indexOf[a], let j = indexOf[b] else { return false }
        return graph.areNeighbours(i, j)
    }

    /// The Shamir point of a participant: its 1-based index.
    func point(of node: UInt64) -> UInt32 { UInt32(indexOf[node]! + 1) }
}
