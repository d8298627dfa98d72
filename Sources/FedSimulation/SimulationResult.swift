import FedModels
import FedRound

/// What a simulation produced.
public struct SimulationResult: Sendable {
    /// Rounds (or buffered fusions) completed.
    public var rounds: Int
    /// The first round whose test accuracy reached the target; nil if not reached (or no target).
    public var roundsToTarget: Int?
    /// The last evaluated test accuracy.
    public var testAccuracy: Double?
    /// The last evaluated test loss.
    public var testLoss: Double?
    /// The best evaluated test accuracy.
    public var bestAccuracy: Double?
    /// Wall time of the whole run, in seconds.
    public var seconds: Double
    /// The final global parameters.
    public var parameters: ModelParameters
    /// Every round's metrics, in order.
    public var metrics: [RoundMetrics]
    /// The ids of the malicious nodes (empty when none).
    public var maliciousNodes: [String]
    /// The most nodes that held a model at once (at most the concurrency); none hold one after the run.
    public var peakLiveTrainers: Int
    /// ε spent by the run (differentially private runs), at the run's δ.
    public var epsilon: Double? = nil
    /// Why the run stopped before its last round (its privacy budget), if it did.
    public var stoppedEarly: String? = nil

    /// The summary as ordered (key, value) pairs for a final JSON object: `rounds`,
    /// `rounds_to_target` (null if not reached), `test_accuracy`, `best_accuracy`, `test_loss`,
    /// `seconds` (`peak_rss_mb` is the caller's: it measures the process).
    public var fields: [(key: String, value: MetricValue)] {
        [("rounds", .integer(rounds)), ("rounds_to_target", roundsToTarget.map(MetricValue.integer) ?? .null),
         ("test_accuracy", testAccuracy.map(MetricValue.number) ?? .null), ("best_accuracy", bestAccuracy.map(MetricValue.number) ?? .null),
         ("test_loss", testLoss.map(MetricValue.number) ?? .null), ("seconds", .number(seconds))]
            + (epsilon.map { [("epsilon", MetricValue.number($0))] } ?? [])
            + (stoppedEarly.map { [("stopped_early", MetricValue.string($0))] } ?? [])
    }
}
