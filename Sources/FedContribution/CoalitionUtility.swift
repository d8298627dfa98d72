/// The characteristic function of a cooperative game over the nodes of a federation: the
/// utility `v(S)` of each coalition `S` of players `0..<playerCount` (e.g. the validation
/// accuracy of the model the coalition's updates would have produced).
///
/// Evaluations are memoised: each distinct coalition is evaluated at most once, and
/// `evaluations` counts the distinct evaluations (the expensive part: each is a model
/// evaluation), while `requests` counts every lookup. A value type: copies carry their own cache.
public struct CoalitionUtility: Sendable {
    /// The number of players `n`; coalitions are subsets of `0..<n`.
    public let playerCount: Int
    /// Evaluates a coalition, given its members in increasing order.
    private let evaluate: @Sendable ([Int]) -> Double
    /// Memoised values by coalition bit set.
    private var cache: [UInt64: Double] = [:]
    /// The number of distinct coalitions evaluated so far (calls of the evaluation closure).
    public private(set) var evaluations = 0
    /// The number of utility lookups so far, memoised or not.
    public private(set) var requests = 0

    /// Creates a game over `playerCount` players.
    /// - Parameters:
    ///   - playerCount: The number of players, `1...64`.
    ///   - evaluate: The utility of a coalition, given its members in increasing order
    ///     (the empty array for the empty coalition). Must return a finite number.
    /// - Throws: `ContributionError.unsupportedSize` if `playerCount` is outside `1...64`.
    public init(playerCount: Int, evaluate: @escaping @Sendable ([Int]) -> Double) throws {
        guard playerCount >= 1, playerCount <= Coalition.maximumPlayers else {
            throw ContributionError(
                .unsupportedSize, source: "CoalitionUtility",
                "\(playerCount) players; expected 1...\(Coalition.maximumPlayers)")
        }
        self.init(validatedPlayerCount: playerCount, evaluate: evaluate)
    }

    /// Creates a game whose player count the caller has already checked to be in `1...64`.
    init(validatedPlayerCount playerCount: Int, evaluate: @escaping @Sendable ([Int]) -> Double) {
        precondition((1...Coalition.maximumPlayers).contains(playerCount), "CoalitionUtility: \(playerCount) players, expected 1...64")
        self.playerCount = playerCount
        self.evaluate = evaluate
    }

    /// The utility of `coalition`, evaluated once and then remembered.
    /// - Parameter coalition: A subset of `0..<playerCount`.
    /// - Throws: `ContributionError.invalidCoalition` if the coalition has a player outside the
    ///   game; `ContributionError.nonFiniteUtility` if the utility is NaN or infinite.
    public mutating func value(of coalition: Coalition) throws -> Double {
        requests += 1
        if let v = cache[coalition.bits] { return v }
        guard coalition.bits & ~Coalition.all(playerCount).bits == 0 else {
            throw ContributionError(
                .invalidCoalition, source: "CoalitionUtility",
                "coalition \(coalition) has a player outside 0..<\(playerCount)")
        }
        let v = evaluate(coalition.members)
        evaluations += 1
        guard v.isFinite else {
            throw ContributionError(
                .nonFiniteUtility, source: "CoalitionUtility",
                "utility of coalition \(coalition) is \(v); expected a finite number")
        }
        cache[coalition.bits] = v
        return v
    }

    /// The utility of the coalition of `members`.
    /// - Parameter members: Distinct players in `0..<playerCount`, any order.
    /// - Throws: As `value(of:)`, and `ContributionError.invalidCoalition` for repeated players.
    public mutating func value(of members: [Int]) throws -> Double {
        try value(of: Coalition(members, source: "CoalitionUtility"))
    }
}
