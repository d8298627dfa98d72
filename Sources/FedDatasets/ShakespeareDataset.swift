import Foundation
import FedTensor

/// LEAF's Shakespeare next-character task (Caldas et al. 2018): one client per speaking
/// role of each play, built from the Gutenberg complete works by LEAF's rules
/// (`LEAFShakespeareParser`). A sample is an 80-character window of a role's normalised
/// text and the character that follows it.
///
/// Samples are produced lazily from each role's text (4.2 million samples from 4.3 MB of
/// text): address them by role and offset, and build batches with `batch(role:offsets:)`.
/// The role table matches `leaf_clients_by_role.tsv` exactly: 36 plays, 1,145 roles,
/// 1,130 with at least one sample, 4,226,206 samples.
public struct ShakespeareDataset: Sendable {
    /// The window length, 80 characters.
    public static let sequenceLength = 80

    /// Every role that survives LEAF's filters (step 7), in order of first appearance,
    /// including the 15 whose text is too short for any sample.
    public let roles: [ShakespeareRole]

    /// The index used for characters outside `ShakespeareAlphabet`: −1 as in LEAF (default).
    /// Set it to a valid index (e.g. 1, the space) if a model cannot take −1. (The bundled
    /// complete works give role texts entirely inside the alphabet, so this is a safeguard.)
    public var outOfAlphabetIndex: Int32 = ShakespeareAlphabet.outOfAlphabet {
        didSet {
            indexTable = ShakespeareAlphabet.table.map { $0 == ShakespeareAlphabet.outOfAlphabet ? outOfAlphabetIndex : $0 }
        }
    }

    /// The index of every byte value, with `outOfAlphabetIndex` for bytes outside the alphabet.
    private var indexTable: [Int32] = ShakespeareAlphabet.table

    /// Creates a dataset from roles already built.
    public init(roles: [ShakespeareRole]) {
        self.roles = roles
    }

    /// Reads and parses the complete works (plain or gzipped).
    /// - Parameter url: `shakespeare_complete_works.txt.gz` (Gutenberg etext #100, 1994 edition).
    /// - Throws: `DatasetError` for unreadable, corrupt, empty or non-UTF-8 files, and
    ///   `.invalidFormat` if the text lacks the layout LEAF's rules rely on.
    public static func load(completeWorks url: URL) throws -> ShakespeareDataset {
        let bytes = try TextReader.readBytes(at: url)
        return ShakespeareDataset(roles: try LEAFShakespeareParser.parse(bytes, source: url.path))
    }

    /// The total number of samples over all roles.
    public var sampleCount: Int { roles.reduce(0) { $0 + $1.sampleCount } }

    /// The positions in `roles` of the roles with at least one sample (LEAF's users).
    public var clientRoles: [Int] { roles.indices.filter { roles[$0].sampleCount > 0 } }

    /// LEAF's `-t sample --tf trainFraction` split, for every role with a non-empty test part.
    /// - Parameter trainFraction: the fraction p of each role's samples used for training (LEAF: 0.8).
    public func split(trainFraction: Double = 0.8) -> [ShakespeareClientSplit] {
        roles.indices.compactMap { r in
            let n = roles[r].sampleCount
            guard n >= 2 else { return nil }
            let nTrain = n == 2 ? 1 : max(1, Int((trainFraction * Double(n)).rounded(.down)))
            let testStart = nTrain + Self.sequenceLength - 1
            guard testStart < n else { return nil }
            return ShakespeareClientSplit(clientID: roles[r].clientID, role: r, train: 0..<nTrain, test: testStart..<n)
        }
    }

    /// Sample `offset` of role `role`: the 80 input indices and the label index.
    /// - Precondition: `offset` is in `0..<roles[role].sampleCount`.
    public func sample(role: Int, offset: Int) -> (x: [Int32], y: Int32) {
        let b = batch(role: role, offsets: [offset])
        return (b.indices, b.labels[0])
    }

    /// The samples at `offsets` of one role as a batch `[B, 80]` + `[B]`.
    /// - Precondition: every offset is in `0..<roles[role].sampleCount`.
    public func batch(role: Int, offsets: some Collection<Int>) -> CharacterBatch {
        var b = CharacterBatch(indices: [], labels: [], sequenceLength: Self.sequenceLength)
        fill(&b, role: role, offsets: offsets)
        return b
    }

    /// Overwrites `batch` with the samples at `offsets` of one role, reusing its storage.
    /// - Precondition: every offset is in `0..<roles[role].sampleCount`.
    public func fill(_ batch: inout CharacterBatch, role: Int, offsets: some Collection<Int>) {
        let length = Self.sequenceLength
        let table = indexTable
        let text = roles[role].text
        let samples = roles[role].sampleCount
        batch.indices.removeAll(keepingCapacity: true)
        batch.labels.removeAll(keepingCapacity: true)
        batch.indices.reserveCapacity(offsets.count * length)
        text.withUnsafeBufferPointer { t in
            table.withUnsafeBufferPointer { map in
                for offset in offsets {
                    precondition(offset >= 0 && offset < samples, "ShakespeareDataset: offset \(offset) outside 0..<\(samples) for role \(role)")
                    for k in offset ..< offset + length { batch.indices.append(map[Int(t[k])]) }
                    batch.labels.append(map[Int(t[offset + length])])
                }
            }
        }
    }

    /// One epoch of shuffled mini-batches over some samples of one role (e.g. its training
    /// range). The order is drawn from `rng` now.
    /// - Parameters:
    ///   - role: the role's position in `roles`.
    ///   - offsets: the sample offsets to visit, e.g. `split.train`.
    ///   - batchSize: samples per batch (the last may be smaller unless `dropLast`).
    ///   - dropLast: whether to skip a final short batch.
    ///   - rng: the generator that shuffles the order.
    public func makeBatches(
        role: Int, offsets: Range<Int>, batchSize: Int, dropLast: Bool = false, rng: inout SeededRandom
    ) -> CharacterBatchIterator {
        var order = Array(offsets)
        rng.shuffle(&order)
        return CharacterBatchIterator(dataset: self, role: role, order: order, batchSize: batchSize, dropLast: dropLast)
    }
}
