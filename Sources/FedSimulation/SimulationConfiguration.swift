import FedFusion
import FedPrivacy
import FedRound
import FedTensor

/// Everything a simulation needs besides the data: the model, the federation's rounds and
/// local training, the strategy, the seed, the quorum, the concurrency, when to stop and
/// evaluate, and the Byzantine nodes. A plain value: experiments copy and vary it.
public struct SimulationConfiguration: Sendable {
    /// The model.
    public var model: ModelChoice
    /// Nodes selected per round (capped at the number of nodes).
    public var perRound: Int
    /// The most rounds (in buffered mode, fusions).
    public var rounds: Int
    /// Local epochs E.
    public var localEpochs: Int
    /// Local batch size B.
    public var batchSize: Int
    /// The nodes' SGD learning rate.
    public var learningRate: Float
    /// The nodes' SGD momentum and weight decay.
    public var nodeOptimizer: NodeOptimizer
    /// The fusion strategy (a fresh copy of this value starts every run).
    public var strategy: any FusionStrategy
    /// The seed of every random choice: initial model, node seeds, selection, malicious nodes.
    public var seed: UInt64
    /// How many usable updates a round needs.
    public var quorum: Quorum
    /// How many nodes train at once; nil: as many as the cores GEMM uses (`GEMM.threadCount`,
    /// i.e. `FEDDATA_THREADS` or the online processors). Results do not depend on it.
    public var concurrency: Int?
    /// Stop at the first evaluated round whose test accuracy reaches this.
    public var targetAccuracy: Double?
    /// Malicious nodes, if any.
    public var byzantine: ByzantineConfiguration?
    /// Evaluate the global model every this many rounds (and always after the last); nil:
    /// never (benchmarks).
    public var evaluateEvery: Int?
    /// Evaluate on at most this many test samples (the first ones); nil: all.
    public var evaluationSampleCap: Int?
    /// How long to wait for one node before counting it failed; nil: no limit.
    public var nodeTimeout: Duration?
    /// Whether a failed round (too few usable updates) ends the run with its `RoundError`;
    /// false (the default): the round is reported (`RoundMetrics.roundFailed`), the global
    /// model is kept, and the run goes on.
    public var stopOnFailedRound: Bool
    /// Record the SHA-256 of every fused update (for a ledger, `simulate --state`).
    public var recordsCommitments = false
    /// Local differential privacy on every node (clip and noise before an update leaves it).
    public var localPrivacy: LocalDifferentialPrivacy? = nil
    /// Secure aggregation (SecAgg+) of every round (nil: plain rounds).
    public var secureAggregation: SecureAggregationPolicy? = nil
    /// Keeps every round's updates for contribution values after the run (small federations).
    public var contributions: ContributionRecorder? = nil

    /// Creates a configuration; the defaults are the FedAvg paper's MNIST 2NN setup
    /// (10 nodes per round, E = 1, B = 10) with plain SGD at rate 0.1.
    public init(model: ModelChoice, strategy: any FusionStrategy, perRound: Int = 10, rounds: Int = 50, localEpochs: Int = 1,
                batchSize: Int = 10, learningRate: Float = 0.1, nodeOptimizer: NodeOptimizer = NodeOptimizer(), seed: UInt64 = 1,
                quorum: Quorum = .fraction(0.5), concurrency: Int? = nil, targetAccuracy: Double? = nil,
                byzantine: ByzantineConfiguration? = nil, evaluateEvery: Int? = 1, evaluationSampleCap: Int? = nil,
                nodeTimeout: Duration? = nil, stopOnFailedRound: Bool = false) {
        self.model = model
        self.strategy = strategy
        self.perRound = perRound
        self.rounds = rounds
        self.localEpochs = localEpochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.nodeOptimizer = nodeOptimizer
        self.seed = seed
        self.quorum = quorum
        self.concurrency = concurrency
        self.targetAccuracy = targetAccuracy
        self.byzantine = byzantine
        self.evaluateEvery = evaluateEvery
        self.evaluationSampleCap = evaluationSampleCap
        self.nodeTimeout = nodeTimeout
        self.stopOnFailedRound = stopOnFailedRound
    }

    /// The concurrency in effect: `concurrency`, or the cores GEMM uses.
    public var effectiveConcurrency: Int { max(1, concurrency ?? GEMM.threadCount) }

    /// The round policy these options give the engine.
    func policy() -> RoundPolicy {
        RoundPolicy(perRound: perRound,
                    training: LocalTrainingConfiguration(localEpochs: localEpochs, batchSize: batchSize, learningRate: learningRate),
                    quorum: quorum, concurrency: effectiveConcurrency, nodeTimeout: nodeTimeout,
                    seed: SeededRandom(seed: seed).derived(stream: 0x5E1EC7).seed,
                    onFailedRound: stopOnFailedRound ? .throwError : .skip)
            .recording(commitments: recordsCommitments)
    }

    /// Checks every option's range.
    /// - Throws: `SimulationError.invalidConfiguration` naming the option and what was expected.
    public func validate() throws {
        func fail(_ option: String, _ expected: String) -> SimulationError {
            SimulationError(.invalidConfiguration, source: option, expected)
        }
        guard perRound >= 1 else { throw fail("per-round", "expected at least 1 node per round, got \(perRound)") }
        guard rounds >= 1 else { throw fail("rounds", "expected at least 1 round, got \(rounds)") }
        guard localEpochs >= 1 else { throw fail("local-epochs", "expected at least 1, got \(localEpochs)") }
        guard batchSize >= 1 else { throw fail("batch", "expected at least 1, got \(batchSize)") }
        guard learningRate > 0, learningRate.isFinite else { throw fail("lr", "expected a positive learning rate, got \(learningRate)") }
        guard nodeOptimizer.momentum >= 0, nodeOptimizer.momentum < 1, nodeOptimizer.weightDecay >= 0 else {
            throw fail("node optimizer", "expected momentum in [0, 1) and weight decay ≥ 0, got \(nodeOptimizer.momentum) and \(nodeOptimizer.weightDecay)")
        }
        if let c = concurrency, c < 1 { throw fail("concurrency", "expected at least 1, got \(c)") }
        if let t = targetAccuracy, !(t > 0 && t <= 1) { throw fail("target-accuracy", "expected a fraction in (0, 1], got \(t)") }
        if let every = evaluateEvery, every < 1 { throw fail("evaluate-every", "expected at least 1, got \(every)") }
        if let cap = evaluationSampleCap, cap < 1 { throw fail("evaluation sample cap", "expected at least 1, got \(cap)") }
        if let b = byzantine {
            guard b.fraction >= 0, b.fraction < 1 else { throw fail("byzantine", "expected a fraction in [0, 1), got \(b.fraction)") }
            guard b.scale.isFinite, b.scale >= 0 else { throw fail("attack-scale", "expected a finite scale ≥ 0, got \(b.scale)") }
        }
        do {
            try quorum.validate()
        } catch {
            throw SimulationError(.invalidConfiguration, source: "quorum", "\(error)", cause: error)
        }
        if secureAggregation != nil, !strategy.supportsSecureAggregation {
            throw fail("strategy \(strategy.name)",
                       "cannot be combined with --secure-aggregation: it needs every node's individual update, which secure aggregation hides; use fedavg, fedprox, fedavgm, fedadam, fedyogi or fedadagrad")
        }
        if case .buffered(let k) = strategy.mode, k < 1 {
            throw fail("strategy \(strategy.name)", "expected a buffer size of at least 1, got \(k)")
        }
    }
}
