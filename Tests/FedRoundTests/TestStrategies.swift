import FedFusion

/// A sample-weighted mean accumulated in `Float`, in the order updates are added (so the
/// result depends on that order, which is what the determinism tests need).
struct FloatMeanAccumulator: UpdateAccumulator {
    var sum: [Float]
    var weight: Float = 0
    private(set) var count = 0
    /// Each added update's node and base version, in order.
    private(set) var seen: [(node: String, baseVersion: Int)] = []

    init(parameterCount: Int) { sum = Array(repeating: 0, count: parameterCount) }

    mutating func add(_ update: NodeUpdate) {
        let w = Float(update.sampleCount)
        for i in sum.indices { sum[i] += w * update.delta[i] }
        weight += w
        count += 1
        seen.append((update.nodeID, update.baseVersion))
    }

    func fusedDelta() -> [Float]? {
        guard weight > 0 else { return nil }
        return sum.map { $0 / weight }
    }
}

/// FedAvg with a server rate of 1, recording what the engine passes to it; optionally with a
/// time window, in buffered mode, or poisoning the global (to test the finiteness check).
struct TestMeanStrategy: FusionStrategy {
    var window: Duration? = nil
    var bufferSize: Int? = nil
    var poison = false
    var instructions: [String: Double] = [:]
    /// The failures passed to each `apply`, in call order.
    var failuresSeen: [[NodeFailure]] = []
    /// The rounds passed to each `apply`.
    var roundsApplied: [Int] = []

    var name: String { "test-mean" }
    var mode: FusionMode { bufferSize.map { .buffered(bufferSize: $0) } ?? .synchronous }
    var roundTimeWindow: Duration? { window }
    func nodeInstructions(round: Int) -> [String: Double] { instructions }

    func makeAccumulator(parameterCount: Int, version: Int) -> FloatMeanAccumulator {
        FloatMeanAccumulator(parameterCount: parameterCount)
    }

    mutating func apply(fused: [Float], to global: inout [Float], round: Int, failures: [NodeFailure]) {
        failuresSeen.append(failures)
        roundsApplied.append(round)
        for i in global.indices { global[i] += poison ? .infinity : fused[i] }
    }
}
