import FedFusion
import Testing

/// An update from node `id` with `n` samples, started from version `base`.
func update(_ id: String, _ delta: [Float], n: Int = 1, base: Int = 0) -> NodeUpdate {
    NodeUpdate(nodeID: id, delta: delta, sampleCount: n, baseVersion: base)
}

/// The 3-node federation used throughout: deltas [1, 2], [3, −2], [5, 0] with 1, 1, 2 samples.
let threeNodes = [
    update("a", [1, 2], n: 1),
    update("b", [3, -2], n: 1),
    update("c", [5, 0], n: 2),
]

/// Folds `updates` (in this order) into a fresh accumulator of `strategy` and fuses them.
func fuse<S: FusionStrategy>(_ strategy: S, _ updates: [NodeUpdate], version: Int = 0) -> [Float]? {
    var accumulator = strategy.makeAccumulator(parameterCount: updates.first?.delta.count ?? 0, version: version)
    for u in updates { accumulator.add(u) }
    #expect(accumulator.count == updates.count)
    return accumulator.fusedDelta()
}

/// One whole round: fuse `updates`, then apply the fused delta to `global`.
func runRound<S: FusionStrategy>(_ strategy: inout S, _ updates: [NodeUpdate], global: inout [Float], round: Int = 1) {
    guard let fused = fuse(strategy, updates, version: round) else {
        Issue.record("round \(round) produced no fused delta")
        return
    }
    strategy.apply(fused: fused, to: &global, round: round, failures: [])
}

/// |a − b| ≤ tolerance·max(1, |b|) for every coordinate, and equal lengths.
func close(_ a: [Float]?, _ b: [Float], tolerance: Float = 1e-6) -> Bool {
    guard let a, a.count == b.count else { return false }
    return zip(a, b).allSatisfy { abs($0 - $1) <= tolerance * max(1, abs($1)) }
}
