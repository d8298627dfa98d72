/// What a node keeps to watch the coordinator's ledger: the verifier key, the origin, and the
/// last checkpoint it verified. A new checkpoint is accepted only with a valid signature and
/// a valid consistency proof from the last one, so a rewritten or forked history is refused.
public struct LedgerMonitor: Sendable {
    /// The coordinator's checkpoint verifier.
    public let verifier: NoteVerifier
    /// The log's expected origin line.
    public let origin: String
    /// The last verified checkpoint, nil before the first.
    public private(set) var checkpoint: LogCheckpoint?

    /// A monitor trusting `verifierKey` for the log `origin`.
    /// - Throws: `LedgerError` (`malformedKey`) for a bad verifier key.
    public init(verifierKey: String, origin: String) throws {
        self.verifier = try NoteVerifier(verifierKey: verifierKey)
        self.origin = origin
    }

    /// Verifies and adopts a newer signed checkpoint.
    /// - Parameters:
    ///   - signedCheckpoint: the signed note.
    ///   - consistencyProof: the proof from the last verified size to the new size (empty
    ///     for the first checkpoint or an unchanged size).
    /// - Returns: the adopted checkpoint.
    /// - Throws: `LedgerError`: a signature or format error from `openCheckpoint`, or
    ///   `inconsistentHistory` when the size went backwards or the proof does not link the last
    ///   verified root to the new one (the history was rewritten). The monitor keeps its last
    ///   checkpoint on any error.
    @discardableResult
    public mutating func update(signedCheckpoint: String, consistencyProof: [[UInt8]]) throws -> LogCheckpoint {
        let new = try verifier.openCheckpoint(signedCheckpoint, origin: origin)
        guard let old = checkpoint else {
            checkpoint = new
            return new
        }
        let source = "checkpoint at size \(new.size) after verified size \(old.size)"
        guard new.size >= old.size else {
            throw LedgerError(.inconsistentHistory, source: source, "the log shrank from \(old.size) to \(new.size) entries")
        }
        do {
            try MerkleVerifier.verifyConsistency(size1: old.size, size2: new.size, proof: consistencyProof, root1: old.rootHash, root2: new.rootHash)
        } catch let e as LedgerError {
            throw LedgerError(.inconsistentHistory, source: source, "the new checkpoint does not extend the verified history: \(e)")
        }
        checkpoint = new
        return new
    }

    /// Verifies that `entry` is entry `index` of the log at the last verified checkpoint.
    /// - Throws: `LedgerError`: `outOfRange` before any checkpoint or for an index beyond it,
    ///   or the inclusion proof's error (`wrongProofLength`, `rootMismatch`, …).
    public func verifyInclusion(of entry: [UInt8], index: UInt64, proof: [[UInt8]]) throws {
        guard let checkpoint else {
            throw LedgerError(.outOfRange, source: "inclusion of entry \(index)", "no checkpoint has been verified yet")
        }
        try MerkleVerifier.verifyInclusion(leafHash: MerkleHash.leaf(entry), leafIndex: index, treeSize: checkpoint.size, proof: proof, root: checkpoint.rootHash)
    }
}
