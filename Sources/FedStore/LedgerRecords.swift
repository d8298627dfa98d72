import FedCrypto
import Foundation

/// One stored entry of a run's ledger (FedLedger's append-only Merkle log): its position, its
/// canonical bytes and its RFC 9162 leaf hash SHA-256(0x00 ‖ bytes). The store keeps the leaf
/// hash beside the bytes so a verifier can tell a changed entry (bytes no longer match the
/// hash) from a changed hash (the tree no longer matches the signed checkpoints).
public struct LedgerRecord: Sendable, Equatable {
    /// The entry's index in the log (0-based, contiguous).
    public var index: Int
    /// The round the entry belongs to (0 for run-level entries: configuration, fingerprints).
    public var round: Int
    /// The entry's kind, e.g. `round` or `evaluation` (for queries; the bytes say it too).
    public var kind: String
    /// The entry's canonical bytes.
    public var bytes: [UInt8]
    /// SHA-256(0x00 ‖ bytes).
    public var leafHash: [UInt8]

    /// Creates a record, computing the leaf hash.
    public init(index: Int, round: Int, kind: String, bytes: [UInt8]) {
        self.init(index: index, round: round, kind: kind, bytes: bytes, leafHash: LedgerRecord.leafHash(of: bytes))
    }

    /// Creates a record with a given leaf hash (as read back from storage).
    public init(index: Int, round: Int, kind: String, bytes: [UInt8], leafHash: [UInt8]) {
        self.index = index
        self.round = round
        self.kind = kind
        self.bytes = bytes
        self.leafHash = leafHash
    }

    /// The RFC 9162 leaf hash of `bytes`.
    public static func leafHash(of bytes: [UInt8]) -> [UInt8] {
        var hasher = IncrementalSHA256()
        hasher.update([0])
        hasher.update(bytes)
        return hasher.finalize()
    }
}

/// A signed tree head of a run's ledger: a C2SP tlog-checkpoint signed note.
public struct LedgerCheckpointRecord: Sendable, Equatable {
    /// The number of entries the checkpoint covers.
    public var treeSize: Int
    /// The signed note (checkpoint text, a blank line, signature lines).
    public var signedNote: String
    /// When it was signed.
    public var createdAt: Date

    /// Creates a checkpoint record.
    public init(treeSize: Int, signedNote: String, createdAt: Date) {
        self.treeSize = treeSize
        self.signedNote = signedNote
        self.createdAt = createdAt
    }
}

/// Entries to append to a run's ledger and the checkpoint that covers them, written together.
public struct LedgerAppend: Sendable, Equatable {
    /// The new entries, with contiguous indices starting at the ledger's current size.
    public var entries: [LedgerRecord]
    /// The checkpoint signed over the ledger including them.
    public var checkpoint: LedgerCheckpointRecord

    /// Creates an append.
    public init(entries: [LedgerRecord], checkpoint: LedgerCheckpointRecord) {
        self.entries = entries
        self.checkpoint = checkpoint
    }
}

/// The key a run's ledger checkpoints are signed with: an Ed25519 private key seed and the
/// signer's name (the checkpoint's origin and the signed note's key name).
public struct LedgerKeyRecord: Sendable, Equatable {
    /// The key name, e.g. `feddata.example/run-…`.
    public var name: String
    /// The 32-byte Ed25519 private key seed.
    public var seed: [UInt8]

    /// Creates a key record.
    public init(name: String, seed: [UInt8]) {
        self.name = name
        self.seed = seed
    }
}

extension StoreRules {
    /// Checks an append against the ledger's current size and last checkpoint size.
    static func checkLedgerAppend(_ append: LedgerAppend, runID: String, size: Int, lastCheckpoint: Int?) throws {
        let source = "ledger of run \(runID)"
        for (offset, entry) in append.entries.enumerated() {
            guard entry.index == size + offset else {
                throw StoreError(.outOfOrder, source: source,
                                 "entry \(offset) of the append has index \(entry.index); expected \(size + offset) (the ledger holds \(size) entries)")
            }
            guard entry.leafHash.count == 32, entry.leafHash == LedgerRecord.leafHash(of: entry.bytes) else {
                throw StoreError(.invalidInput, source: "\(source), entry \(entry.index)", "the leaf hash is not SHA-256(0x00 ‖ entry bytes)")
            }
            guard entry.round >= 0, !entry.kind.isEmpty else {
                throw StoreError(.invalidInput, source: "\(source), entry \(entry.index)", "expected a round ≥ 0 and a non-empty kind")
            }
        }
        let newSize = size + append.entries.count
        guard append.checkpoint.treeSize == newSize else {
            throw StoreError(.invalidInput, source: source,
                             "the checkpoint covers \(append.checkpoint.treeSize) entries; after this append the ledger holds \(newSize)")
        }
        if let last = lastCheckpoint, newSize <= last {
            throw StoreError(.outOfOrder, source: source, "a checkpoint of size \(newSize) follows one of size \(last); checkpoints must grow")
        }
        guard !append.checkpoint.signedNote.isEmpty else {
            throw StoreError(.invalidInput, source: source, "the checkpoint's signed note is empty")
        }
    }
}
