/// The accumulator of the Byzantine-robust strategies (`CoordinateWiseMedian`, `TrimmedMean`,
/// `Krum`, `MultiKrum`). Their statistics need every update of the round at once, so it keeps
/// them: memory O(k·d) for k updates of d scalars (the deltas are retained, not copied: an
/// update's array is shared with the caller), plus, while fusing, O(k·B) scratch for the
/// coordinate-wise rules (B = 512 coordinates per block) or O(k²) distances for Krum.
/// k is bounded by the number of nodes selected per round.
///
/// Fusion is independent of arrival order: the updates are put in node-id order first, so ties
/// (equal Krum scores) and summation order are the same whatever order the updates arrived in.
public struct RobustAccumulator: UpdateAccumulator {
    /// The statistic computed by `fuse()`.
    enum Rule: Sendable, Equatable {
        case median
        case trimmedMean(beta: Double)
        case krum(assumedByzantine: Int)
        case multiKrum(assumedByzantine: Int, selectionCount: Int?)
    }

    let rule: Rule
    /// The number of scalars each update must have.
    public let parameterCount: Int
    var deltas: [[Float]] = []
    var nodeIDs: [String] = []

    init(parameterCount: Int, rule: Rule) {
        precondition(parameterCount >= 0, "parameterCount must be ≥ 0")
        self.parameterCount = parameterCount
        self.rule = rule
    }

    /// How many updates have been folded in.
    public var count: Int { deltas.count }

    /// Keeps the update for the round's statistic.
    /// - Precondition: `update.delta.count == parameterCount`.
    public mutating func add(_ update: NodeUpdate) {
        precondition(update.delta.count == parameterCount, "update has \(update.delta.count) scalars; the accumulator holds \(parameterCount)")
        deltas.append(update.delta)
        nodeIDs.append(update.nodeID)
    }

    /// The deltas in node-id order (arrival order among equal ids).
    func canonicalDeltas() -> [[Float]] {
        let order = nodeIDs.indices.sorted { (nodeIDs[$0], $0) < (nodeIDs[$1], $1) }
        return order.map { deltas[$0] }
    }

    /// The rule's fused delta.
    /// - Throws: `FusionError.cannotFuse` when no update was folded in, or too few for the rule
    ///   (Krum needs k > 2f + 2; a trimmed mean needs at least one value left after trimming).
    public func fuse() throws(FusionError) -> [Float] {
        guard count > 0 else {
            throw FusionError(.cannotFuse, source: "robust fusion", "no updates were folded in; expected at least 1")
        }
        let rows = canonicalDeltas()
        switch rule {
        case .median:
            return CoordinateWiseMedian.median(of: rows, parameterCount: parameterCount)
        case .trimmedMean(let beta):
            return try TrimmedMean.trimmedMean(of: rows, parameterCount: parameterCount, beta: beta)
        case .krum(let f):
            let chosen = try Krum.ranking(rows, assumedByzantine: f)[0]
            return rows[chosen]
        case .multiKrum(let f, let m):
            return try MultiKrum.fuse(rows, parameterCount: parameterCount, assumedByzantine: f, selectionCount: m)
        }
    }

    /// `fuse()`, or nil when it throws.
    public func fusedDelta() -> [Float]? { try? fuse() }

    /// Computes `statistic(column)` for each of the d coordinates, where `column` holds the k
    /// values of that coordinate (one per row) in a scratch buffer the statistic may reorder.
    ///
    /// Rows are k×d; reading a column directly would stride by d across k arrays, so the
    /// coordinates are taken in blocks of B: the k×B block is transposed into a B×k scratch
    /// (each row read contiguously), then each column is a contiguous run of k values.
    static func mapColumns<E: Error>(
        _ rows: [[Float]], parameterCount d: Int,
        _ statistic: (UnsafeMutableBufferPointer<Float>) throws(E) -> Float
    ) throws(E) -> [Float] {
        let k = rows.count, blockSize = 512
        var out = [Float](repeating: 0, count: d)
        var scratch = [Float](repeating: 0, count: k * min(blockSize, d))  // [B][k]
        var j0 = 0
        while j0 < d {
            let b = min(blockSize, d - j0)
            scratch.withUnsafeMutableBufferPointer { s in
                for (i, row) in rows.enumerated() {
                    row.withUnsafeBufferPointer { r in
                        for jj in 0..<b { s[jj * k + i] = r[j0 + jj] }
                    }
                }
            }
            for jj in 0..<b {
                out[j0 + jj] = try scratch.withUnsafeMutableBufferPointer { (s) throws(E) -> Float in
                    try statistic(UnsafeMutableBufferPointer(rebasing: s[(jj * k)..<(jj * k + k)]))
                }
            }
            j0 += b
        }
        return out
    }
}
