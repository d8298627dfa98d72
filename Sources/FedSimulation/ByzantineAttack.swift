import FedTensor

/// What a malicious simulated node sends instead of its honest update. The round engine is
/// never told which nodes are malicious; robust strategies must cope on their own.
public enum ByzantineAttack: Sendable, Equatable, CaseIterable {
    /// −scale · the honest delta.
    case signFlip
    /// Noise drawn from N(0, scale²) in every coordinate (no training at all).
    case gaussian
    /// scale · the honest delta.
    case scale

    /// The command-line names: `sign-flip`, `gaussian`, `scale`.
    public var name: String {
        switch self {
        case .signFlip: "sign-flip"
        case .gaussian: "gaussian"
        case .scale: "scale"
        }
    }

    /// The attack called `name`.
    /// - Throws: `SimulationError.invalidConfiguration` listing the valid names.
    public init(name: String) throws {
        guard let attack = Self.allCases.first(where: { $0.name == name }) else {
            throw SimulationError(.invalidConfiguration, source: "--attack \(name)",
                                  "unknown attack; expected one of: \(Self.allCases.map(\.name).joined(separator: ", "))")
        }
        self = attack
    }

    /// Whether the attack needs the honest delta (all but `gaussian`).
    var needsTraining: Bool { self != .gaussian }

    /// The delta a malicious node sends.
    /// - Parameters:
    ///   - honest: the node's honest delta (ignored by `gaussian`).
    ///   - count: the parameter count.
    ///   - scale: the attack's scale.
    ///   - rng: the node's generator for this round (used by `gaussian`).
    func corrupt(_ honest: [Float], count: Int, scale: Float, rng: inout SeededRandom) -> [Float] {
        switch self {
        case .signFlip: return honest.map { -scale * $0 }
        case .scale: return honest.map { scale * $0 }
        case .gaussian: return (0..<count).map { _ in scale * rng.nextNormal() }
        }
    }
}

/// Which fraction of the nodes are malicious, and how they attack.
public struct ByzantineConfiguration: Sendable, Equatable {
    /// The fraction of nodes that are malicious, in [0, 1); chosen from the seed.
    public var fraction: Double
    /// What they send.
    public var attack: ByzantineAttack
    /// The attack's scale (×10 for the sign-flip test).
    public var scale: Float

    /// Creates a configuration.
    public init(fraction: Double, attack: ByzantineAttack = .signFlip, scale: Float = 1) {
        self.fraction = fraction
        self.attack = attack
        self.scale = scale
    }

    /// The indices of the malicious nodes among `nodeCount`: round(fraction × nodeCount) of
    /// them, a seeded random choice, ascending.
    public func maliciousNodes(nodeCount: Int, seed: UInt64) -> [Int] {
        let count = min(nodeCount, Int((fraction * Double(nodeCount)).rounded()))
        guard count > 0 else { return [] }
        var rng = SeededRandom(seed: seed).derived(stream: 0xBAD_BAD)
        return Array(rng.permutation(nodeCount).prefix(count)).sorted()
    }
}
