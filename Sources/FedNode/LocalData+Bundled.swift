import FedBundledData
import FedDatasets
import FedSimulation
import FedTensor
import FedWorkloads
import Foundation

extension LocalData {
    /// A node's share of a bundled dataset, for demos and benchmarks: a federation of `nodes`
    /// node processes, each started with its own `nodeIndex` and the **same** `seed`, splits
    /// the dataset exactly as `feddata simulate` does with that seed, each node taking its part.
    ///
    /// - Training rows: partition `nodeIndex` of the dataset's training set, split by
    ///   `partition`: `iid`, `shards[:<per node>]`, `dirichlet:<α>` (the partitioners behind
    ///   `PartitionScheme`), or `natural` (the dataset's own clients: for `heart-disease`, node
    ///   `i` gets hospital `i` in `HeartDisease.hospitalNames` order; `nodes` must then equal
    ///   the number of natural clients).
    /// - Evaluation rows: the dataset's test set cut into `nodes` contiguous parts, the first
    ///   `count mod nodes` one row longer, and part `nodeIndex` taken. (For `natural` these
    ///   parts need not follow the natural clients' own test rows.)
    ///
    /// The data comes prepared by `DatasetCatalog` (MNIST scaled to [0, 1]; Heart Disease
    /// imputed and standardised with the catalog's training statistics), so no further
    /// standardisation is done and `standardizer` is nil.
    ///
    /// - Parameters:
    ///   - dataset: a name in `DatasetCatalog.names` (`mnist`, `femnist`, `shakespeare`, `heart-disease`).
    ///   - partition: `iid`, `shards`, `shards:<n>`, `dirichlet:<α>` or `natural`.
    ///   - nodes: the number of nodes in the federation, at least 1.
    ///   - nodeIndex: this node's index, in `0..<nodes`.
    ///   - seed: the partition seed, shared by every node of the federation.
    ///   - directory: the folder holding the datasets (default: the bundled data).
    /// - Throws: `NodeDataError` `.invalidParameter` naming `nodes`, `nodeIndex` or `--partition`
    ///   for an impossible share; `WorkloadError` for an unknown dataset; `SimulationError`
    ///   for an unknown partition; the partitioner's or loader's `DatasetError`.
    public static func bundled(dataset: String, partition: String, nodes: Int, nodeIndex: Int, seed: UInt64,
                               directory: URL = BundledData.directory) throws -> LocalData {
        guard nodes >= 1 else {
            throw NodeDataError(.invalidParameter, source: "nodes", "expected at least 1 node, found \(nodes)")
        }
        guard (0..<nodes).contains(nodeIndex) else {
            throw NodeDataError(.invalidParameter, source: "nodeIndex", "expected a node index in 0..<\(nodes), found \(nodeIndex)")
        }
        // Parse the partition before loading anything, so a typo fails fast.
        let scheme: PartitionScheme? = partition == "natural" ? nil : try PartitionScheme(parsing: partition)
        let data = try DatasetCatalog.load(dataset, directory: directory)
        let partitions: [ClientPartition]
        if let scheme {
            partitions = try scheme.partition(data.train, nodes: nodes, seed: seed)
        } else {
            guard let natural = data.naturalPartition else {
                throw NodeDataError(.invalidParameter, source: "--partition natural",
                                    "\(dataset) has no natural clients; expected iid, shards[:<n>] or dirichlet:<alpha>")
            }
            guard natural.count == nodes else {
                throw NodeDataError(.invalidParameter, source: "nodes",
                                    "expected \(natural.count) nodes for \(dataset)'s natural clients (one node each), found \(nodes)")
            }
            partitions = natural
        }
        let testCount = data.test.count
        guard testCount >= nodes else {
            throw NodeDataError(.invalidParameter, source: "nodes",
                                "expected at most \(testCount) nodes (one test row each at least for \(dataset)), found \(nodes)")
        }
        let mine = partitions[nodeIndex]
        return LocalData(
            train: materialize(data.train, indices: mine.indices),
            evaluation: materialize(data.test, indices: Array(evaluationSlice(count: testCount, nodes: nodes, nodeIndex: nodeIndex))),
            standardizer: nil,
            source: "\(dataset) \(partition) node \(nodeIndex) of \(nodes) (\(mine.id), seed \(seed))")
    }

    /// Part `nodeIndex` of `0..<count` cut into `nodes` contiguous parts, the first
    /// `count mod nodes` one longer (the IID partitioner's sizes, without shuffling).
    /// - Precondition: `nodes ≥ 1` and `nodeIndex` in `0..<nodes`.
    public static func evaluationSlice(count: Int, nodes: Int, nodeIndex: Int) -> Range<Int> {
        precondition(nodes >= 1 && (0..<nodes).contains(nodeIndex), "LocalData.evaluationSlice: node \(nodeIndex) of \(nodes)")
        let base = count / nodes, extra = count % nodes
        let start = nodeIndex * base + min(nodeIndex, extra)
        return start ..< start + base + (nodeIndex < extra ? 1 : 0)
    }

    /// The samples at `indices` of any sample source, copied into memory.
    static func materialize(_ source: any SampleSource, indices: [Int]) -> LabeledDataset {
        if let dataset = source as? LabeledDataset { return dataset.subset(indices: indices) }
        let batch = source.batch(ArraySlice(indices))
        return LabeledDataset(features: batch.inputs.scalars, featureShape: source.sampleShape, labels: batch.labels,
                              classCount: source.classCount)
    }
}
