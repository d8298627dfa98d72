import FedCrypto

/// The outcome of `LedgerBenchmark.run` (`feddata bench ledger`, name `ledger-1m`).
public struct LedgerBenchmarkResult: Sendable, Equatable {
    /// The benchmark's name, e.g. `ledger-1m`.
    public var name: String
    /// Entries appended.
    public var entryCount: Int
    /// Appends per second: encoding a round record, hashing its leaf, updating the tree.
    public var appendsPerSecond: Double
    /// Inclusion proofs per second, at random indices of the full log.
    public var proofsPerSecond: Double
    /// Inclusion-proof verifications per second (RFC 9162 §2.1.3.2), same proofs.
    public var verificationsPerSecond: Double
    /// Bytes the ledger adds per round: one round record for `participantsPerRound`
    /// participants plus one signed checkpoint.
    public var bytesPerRound: Int
    /// Of which the encoded round record.
    public var roundEntryBytes: Int
    /// Of which the signed checkpoint note.
    public var checkpointBytes: Int
    /// Participants in the benchmark's round records.
    public var participantsPerRound: Int
}

/// Times the ledger at scale: appends of realistic round records, inclusion proofs and their
/// verification on a large log.
public enum LedgerBenchmark {
    /// A typical round record: `participants` accepted updates, one rejection, one failure,
    /// ε and four metrics.
    public static func sampleRound(round: Int, participants: Int) -> LedgerRound {
        func digest(_ s: String) -> String { SHA256Digest.hex(SHA256Digest.hash(Array(s.utf8))) }
        return LedgerRound(
            round: round, globalModelSHA256: digest("model-\(round)"), strategy: "fedavg",
            participants: (0..<participants).map { LedgerRound.Participant(nodeID: "hospital-\($0)", updateSHA256: digest("update-\(round)-\($0)"), sampleCount: 1000 + $0) },
            rejected: [LedgerRound.Exclusion(nodeID: "hospital-\(participants)", reason: "non_finite", detail: "delta[17] is NaN")],
            failures: [LedgerRound.Exclusion(nodeID: "hospital-\(participants + 1)", reason: "timed_out", detail: "no reply within 30 s")],
            epsilonSpent: 0.05 * Double(round), metrics: ["train_loss": 0.31, "train_accuracy": 0.9, "eval_loss": 0.35, "eval_accuracy": 0.88])
    }

    /// Builds a log of `entryCount` round records and times appends, proofs and verifications.
    /// - Parameters:
    ///   - entryCount: entries in the log (default 1,000,000; ≥ 1).
    ///   - proofCount: inclusion proofs to make and verify (default 100,000; ≥ 1).
    ///   - participantsPerRound: participants in each round record (default 10).
    ///   - seed: picks the proof indices.
    /// - Throws: `LedgerError` if an operation fails (it should not: that would be a bug).
    public static func run(entryCount: Int = 1_000_000, proofCount: Int = 100_000, participantsPerRound: Int = 10, seed: UInt64 = 1) throws -> LedgerBenchmarkResult {
        precondition(entryCount >= 1 && proofCount >= 1, "entryCount and proofCount must be ≥ 1")
        let signer = try NoteSigner.generate(name: "bench.feddata.example/ledger")
        var ledger = try Ledger(origin: signer.name, signer: signer)
        // Vary one field per entry so that every leaf differs, as in a real log.
        var record = sampleRound(round: 1, participants: participantsPerRound)
        let clock = ContinuousClock()
        let appendStart = clock.now
        for i in 0..<entryCount {
            record.round = i + 1
            try ledger.append(.round(record))
        }
        let appendSeconds = seconds(clock.now - appendStart)

        var rng = SplitMix64(seed: seed)
        let size = ledger.size
        let indices = (0..<proofCount).map { _ in rng.next() % size }
        var proofs: [[[UInt8]]] = []
        proofs.reserveCapacity(proofCount)
        let proofStart = clock.now
        for i in indices { proofs.append(try ledger.inclusionProof(index: i)) }
        let proofSeconds = seconds(clock.now - proofStart)

        let root = try ledger.checkpoint().rootHash
        let leaves = try indices.map { try ledger.leafHash(at: $0) }
        let verifyStart = clock.now
        for (k, i) in indices.enumerated() {
            try MerkleVerifier.verifyInclusion(leafHash: leaves[k], leafIndex: i, treeSize: size, proof: proofs[k], root: root)
        }
        let verifySeconds = seconds(clock.now - verifyStart)

        let roundBytes = try LedgerEntry.round(sampleRound(round: entryCount, participants: participantsPerRound)).encoded().count
        let checkpointBytes = try ledger.signedCheckpoint().utf8.count
        let name = entryCount % 1_000_000 == 0 ? "ledger-\(entryCount / 1_000_000)m" : "ledger-\(entryCount)"
        return LedgerBenchmarkResult(
            name: name, entryCount: entryCount, appendsPerSecond: Double(entryCount) / appendSeconds,
            proofsPerSecond: Double(proofCount) / proofSeconds, verificationsPerSecond: Double(proofCount) / verifySeconds,
            bytesPerRound: roundBytes + checkpointBytes, roundEntryBytes: roundBytes, checkpointBytes: checkpointBytes,
            participantsPerRound: participantsPerRound)
    }

    static func seconds(_ d: Duration) -> Double {
        max(1e-9, Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18)
    }
}

/// SplitMix64: picks benchmark indices reproducibly (not for cryptography).
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
