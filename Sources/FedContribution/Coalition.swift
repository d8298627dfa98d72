/// A set of players (nodes) of a federation with at most 64 members, numbered `0..<64`, held
/// as a bit set: bit `i` is set when player `i` belongs to the coalition.
public struct Coalition: Hashable, Sendable, CustomStringConvertible {
    /// The largest federation a coalition can describe.
    public static let maximumPlayers = 64

    /// Bit `i` is set when player `i` is a member.
    public let bits: UInt64

    /// The coalition whose members are the set bits of `bits`.
    /// - Parameter bits: Bit `i` set means player `i` is a member.
    public init(bits: UInt64) { self.bits = bits }

    /// The coalition of the given players.
    /// - Parameters:
    ///   - members: Player indices, each in `0..<64`, without repetition (any order).
    ///   - source: Names the caller in errors, e.g. `LeaveOneOut`.
    /// - Throws: `ContributionError.invalidCoalition` for an index outside `0..<64` or a repeated one.
    public init(_ members: some Sequence<Int>, source: String = "coalition") throws {
        var bits: UInt64 = 0
        for i in members {
            guard i >= 0, i < Coalition.maximumPlayers else {
                throw ContributionError(.invalidCoalition, source: source, "player \(i) is outside 0..<\(Coalition.maximumPlayers)")
            }
            let bit = UInt64(1) << UInt64(i)
            guard bits & bit == 0 else {
                throw ContributionError(.invalidCoalition, source: source, "player \(i) appears twice; expected distinct players")
            }
            bits |= bit
        }
        self.bits = bits
    }

    /// The empty coalition.
    public static let empty = Coalition(bits: 0)

    /// The grand coalition `{0, …, n−1}`.
    /// - Parameter n: The number of players, `0...64`.
    public static func all(_ n: Int) -> Coalition {
        precondition(n >= 0 && n <= maximumPlayers, "Coalition.all: \(n) players, expected 0...64")
        return Coalition(bits: n == 64 ? ~0 : (UInt64(1) << UInt64(n)) &- 1)
    }

    /// The number of members.
    public var count: Int { bits.nonzeroBitCount }

    /// Whether the coalition has no members.
    public var isEmpty: Bool { bits == 0 }

    /// Whether player `i` is a member.
    public func contains(_ i: Int) -> Bool {
        i >= 0 && i < Coalition.maximumPlayers && bits & (UInt64(1) << UInt64(i)) != 0
    }

    /// The coalition with player `i` added.
    public func adding(_ i: Int) -> Coalition {
        precondition(i >= 0 && i < Coalition.maximumPlayers, "Coalition.adding: player \(i) outside 0..<64")
        return Coalition(bits: bits | (UInt64(1) << UInt64(i)))
    }

    /// The coalition with player `i` removed.
    public func removing(_ i: Int) -> Coalition {
        precondition(i >= 0 && i < Coalition.maximumPlayers, "Coalition.removing: player \(i) outside 0..<64")
        return Coalition(bits: bits & ~(UInt64(1) << UInt64(i)))
    }

    /// The members in increasing order.
    public var members: [Int] {
        var out: [Int] = []
        out.reserveCapacity(count)
        var b = bits
        while b != 0 {
            out.append(b.trailingZeroBitCount)
            b &= b &- 1
        }
        return out
    }

    public var description: String { "{" + members.map(String.init).joined(separator: ", ") + "}" }
}
