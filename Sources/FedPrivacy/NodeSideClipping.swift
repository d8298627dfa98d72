/// The node's half of DP-FedAvg: when the round's instructions carry `dp_clip_norm` (sent by
/// `DifferentialPrivacyStrategy`), the node clips its own update to that norm before it leaves
/// (as secure aggregation requires) and reports `dp_unclipped` (1 if its norm was ≤ C, else 0)
/// for adaptive clipping. Without the instruction it does nothing.
public enum NodeSideClipping {
    /// Applies the round's clipping instruction, if any, to an update.
    /// - Parameters:
    ///   - instructions: the round's training instructions (from the server: validated here).
    ///   - delta: the node's update, clipped in place.
    ///   - metrics: the update's metrics; `dp_unclipped` is set when clipping applies.
    /// - Returns: the clipping outcome, or nil when the instructions ask for no clipping.
    /// - Throws: `PrivacyError.invalidArgument` naming the `dp_clip_norm` instruction when it is
    ///   not a finite positive number.
    @discardableResult
    public static func apply(instructions: [String: Double], to delta: inout [Float],
                             metrics: inout [String: Double]) throws(PrivacyError) -> ClipOutcome? {
        guard let clipNorm = instructions[DPFedAvgAccumulator.clipNormInstruction] else { return nil }
        guard clipNorm.isFinite, clipNorm > 0 else {
            throw PrivacyError(.invalidArgument, source: "round instruction \(DPFedAvgAccumulator.clipNormInstruction)",
                               "expected a finite clip norm > 0, got \(clipNorm)")
        }
        let outcome = try UpdateClipper(clipNorm: clipNorm).clip(&delta)
        metrics[DPFedAvgAccumulator.unclippedMetric] = outcome.wasClipped ? 0 : 1
        return outcome
    }
}
