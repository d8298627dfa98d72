import FedFusion

/// The checks every reply passes before its update may reach an accumulator: the identity,
/// round, length, finiteness and sample-count rules. Shared by synchronous and buffered rounds.
/// (Whether the sender was selected, and whether it already answered, is the caller's state.)
struct UpdateValidator: Sendable {
    /// What a reply amounts to.
    enum Verdict: Sendable, Equatable {
        /// A usable update.
        case accepted(NodeUpdate)
        /// The node declined to take part (a failure, not a rejection).
        case declined(String)
        /// The update broke a rule.
        case rejected(RejectedUpdate)
    }

    /// The model's parameter count: every delta must have this length.
    let parameterCount: Int

    /// Checks `reply`, which arrived over `channel` in answer to a task of `round` and `version`.
    func check(_ reply: TrainingReply, channel: String, round: Int, version: Int) -> Verdict {
        func reject(_ reason: RejectedUpdate.Reason, _ detail: String) -> Verdict {
            .rejected(RejectedUpdate(nodeID: channel, round: round, reason: reason, detail: detail))
        }
        guard reply.nodeID == channel else {
            return reject(.identityMismatch, "the reply names node '\(reply.nodeID)' but arrived from node '\(channel)'")
        }
        guard reply.round == round else {
            return reject(.wrongRound, "the reply is for round \(reply.round); expected round \(round)")
        }
        switch reply.outcome {
        case .declined(let reason):
            return .declined(reason)
        case .update(let delta, let sampleCount):
            guard delta.count == parameterCount else {
                return reject(.wrongLength, "the delta has \(delta.count) values; expected \(parameterCount)")
            }
            if let bad = Self.firstNonFinite(delta) {
                return reject(.nonFinite, "delta element \(bad) is \(delta[bad]); expected finite values")
            }
            guard sampleCount > 0 else {
                return reject(.invalidSampleCount, "the sample count is \(sampleCount); expected at least 1")
            }
            return .accepted(NodeUpdate(nodeID: channel, delta: delta, sampleCount: sampleCount, baseVersion: version,
                                        metrics: reply.metrics))
        }
    }

    /// The index of the first NaN or ±Inf in `values`, if any.
    static func firstNonFinite(_ values: [Float]) -> Int? {
        values.withUnsafeBufferPointer { p in
            // NaN and ±Inf are the floats whose exponent bits are all ones; adding one to the
            // exponent field then carries into the sign bit. Integer ORs vectorise, so the clean
            // case is one fast pass; the search runs only when something is wrong.
            var flag: UInt32 = 0
            for v in p { flag |= ((v.bitPattern & 0x7F80_0000) &+ 0x0080_0000) & 0x8000_0000 }
            guard flag != 0 else { return nil }
            return p.firstIndex { !$0.isFinite }
        }
    }
}
