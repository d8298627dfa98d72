import FedDatasets
import FedTensor

/// Gaussian blobs: class k is centred at `separation` along axis k (unit noise), so the classes
/// are well separated and logistic regression reaches > 95% accuracy.
func blobs(count: Int, classes: Int = 3, features: Int = 4, separation: Float = 4, seed: UInt64) -> LabeledDataset {
    var rng = SeededRandom(seed: seed)
    var x: [Float] = []
    var y: [Int32] = []
    for i in 0..<count {
        let k = i % classes
        for j in 0..<features { x.append((j == k ? separation : 0) + rng.nextNormal()) }
        y.append(Int32(k))
    }
    return LabeledDataset(features: x, featureShape: [features], labels: y, classCount: classes)
}

/// `nodes` IID partitions of `data`.
func iid(_ data: LabeledDataset, nodes: Int, seed: UInt64 = 3) throws -> [ClientPartition] {
    var rng = SeededRandom(seed: seed)
    return try IIDPartitioner(clientCount: nodes).partition(sampleCount: data.count, rng: &rng)
}
