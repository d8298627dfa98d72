/// A ledger entry as storage keeps it: its index in the log, its canonical bytes and (when the
/// store keeps it) its leaf hash. `Ledger.append` returns one for the caller to persist;
/// `LedgerVerifier` checks a sequence of them.
public struct StoredLedgerEntry: Sendable, Equatable {
    /// The entry's index in the log (0-based).
    public var index: UInt64
    /// The entry's canonical encoding (`LedgerEntry.encoded()`).
    public var bytes: [UInt8]
    /// The stored leaf hash `SHA-256(0x00 ‖ bytes)`, if the store keeps it.
    public var leafHash: [UInt8]?

    /// Creates a stored entry.
    public init(index: UInt64, bytes: [UInt8], leafHash: [UInt8]? = nil) {
        self.index = index
        self.bytes = bytes
        self.leafHash = leafHash
    }

    /// The decoded entry.
    /// - Throws: `LedgerError` (`malformedEntry`) naming this entry's index.
    public func decoded() throws -> LedgerEntry {
        try LedgerEntry(encoded: bytes, source: "ledger entry \(index)")
    }
}
