/// FedBuff, buffered asynchronous aggregation (Nguyen, Malik, Zhan, Yousefpour, Rabbat,
/// Malek, Huba 2022, "Federated Learning with Buffered Asynchronous Aggregation", AISTATS).
///
/// Nodes train continuously from whatever global version they last received. The server folds
/// each arriving update into a buffer and, every K updates (`mode` = `.buffered(bufferSize: K)`),
/// publishes a new version (Algorithm 1):
///
///     Δ = (1/K) · Σᵢ s(τᵢ)·Δᵢ,   τᵢ = version − baseVersionᵢ,   s(τ) = 1/√(1 + τ)
///     w ← w + η_g·Δ
///
/// (the paper writes w ← w − η_g·Δ̄ with Δ̄ = w_old − w_local; here Δ = w_local − w). The sum is
/// divided by K, not Σ s(τᵢ), as in the paper. s is configurable (`StalenessFunction`).
/// Streaming, memory O(d) (see `BufferedAccumulator`).
public struct FedBuff: FusionStrategy {
    /// K, the number of updates per published version (default 10, as in the paper's experiments).
    public let bufferSize: Int
    /// The server learning rate η_g (default 1).
    public let serverLearningRate: Float
    /// s(τ) (default 1/√(1 + τ)).
    public let staleness: StalenessFunction

    /// Creates the strategy.
    /// - Parameters:
    ///   - bufferSize: K ≥ 1, default 10.
    ///   - serverLearningRate: η_g > 0, default 1.
    ///   - staleness: s(τ), default `.inverseSquareRoot`; a polynomial exponent must be ≥ 0.
    /// - Throws: `FusionError.invalidOption` naming `buffer-size`, `server-lr` or
    ///   `staleness-exponent` when out of range.
    public init(bufferSize: Int = 10, serverLearningRate: Float = 1, staleness: StalenessFunction = .inverseSquareRoot) throws(FusionError) {
        guard bufferSize >= 1 else {
            throw FusionError(.invalidOption, source: "fedbuff option buffer-size", "expected a whole number of updates ≥ 1, got \(bufferSize)")
        }
        try OptionCheck.positive(Double(serverLearningRate), "server-lr", of: "fedbuff")
        if case .polynomial(let a) = staleness { try OptionCheck.nonNegative(a, "staleness-exponent", of: "fedbuff") }
        self.bufferSize = bufferSize
        self.serverLearningRate = serverLearningRate
        self.staleness = staleness
    }

    /// `fedbuff`.
    public var name: String { "fedbuff" }

    /// `.buffered(bufferSize: K)`.
    public var mode: FusionMode { .buffered(bufferSize: bufferSize) }

    /// A staleness-weighted buffer for updates fused into `version`.
    public func makeAccumulator(parameterCount: Int, version: Int) -> BufferedAccumulator {
        BufferedAccumulator(parameterCount: parameterCount, version: version, bufferSize: bufferSize, staleness: staleness)
    }

    /// w ← w + η_g·Δ.
    /// - Precondition: `fused.count == global.count`.
    public mutating func apply(fused: [Float], to global: inout [Float], round: Int, failures: [NodeFailure]) {
        ServerStep.addScaled(serverLearningRate, fused, to: &global)
    }
}
