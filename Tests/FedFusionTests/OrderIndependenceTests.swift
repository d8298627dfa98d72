import FedFusion
import FedTensor
import Testing

/// Fusing the same updates in a different order gives the same fused delta, for every strategy.
@Suite struct OrderIndependenceTests {
    @Test(arguments: StrategyCatalog.names)
    func fusionDoesNotDependOnArrivalOrder(name: String) throws {
        var rng = SeededRandom(seed: 42)
        let d = 600  // more than one block of the coordinate-wise rules
        let updates = (0..<7).map { i in
            update("node-\(i)", (0..<d).map { _ in rng.nextFloat() * 2 - 1 }, n: 1 + i * 3, base: 10 - i % 3)
        }
        let strategy = try StrategyCatalog.make(name: name)
        let inOrder = try #require(fuse(strategy, updates, version: 10))
        var shuffled = updates
        shuffled.shuffle(using: &rng)
        for order in [Array(updates.reversed()), shuffled] {
            let other = try #require(fuse(strategy, order, version: 10))
            #expect(close(other, inOrder, tolerance: 1e-5), "\(name): order changed the fused delta")
        }
    }
}
