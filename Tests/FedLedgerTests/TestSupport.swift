import FedLedger
import Foundation
import Testing

/// Hex helpers, a seeded generator and the merkle test-vector files.
enum TestSupport {
    static func bytes(_ hex: String) -> [UInt8] {
        let u = Array(hex.utf8)
        return stride(from: 0, to: u.count, by: 2).map { UInt8(String(decoding: u[$0..<($0 + 2)], as: UTF8.self), radix: 16)! }
    }

    static func hex(_ b: [UInt8]) -> String { b.map { String(format: "%02x", $0) }.joined() }

    /// Leaf inputs of the RFC 6962 / transparency-dev reference tree.
    static let referenceLeaves: [[UInt8]] = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"].map(bytes)

    /// Leaf hashes of `n` distinct made-up entries.
    static func leafHashes(_ n: Int) -> [[UInt8]] {
        (0..<n).map { MerkleHash.leaf(Array("entry \($0)".utf8)) }
    }

    /// The directory of the copied vectors.
    static var vectorsURL: URL { Bundle.module.resourceURL!.appendingPathComponent("Vectors") }

    /// Relative paths of the JSON files under `Vectors/<kind>`, sorted.
    static func vectorFiles(_ kind: String) -> [String] {
        let root = vectorsURL.appendingPathComponent(kind)
        let dirs = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return dirs.flatMap { d in
            ((try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent(d).path)) ?? [])
                .filter { $0.hasSuffix(".json") }.map { "\(kind)/\(d)/\($0)" }
        }.sorted()
    }

    static func load<T: Decodable>(_ type: T.Type, _ path: String) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(contentsOf: vectorsURL.appendingPathComponent(path)))
    }
}

/// SplitMix64, for reproducible random sizes and indices in tests.
struct TestRandom {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(n)) }
}

/// Runs `body` and returns the `LedgerError` it throws, recording an issue if it throws none.
func ledgerError(_ body: () throws -> Void, sourceLocation: SourceLocation = #_sourceLocation) -> LedgerError? {
    do {
        try body()
        Issue.record("expected a LedgerError, nothing was thrown", sourceLocation: sourceLocation)
        return nil
    } catch let e as LedgerError {
        return e
    } catch {
        Issue.record("expected a LedgerError, got \(error)", sourceLocation: sourceLocation)
        return nil
    }
}
