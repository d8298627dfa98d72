/// Exact Shapley values (Shapley 1953) by enumerating every coalition:
///
///     φ_i = Σ_{S ⊆ N∖{i}}  |S|! (n − |S| − 1)! / n!  · (v(S ∪ {i}) − v(S))
///
/// It evaluates all `2^n` coalitions once each and costs `O(n · 2^n)` arithmetic, so it is the
/// test oracle for small federations and refuses games with more than `maximumPlayers` players.
/// `valuesByPermutations(of:)` is its slow twin: the average marginal contribution over all
/// `n!` orderings, the definition itself.
public struct ExactShapley: ContributionMethod {
    /// The largest game `values(of:)` accepts (2^16 = 65,536 utility evaluations).
    public static let maximumPlayers = 16
    /// The largest game `valuesByPermutations(of:)` accepts (8! = 40,320 orderings).
    public static let maximumPlayersByPermutation = 8

    /// Creates the method.
    public init() {}

    /// `exact Shapley`.
    public var name: String { "exact Shapley" }

    /// Each player's Shapley value, by enumerating all `2^n` coalitions.
    /// - Parameters:
    ///   - utility: The game (at most `maximumPlayers` players); every coalition is evaluated.
    ///   - stream: Ignored (the method is deterministic).
    /// - Throws: `ContributionError.unsupportedSize` beyond `maximumPlayers`; utility errors.
    public func values(of utility: inout CoalitionUtility, stream: UInt64) throws -> [Double] {
        let n = utility.playerCount
        guard n <= ExactShapley.maximumPlayers else {
            throw ContributionError(
                .unsupportedSize, source: "ExactShapley",
                "\(n) players needs 2^\(n) utility evaluations; expected at most \(ExactShapley.maximumPlayers) players")
        }
        let size = 1 << n
        var v = [Double](repeating: 0, count: size)
        for mask in 0..<size { v[mask] = try utility.value(of: Coalition(bits: UInt64(mask))) }
        // weight[s] = s!(n−s−1)!/n! = 1 / (n · C(n−1, s))
        var weight = [Double](repeating: 0, count: n)
        var binomial = 1.0  // C(n−1, s)
        for s in 0..<n {
            weight[s] = 1 / (Double(n) * binomial)
            binomial = binomial * Double(n - 1 - s) / Double(s + 1)
        }
        var phi = [Double](repeating: 0, count: n)
        for mask in 0..<size {
            let s = mask.nonzeroBitCount
            for i in 0..<n where mask & (1 << i) == 0 {
                phi[i] += weight[s] * (v[mask | (1 << i)] - v[mask])
            }
        }
        return phi
    }

    /// The slow twin: each player's average marginal contribution over all `n!` orderings of
    /// the players (Heap's algorithm), straight from the definition.
    /// - Parameter utility: The game, at most `maximumPlayersByPermutation` players.
    /// - Throws: `ContributionError.unsupportedSize` beyond `maximumPlayersByPermutation`; utility errors.
    public func valuesByPermutations(of utility: inout CoalitionUtility) throws -> [Double] {
        let n = utility.playerCount
        guard n <= ExactShapley.maximumPlayersByPermutation else {
            throw ContributionError(
                .unsupportedSize, source: "ExactShapley.valuesByPermutations",
                "\(n) players needs \(n)! orderings; expected at most \(ExactShapley.maximumPlayersByPermutation) players")
        }
        var sums = [Double](repeating: 0, count: n)
        var orderings = 0
        var perm = Array(0..<n)
        func walk(_ order: [Int], _ utility: inout CoalitionUtility) throws {
            var prefix = Coalition.empty
            var previous = try utility.value(of: prefix)
            for p in order {
                prefix = prefix.adding(p)
                let current = try utility.value(of: prefix)
                sums[p] += current - previous
                previous = current
            }
            orderings += 1
        }
        // Heap's algorithm, iterative form.
        var c = [Int](repeating: 0, count: n)
        try walk(perm, &utility)
        var i = 1
        while i < n {
            if c[i] < i {
                if i % 2 == 0 { perm.swapAt(0, i) } else { perm.swapAt(c[i], i) }
                try walk(perm, &utility)
                c[i] += 1
                i = 1
            } else {
                c[i] = 0
                i += 1
            }
        }
        return sums.map { $0 / Double(orderings) }
    }
}
