import FedTensor

/// Seeded choice of the nodes that take part in a round.
public enum NodeSelection {
    /// `count` distinct indices of `0..<population`, ascending, drawn uniformly from `rng`
    /// (a partial Fisher–Yates shuffle). Ascending order is the order in which the round folds
    /// the nodes' updates, so the result does not depend on which node answers first.
    /// - Precondition: `0 <= count <= population`.
    public static func sample(_ count: Int, from population: Int, rng: inout SeededRandom) -> [Int] {
        precondition(count >= 0 && count <= population, "NodeSelection.sample: \(count) of \(population)")
        if count == population { return Array(0..<population) }
        var pool = Array(0..<population)
        for i in 0..<count {
            let j = i + rng.nextInt(below: population - i)
            pool.swapAt(i, j)
        }
        return pool[0..<count].sorted()
    }
}
