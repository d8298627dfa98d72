/// How many rows each part of a store holds (for `feddata` status output and tests).
public struct StoreCounts: Sendable, Equatable {
    /// The number of runs.
    public var runs: Int
    /// The number of registered nodes.
    public var nodes: Int
    /// The number of committed rounds, all runs together.
    public var rounds: Int
    /// The number of distinct checkpoint blobs (model and strategy state).
    public var checkpoints: Int

    /// Creates a set of counts.
    public init(runs: Int, nodes: Int, rounds: Int, checkpoints: Int) {
        self.runs = runs
        self.nodes = nodes
        self.rounds = rounds
        self.checkpoints = checkpoints
    }
}
