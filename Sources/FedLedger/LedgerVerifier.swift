/// Verifies a whole ledger offline, with no trust in whoever stored it: the entries (with their
/// stored indices and, if kept, leaf hashes), the sequence of signed checkpoints, and the
/// coordinator's verifier key.
///
/// Checks, each failure reported with the entry index, checkpoint size or proof concerned:
/// 1. indices are contiguous from 0 (a dropped or reordered entry shows here);
/// 2. every entry decodes, and its recomputed leaf hash equals the stored one (a changed entry
///    shows here when the store keeps hashes);
/// 3. every checkpoint is signed by the key, has the origin, and its size is within the
///    entries; its root equals the root recomputed from the entries at that size (a changed,
///    dropped or reordered entry shows here even without stored hashes);
/// 4. consecutive checkpoints are consistent: sizes never decrease and equal sizes have equal
///    roots (whatever the entries say); and when the earlier checkpoint matched the entries,
///    the consistency proof computed from them must link its root to the later one's (a later
///    checkpoint of a diverging history, a fork, fails here; so does a later checkpoint whose
///    new entries were changed in storage, and the message says both are possible).
public enum LedgerVerifier {
    /// Verifies the ledger and reports every failure.
    /// - Parameters:
    ///   - entries: the stored entries, in storage order.
    ///   - signedCheckpoints: the signed checkpoint notes, oldest first.
    ///   - verifierKey: the coordinator's published verifier key.
    ///   - origin: the log's origin line, or nil to take the first checkpoint's.
    public static func verify(entries: [StoredLedgerEntry], signedCheckpoints: [String], verifierKey: String, origin: String? = nil) -> LedgerVerificationReport {
        var failures: [LedgerVerificationReport.Failure] = []
        var tree = MerkleTree()
        for (position, stored) in entries.enumerated() {
            if stored.index != UInt64(position) {
                failures.append(.init(subject: .entry(position: position), message: "stored index \(stored.index), expected \(position) (indices must be contiguous from 0: an entry is missing, extra or out of order)"))
            }
            if let error = catching({ _ = try stored.decoded() }) {
                failures.append(.init(subject: .entry(position: position), message: "\(error)"))
            }
            let leaf = MerkleHash.leaf(stored.bytes)
            if let kept = stored.leafHash, kept != leaf {
                failures.append(.init(subject: .entry(position: position), message: "entry \(stored.index): stored leaf hash \(Hex.encode(kept)) differs from the recomputed SHA-256(0x00 ‖ entry) \(Hex.encode(leaf)): the entry or its hash was changed"))
            }
            // Leaf hashes are 32 bytes by construction.
            _ = try? tree.append(leafHash: leaf)
        }

        let verifier: NoteVerifier
        do {
            verifier = try NoteVerifier(verifierKey: verifierKey)
        } catch {
            failures.append(.init(subject: .verifierKey, message: "\(error)"))
            return LedgerVerificationReport(entryCount: entries.count, checkpointCount: signedCheckpoints.count, failures: failures)
        }

        var expectedOrigin = origin
        var previous: (position: Int, checkpoint: LogCheckpoint, matched: Bool)?
        for (position, note) in signedCheckpoints.enumerated() {
            let checkpoint: LogCheckpoint
            do {
                checkpoint = try verifier.openCheckpoint(note, origin: expectedOrigin)
            } catch {
                failures.append(.init(subject: .checkpoint(position: position), message: "\(error)"))
                continue
            }
            expectedOrigin = checkpoint.origin
            let size = checkpoint.size
            var matched = false
            if size > tree.count {
                failures.append(.init(subject: .checkpoint(position: position), message: "size \(size) is beyond the \(tree.count) stored entries: entries are missing"))
            } else if let root = try? tree.root(size: size) {
                matched = root == checkpoint.rootHash
                if !matched {
                    failures.append(.init(subject: .checkpoint(position: position), message: "root mismatch at size \(size): the signed root is \(Hex.encode(checkpoint.rootHash)), the stored entries give \(Hex.encode(root)) (an entry below index \(size) was changed, dropped or reordered, or the checkpoint is from a fork)"))
                }
            }
            if let (p, old, oldMatched) = previous {
                if let message = inconsistency(old, checkpoint, tree, proveFromEntries: oldMatched) {
                    failures.append(.init(subject: .consistency(from: p, to: position), message: message))
                }
            }
            previous = (position, checkpoint, matched)
        }
        return LedgerVerificationReport(entryCount: entries.count, checkpointCount: signedCheckpoints.count, failures: failures)
    }

    /// Why `new` does not extend `old`, or nil when it does (or when, `old` not matching the
    /// entries, there is nothing trustworthy to prove from).
    static func inconsistency(_ old: LogCheckpoint, _ new: LogCheckpoint, _ tree: MerkleTree, proveFromEntries: Bool) -> String? {
        if new.size < old.size {
            return "the size went back from \(old.size) to \(new.size): checkpoints must never shrink"
        }
        if new.size == old.size {
            return old.rootHash == new.rootHash ? nil
                : "fork: two signed checkpoints of size \(new.size) with different roots \(Hex.encode(old.rootHash)) and \(Hex.encode(new.rootHash))"
        }
        guard proveFromEntries, new.size <= tree.count, let proof = try? tree.consistencyProof(from: old.size, to: new.size) else {
            return nil
        }
        if let error = catching({ try MerkleVerifier.verifyConsistency(size1: old.size, size2: new.size, proof: proof, root1: old.rootHash, root2: new.rootHash) }) {
            return "fork or rewrite: the checkpoint at size \(new.size) does not extend the verified one at size \(old.size) (the log forked, or an entry from index \(old.size) to \(new.size - 1) was changed, dropped or reordered); the consistency proof from the entries fails: \(error)"
        }
        return nil
    }

    static func catching(_ body: () throws -> Void) -> (any Error)? {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }
}
