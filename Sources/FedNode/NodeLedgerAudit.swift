import FedCrypto
import FedLedger
import Synchronization

/// What a node checks of the coordinator's ledger, so that it need not take the coordinator's
/// word: every new signed checkpoint must carry a valid signature of the run's key and extend
/// the last one the node verified (an RFC 9162 consistency proof; a rewritten history fails),
/// and every round record that lists this node must hold this node's own update commitment and
/// be included in the verified tree (an inclusion proof).
///
/// The I/O (fetching proofs and entries) is the caller's: the audit is a state machine over what
/// the caller fetched. Thread-safe: the node's task loop and its uploads share it.
public final class NodeLedgerAudit: Sendable {
    struct State {
        var monitor: LedgerMonitor
        var scanned: UInt64 = 0
        var commitments: [Int: String] = [:]
        var verifiedRounds = 0
        var failures: [String] = []
    }

    /// The node's name in round records.
    public let nodeID: String
    private let state: Mutex<State>

    /// Creates the audit of a ledger signed by `verifierKey` (`<name>+<hash>+<base64>`; the
    /// name is the log's origin).
    /// - Throws: `LedgerError` for a malformed key.
    public init(nodeID: String, verifierKey: String) throws {
        self.nodeID = nodeID
        let origin = String(verifierKey.split(separator: "+", maxSplits: 1).first ?? "")
        state = Mutex(State(monitor: try LedgerMonitor(verifierKey: verifierKey, origin: origin)))
    }

    /// Remembers the commitment (SHA-256 hex) of the update this node sent in `round`.
    public func committed(round: Int, sha256: String) {
        state.withLock { $0.commitments[round] = sha256 }
    }

    /// The verified tree size (0 before the first checkpoint).
    public var verifiedSize: UInt64 { state.withLock { $0.monitor.checkpoint?.size ?? 0 } }

    /// The size a signed checkpoint claims, without adopting it.
    /// - Throws: `LedgerError` when the note does not verify.
    public func size(of signedCheckpoint: String) throws -> UInt64 {
        try state.withLock { try $0.monitor.verifier.openCheckpoint(signedCheckpoint, origin: $0.monitor.origin).size }
    }

    /// Adopts a newer checkpoint with the consistency proof from the verified size.
    /// - Throws: `LedgerError` naming the failed proof (a fork or rewrite); the failure is also recorded.
    public func adopt(_ signedCheckpoint: String, consistencyProof: [[UInt8]]) throws {
        try state.withLock { s in
            do { _ = try s.monitor.update(signedCheckpoint: signedCheckpoint, consistencyProof: consistencyProof) } catch {
                s.failures.append("checkpoint: \(error)")
                throw error
            }
        }
    }

    /// The entries not yet scanned: `[scanned, verified size)`.
    public var unscanned: Range<UInt64> { state.withLock { $0.scanned..<($0.monitor.checkpoint?.size ?? 0) } }

    /// Checks the entries from `start` (fetched from the coordinator): a round record naming
    /// this node must carry its commitment. Returns the indices whose inclusion must be proven.
    public func scan(_ entries: [[UInt8]], from start: UInt64) -> [(index: UInt64, bytes: [UInt8])] {
        state.withLock { s in
            var toProve: [(UInt64, [UInt8])] = []
            for (offset, bytes) in entries.enumerated() {
                let index = start + UInt64(offset)
                guard case .round(let r)? = try? LedgerEntry(encoded: bytes),
                      let mine = r.participants.first(where: { $0.nodeID == nodeID }) else { continue }
                if let sent = s.commitments[r.round], sent != mine.updateSHA256 {
                    s.failures.append("entry \(index): round \(r.round) records update \(mine.updateSHA256) for this node; it sent \(sent)")
                    continue
                }
                toProve.append((index, bytes))
            }
            s.scanned = max(s.scanned, start + UInt64(entries.count))
            return toProve
        }
    }

    /// Verifies an entry's inclusion proof against the verified checkpoint.
    public func proveIncluded(_ bytes: [UInt8], index: UInt64, proof: [[UInt8]]) {
        state.withLock { s in
            do {
                try s.monitor.verifyInclusion(of: bytes, index: index, proof: proof)
                s.verifiedRounds += 1
            } catch {
                s.failures.append("entry \(index): inclusion proof failed: \(error)")
            }
        }
    }

    /// Round records naming this node whose inclusion was proven.
    public var verifiedRounds: Int { state.withLock { $0.verifiedRounds } }
    /// Everything that failed, each naming the entry or checkpoint.
    public var failures: [String] { state.withLock { $0.failures } }
}
