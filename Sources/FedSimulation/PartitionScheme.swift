import FedDatasets
import FedTensor

/// How a simulation splits a dataset among its nodes (the synthetic schemes; natural
/// partitions by hospital, writer or role come with the dataset).
public enum PartitionScheme: Sendable, Equatable {
    /// Equal random shares (IID).
    case iid
    /// Per-class proportions drawn from Dirichlet(α): small α, strongly non-IID.
    case dirichlet(alpha: Double)
    /// Sort by label, cut into shards, deal `perNode` shards per node (McMahan et al.'s
    /// pathological non-IID: 2 shards of 300 on MNIST).
    case shards(perNode: Int)

    /// Parses `iid`, `dirichlet:<α>`, `shards` (2 per node) or `shards:<n>`.
    /// - Throws: `SimulationError.invalidConfiguration` naming the valid forms.
    public init(parsing text: String) throws {
        let parts = text.split(separator: ":", maxSplits: 1).map(String.init)
        func bad() -> SimulationError {
            SimulationError(.invalidConfiguration, source: "--partition \(text)",
                            "expected iid, dirichlet:<alpha> (alpha > 0), shards or shards:<shards per node ≥ 1>")
        }
        switch (parts.first, parts.count) {
        case ("iid", 1): self = .iid
        case ("shards", 1): self = .shards(perNode: 2)
        case ("shards", 2):
            guard let n = Int(parts[1]), n >= 1 else { throw bad() }
            self = .shards(perNode: n)
        case ("dirichlet", 2):
            guard let a = Double(parts[1]), a > 0, a.isFinite else { throw bad() }
            self = .dirichlet(alpha: a)
        default: throw bad()
        }
    }

    /// The scheme's command-line form.
    public var name: String {
        switch self {
        case .iid: "iid"
        case .dirichlet(let a): "dirichlet:\(a)"
        case .shards(let n): "shards:\(n)"
        }
    }

    /// Splits `data` among `nodes` nodes, reproducibly from `seed`.
    /// - Throws: the partitioner's `DatasetError` for impossible splits (more nodes than samples…).
    public func partition(_ data: any SampleSource, nodes: Int, seed: UInt64) throws -> [ClientPartition] {
        var rng = SeededRandom(seed: seed).derived(stream: 0x9A27)
        switch self {
        case .iid:
            return try IIDPartitioner(clientCount: nodes).partition(sampleCount: data.count, rng: &rng)
        case .dirichlet(let alpha):
            return try DirichletPartitioner(clientCount: nodes, alpha: alpha).partition(labels: Self.labels(of: data), rng: &rng)
        case .shards(let perNode):
            return try ShardPartitioner(clientCount: nodes, shardsPerClient: perNode).partition(labels: Self.labels(of: data), rng: &rng)
        }
    }

    static func labels(of data: any SampleSource) -> [Int32] {
        (0..<data.count).map { data.label(at: $0) }
    }
}
