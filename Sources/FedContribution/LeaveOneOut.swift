/// Leave-one-out values: what the federation loses without each player,
///
///     φ_i = v(N) − v(N ∖ {i}),
///
/// with `n + 1` utility evaluations. Cheap, but not efficient (the values need not sum to
/// `v(N) − v(∅)`) and blind to redundancy: two nodes with the same data each get about 0.
public struct LeaveOneOut: ContributionMethod {
    /// Creates the method.
    public init() {}

    /// `leave-one-out`.
    public var name: String { "leave-one-out" }

    /// Each player's leave-one-out value.
    /// - Parameters:
    ///   - utility: The game; `n + 1` coalitions are evaluated.
    ///   - stream: Ignored (the method is deterministic).
    /// - Throws: Utility errors.
    public func values(of utility: inout CoalitionUtility, stream: UInt64) throws -> [Double] {
        let all = Coalition.all(utility.playerCount)
        let total = try utility.value(of: all)
        return try (0..<utility.playerCount).map { i in total - (try utility.value(of: all.removing(i))) }
    }
}
