import FedContribution
import FedTensor

/// Small games whose Shapley values can be checked by hand.
enum GameFixtures {
    /// A game from a table of utilities over coalition bit sets.
    static func table(_ n: Int, _ values: [UInt64: Double]) throws -> CoalitionUtility {
        try CoalitionUtility(playerCount: n) { members in
            values[members.reduce(UInt64(0)) { $0 | (1 << UInt64($1)) }] ?? 0
        }
    }

    /// A game defined by a function of the (sorted) members.
    static func game(_ n: Int, _ f: @escaping @Sendable ([Int]) -> Double) throws -> CoalitionUtility {
        try CoalitionUtility(playerCount: n, evaluate: f)
    }

    /// v(∅)=0, v{0}=1, v{1}=2, v{2}=3, v{0,1}=4, v{0,2}=5, v{1,2}=6, v{0,1,2}=9.
    /// By hand: φ = (2, 3, 4); leave-one-out = (9−6, 9−5, 9−4) = (3, 4, 5).
    static func threePlayer() throws -> CoalitionUtility {
        try table(3, [0b000: 0, 0b001: 1, 0b010: 2, 0b100: 3, 0b011: 4, 0b101: 5, 0b110: 6, 0b111: 9])
    }

    /// The glove game: player 0 holds a left glove, players 1 and 2 right gloves; a coalition
    /// is worth 1 when it can make a pair. By hand: φ = (2/3, 1/6, 1/6).
    static func gloves() throws -> CoalitionUtility {
        try game(3) { s in s.contains(0) && (s.contains(1) || s.contains(2)) ? 1 : 0 }
    }

    /// A random game with interactions: v(S) = sqrt(Σ_{i∈S} a_i) + Σ_{i<j∈S} b_ij, seeded.
    static func random(_ n: Int, seed: UInt64) throws -> CoalitionUtility {
        var rng = SeededRandom(seed: seed)
        let a = (0..<n).map { _ in 0.1 + rng.nextDouble() }
        var b = [[Double]](repeating: [Double](repeating: 0, count: n), count: n)
        for i in 0..<n { for j in (i + 1)..<n { b[i][j] = 0.2 * (rng.nextDouble() - 0.5) } }
        let aa = a, bb = b
        return try game(n) { s in
            var total = s.reduce(0.0) { $0 + aa[$1] }.squareRoot()
            for x in s { for y in s where y > x { total += bb[x][y] } }
            return total
        }
    }
}
