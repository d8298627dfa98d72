import ArgumentParser
import FedFusion
import FedPrivacy

/// The differential-privacy options shared by `simulate` and `coordinator`: central DP-FedAvg
/// (clip on the nodes, Gaussian noise on the server, RDP accounting, an optional budget) and
/// local DP on the nodes.
struct PrivacyOptions: ParsableArguments {
    @Option(name: .customLong("dp-noise-multiplier"),
            help: "Central DP-FedAvg: the noise multiplier z (noise N(0, (z·C/m)²) on the mean of m expected clients). Enables DP.")
    var noiseMultiplier: Double?

    @Option(name: .customLong("dp-clip"), help: "DP-FedAvg: the L2 clip norm C of each node's update (the initial C with --dp-adaptive-clip).")
    var clipNorm: Double = 1.0

    @Flag(name: .customLong("dp-adaptive-clip"), help: "DP-FedAvg: adapt C to a quantile of the update norms (Andrew et al. 2021).")
    var adaptiveClip = false

    @Option(name: .customLong("dp-target-quantile"), help: "Adaptive clipping: the quantile of update norms C tracks.")
    var targetQuantile: Double = 0.5

    @Option(name: .customLong("dp-clip-learning-rate"), help: "Adaptive clipping: the geometric learning rate of C.")
    var clipLearningRate: Double = 0.2

    @Option(name: .customLong("dp-delta"), help: "The δ at which ε is reported and budgeted.")
    var delta: Double = 1e-5

    @Option(name: .customLong("dp-epsilon-budget"), help: "Stop the run before a round would spend more than this ε (at --dp-delta).")
    var epsilonBudget: Double?

    @Option(name: .customLong("local-dp-clip"), help: "Local DP: each node clips its own update to this L2 norm and adds noise before sending.")
    var localClip: Double?

    @Option(name: .customLong("local-dp-noise-multiplier"), help: "Local DP: noise N(0, (z·C)²) per coordinate (with --local-dp-clip).")
    var localNoiseMultiplier: Double?

    @Option(name: .customLong("local-dp-epsilon"), help: "Local DP: calibrate the Gaussian mechanism to this ε < 1 (at --dp-delta) instead.")
    var localEpsilon: Double?

    func validate() throws {
        if let z = noiseMultiplier, !(z.isFinite && z >= 0) { throw ValidationError("--dp-noise-multiplier must be a finite number ≥ 0, got \(z)") }
        guard clipNorm.isFinite, clipNorm > 0 else { throw ValidationError("--dp-clip must be a finite number > 0, got \(clipNorm)") }
        guard delta > 0, delta < 1 else { throw ValidationError("--dp-delta must be in (0, 1), got \(delta)") }
        guard targetQuantile > 0, targetQuantile < 1 else { throw ValidationError("--dp-target-quantile must be in (0, 1), got \(targetQuantile)") }
        guard clipLearningRate > 0, clipLearningRate.isFinite else { throw ValidationError("--dp-clip-learning-rate must be > 0, got \(clipLearningRate)") }
        if let e = epsilonBudget {
            guard e.isFinite, e > 0 else { throw ValidationError("--dp-epsilon-budget must be a finite number > 0, got \(e)") }
            guard noiseMultiplier != nil else { throw ValidationError("--dp-epsilon-budget needs --dp-noise-multiplier (central DP)") }
        }
        if localClip != nil, (localNoiseMultiplier == nil) == (localEpsilon == nil) {
            throw ValidationError("--local-dp-clip needs exactly one of --local-dp-noise-multiplier and --local-dp-epsilon")
        }
        if localClip == nil, localNoiseMultiplier != nil || localEpsilon != nil {
            throw ValidationError("--local-dp-noise-multiplier and --local-dp-epsilon need --local-dp-clip")
        }
    }

    /// Whether central DP is on.
    var isCentral: Bool { noiseMultiplier != nil }

    /// `strategy` wrapped in DP-FedAvg when central DP is on.
    /// - Parameters:
    ///   - expectedClients: m, the nodes per round.
    ///   - population: all nodes (q = m / population).
    ///   - seed: the noise seed.
    func wrap(_ strategy: AnyFusionStrategy, expectedClients: Int, population: Int, seed: UInt64) throws -> AnyFusionStrategy {
        guard let settings else { return strategy }
        return try settings.wrap(strategy, expectedClients: expectedClients, population: population, seed: seed)
    }

    /// The central DP settings, when central DP is on.
    var settings: DPFedAvgSettings? {
        noiseMultiplier.map {
            DPFedAvgSettings(noiseMultiplier: $0, clipNorm: clipNorm, adaptive: adaptiveClip, targetQuantile: targetQuantile,
                             clipLearningRate: clipLearningRate, delta: delta, epsilonBudget: epsilonBudget)
        }
    }

    /// The nodes' local DP, if on.
    func localPrivacy() throws -> LocalDifferentialPrivacy? {
        guard let c = localClip else { return nil }
        if let z = localNoiseMultiplier { return try LocalDifferentialPrivacy(clipNorm: c, calibration: .noiseMultiplier(z)) }
        return try LocalDifferentialPrivacy(clipNorm: c, calibration: .gaussianMechanism(epsilon: localEpsilon!, delta: delta))
    }

    /// A one-line description for the run's banner.
    var summary: String {
        var parts: [String] = []
        if let z = noiseMultiplier {
            parts.append("DP-FedAvg z=\(z) C=\(clipNorm)\(adaptiveClip ? " (adaptive, quantile \(targetQuantile))" : "") δ=\(delta)"
                         + (epsilonBudget.map { " budget ε=\($0)" } ?? ""))
        }
        if let c = localClip { parts.append("local DP C=\(c) " + (localNoiseMultiplier.map { "z=\($0)" } ?? "ε=\(localEpsilon!)")) }
        return parts.joined(separator: ", ")
    }
}
