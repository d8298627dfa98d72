/// How many usable updates a round needs to count.
public enum Quorum: Sendable, Equatable {
    /// Every selected node.
    case all
    /// At least this fraction of the selected nodes (rounded up), in (0, 1].
    case fraction(Double)
    /// At least this many nodes (capped at the number selected).
    case count(Int)

    /// The number of usable updates needed when `selected` nodes were asked: between 1 and
    /// `selected` (a round without updates never counts).
    public func required(selected: Int) -> Int {
        let n = max(1, selected)
        let raw: Int
        switch self {
        case .all: raw = n
        case .fraction(let f): raw = Int((f * Double(n)).rounded(.up))
        case .count(let c): raw = c
        }
        return min(n, max(1, raw))
    }

    /// Checks the value's range.
    /// - Throws: `RoundError.invalidConfiguration` for a fraction outside (0, 1] or a count below 1.
    public func validate() throws {
        switch self {
        case .all: return
        case .fraction(let f):
            guard f > 0, f <= 1 else {
                throw RoundError(.invalidConfiguration, source: "quorum", "expected a fraction in (0, 1], got \(f)")
            }
        case .count(let c):
            guard c >= 1 else {
                throw RoundError(.invalidConfiguration, source: "quorum", "expected a count of at least 1, got \(c)")
            }
        }
    }
}
