import Synchronization

/// Counts the models alive in simulated nodes: how many nodes are training right now, and the
/// most at once. A node builds its model when a task arrives and drops it when it replies, so
/// between rounds the count is zero and memory holds no per-node model.
///
/// Shared by the concurrent node tasks of one simulation; the counters are atomics.
public final class TrainerGauge: Sendable {
    private let live = Atomic<Int>(0)
    private let peakValue = Atomic<Int>(0)

    /// Creates a gauge at zero.
    public init() {}

    /// The nodes training now.
    public var current: Int { live.load(ordering: .relaxed) }
    /// The most nodes that trained at once.
    public var peak: Int { peakValue.load(ordering: .relaxed) }

    /// Runs `body` counted as one live trainer.
    func tracking<R>(_ body: () throws -> R) rethrows -> R {
        let now = live.wrappingAdd(1, ordering: .relaxed).newValue
        var seen = peakValue.load(ordering: .relaxed)
        while now > seen {
            let (exchanged, original) = peakValue.compareExchange(expected: seen, desired: now, ordering: .relaxed)
            if exchanged { break }
            seen = original
        }
        defer { live.wrappingSubtract(1, ordering: .relaxed) }
        return try body()
    }
}
