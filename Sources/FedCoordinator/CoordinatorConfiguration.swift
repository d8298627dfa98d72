import FedFusion
import FedModels
import FedPrivacy
import FedTensor
import FedRound
import Foundation

/// What a networked run trains and how: everything that fixes its result. It is stored with the
/// run (as JSON), and `--resume` continues with the stored one, so a resumed run cannot drift
/// from the interrupted one.
public struct CoordinatorConfiguration: Sendable, Codable, Equatable {
    /// The model's name in the zoo (`logreg`, `2nn`, `cnn`, `char-lstm`).
    public var model: String
    /// One sample's shape, e.g. [13] or [28, 28, 1].
    public var inputShape: [Int]
    /// The number of classes.
    public var classCount: Int
    /// The fusion strategy and its options.
    public var strategy: String
    public var strategyOptions: [String: String]
    /// Rounds to run.
    public var rounds: Int
    /// How many nodes must be registered before the first round; they form the run's roster.
    public var nodes: Int
    /// Nodes selected per round (capped at the roster's size).
    public var perRound: Int
    /// The fraction of selected nodes whose updates a round needs.
    public var quorum: Double
    /// Local training: epochs (E), batch size (B), learning rate.
    public var localEpochs: Int
    public var batchSize: Int
    public var learningRate: Float
    /// The seed of the initial model, the selection and every node's randomness.
    public var seed: UInt64
    /// Federated evaluation (on the nodes' held-out data) every this many rounds; 0 = never.
    public var evaluateEvery: Int
    /// How long a round waits for a node's answer before counting it as failed, in seconds.
    public var nodeTimeoutSeconds: Double
    /// The nodes of the run, in roster order (fixed when the run starts; nil before).
    public var roster: [String]?
    /// How many nodes must be live before a round starts (nil: the round's quorum).
    public var minAvailable: Int?
    /// Central DP-FedAvg (nil: off).
    public var privacy: DPFedAvgSettings? = nil
    /// Secure aggregation (SecAgg+): the server learns only the sum of each round's updates.
    public var secureAggregation: Bool? = nil

    /// Creates a configuration.
    public init(model: String, inputShape: [Int], classCount: Int, strategy: String = "fedavg", strategyOptions: [String: String] = [:],
                rounds: Int, nodes: Int, perRound: Int? = nil, quorum: Double = 0.5, localEpochs: Int = 1, batchSize: Int = 10,
                learningRate: Float = 0.1, seed: UInt64 = 1, evaluateEvery: Int = 1, nodeTimeoutSeconds: Double = 600, roster: [String]? = nil, minAvailable: Int? = nil) {
        self.model = model
        self.inputShape = inputShape
        self.classCount = classCount
        self.strategy = strategy
        self.strategyOptions = strategyOptions
        self.rounds = rounds
        self.nodes = nodes
        self.perRound = perRound ?? nodes
        self.quorum = quorum
        self.localEpochs = localEpochs
        self.batchSize = batchSize
        self.learningRate = learningRate
        self.seed = seed
        self.evaluateEvery = evaluateEvery
        self.nodeTimeoutSeconds = nodeTimeoutSeconds
        self.roster = roster
        self.minAvailable = minAvailable
    }

    /// Checks every value, naming the option.
    /// - Throws: `CoordinatorError.invalidConfiguration`.
    public func validate() throws {
        func check(_ ok: Bool, _ option: String, _ expected: String) throws {
            if !ok { throw CoordinatorError(.invalidConfiguration, source: option, expected) }
        }
        try check(rounds >= 1, "rounds", "expected at least 1, got \(rounds)")
        try check(nodes >= 1, "nodes", "expected at least 1, got \(nodes)")
        try check(perRound >= 1, "per-round", "expected at least 1, got \(perRound)")
        try check(quorum > 0 && quorum <= 1, "quorum", "expected a fraction in (0, 1], got \(quorum)")
        try check(localEpochs >= 1, "local-epochs", "expected at least 1, got \(localEpochs)")
        try check(batchSize >= 1, "batch", "expected at least 1, got \(batchSize)")
        try check(learningRate > 0 && learningRate.isFinite, "lr", "expected a positive number, got \(learningRate)")
        try check(evaluateEvery >= 0, "eval-every", "expected 0 (never) or more, got \(evaluateEvery)")
        try check(nodeTimeoutSeconds > 0 && nodeTimeoutSeconds.isFinite, "node-timeout", "expected a positive number of seconds, got \(nodeTimeoutSeconds)")
        try check(!inputShape.isEmpty && inputShape.allSatisfy { $0 >= 1 }, "input-shape", "expected positive dimensions, got \(inputShape)")
        try check(classCount >= 2, "classes", "expected at least 2, got \(classCount)")
        if let minAvailable {
            try check(minAvailable >= 1 && minAvailable <= nodes, "min-available", "expected 1…\(nodes) (the roster's size), got \(minAvailable)")
        }
        if let roster {
            try check(Set(roster).count == roster.count && !roster.isEmpty, "roster", "expected distinct node names, got \(roster)")
        }
        _ = try makeModel()
        let strategy = try makeStrategy()
        if secureAggregation == true {
            try check(strategy.supportsSecureAggregation, "strategy \(strategy.name)",
                      "cannot be combined with --secure-aggregation: it needs every node's individual update, which secure aggregation hides; use fedavg, fedprox, fedavgm, fedadam, fedyogi or fedadagrad")
            try check(nodes >= 2 && perRound >= 2, "secure-aggregation", "needs at least 2 nodes per round, got \(min(nodes, perRound))")
        }
    }

    /// The model.
    public func makeModel() throws -> any Model {
        try ModelZoo.make(model, inputShape: inputShape, classCount: classCount)
    }

    /// The fusion strategy.
    public func makeStrategy() throws -> AnyFusionStrategy {
        let plain = try StrategyCatalog.make(name: strategy, options: strategyOptions)
        guard let privacy else { return plain }
        return try privacy.wrap(plain, expectedClients: min(perRound, roster?.count ?? nodes), population: roster?.count ?? nodes,
                                seed: SeededRandom(seed: seed).derived(stream: 0xD1FF_5EED).seed)
    }

    /// The local training settings nodes receive.
    public var training: LocalTrainingConfiguration {
        LocalTrainingConfiguration(localEpochs: localEpochs, batchSize: batchSize, learningRate: learningRate)
    }

    /// The configuration as canonical JSON (sorted keys): what the store keeps with the run.
    public func json() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Reads a configuration stored with a run.
    /// - Throws: `CoordinatorError.cannotResume` naming `source` when the JSON does not decode.
    public static func from(json: String, source: String) throws -> CoordinatorConfiguration {
        do {
            return try JSONDecoder().decode(CoordinatorConfiguration.self, from: Data(json.utf8))
        } catch {
            throw CoordinatorError(.cannotResume, source: source, "the stored run configuration does not decode: \(error)")
        }
    }
}
