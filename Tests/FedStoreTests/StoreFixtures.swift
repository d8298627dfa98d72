import FedModels
import Foundation
import Testing

@testable import FedStore

/// The two stores every shared test runs against.
enum Backend: String, CaseIterable, CustomTestStringConvertible {
    case sqlite
    case memory

    var testDescription: String { rawValue }
}

/// A unique temporary folder, removed when `body` ends (even when it throws).
func withTemporaryDirectory<T>(_ body: (URL) async throws -> T) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("fedstore-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    return try await body(directory)
}

/// A fresh store of the given kind (the SQLite one in a temporary folder, closed afterwards).
func withStore<T>(_ backend: Backend, _ body: (any StoreTestHooks) async throws -> T) async throws -> T {
    switch backend {
    case .memory:
        return try await body(InMemoryCoordinatorStore())
    case .sqlite:
        return try await withTemporaryDirectory { directory in
            let store = try SQLiteCoordinatorStore(path: directory.appendingPathComponent("state.sqlite").path)
            defer { try? store.close() }
            return try await body(store)
        }
    }
}

/// Small, hand-checkable inputs.
enum Sample {
    /// A 2×3 weight and a 3-vector bias: 9 scalars.
    static let specs = [ParameterSpec(name: "fc.weight", shape: [2, 3]), ParameterSpec(name: "fc.bias", shape: [3])]
    static let parameterCount = 9

    /// Parameters `start, start + 0.25, start + 0.5, …` (exact in Float).
    static func parameters(_ start: Float) -> ModelParameters {
        try! ModelParameters(flat: (0..<parameterCount).map { start + Float($0) * 0.25 }, specs: specs)
    }

    /// A time with a fraction, to check that dates round-trip exactly.
    static let t0 = Date(timeIntervalSinceReferenceDate: 790_000_000.123_456_7)

    /// `t0 + seconds`.
    static func time(_ seconds: Double) -> Date { t0.addingTimeInterval(seconds) }

    /// A fresh run of `totalRounds` rounds of the 9-scalar model.
    static func run(_ id: String = "r1", totalRounds: Int = 5, seed: UInt64 = 42, createdAt: Date = t0) -> RunRecord {
        RunRecord(
            id: id, configuration: #"{"model":"tiny","rounds":\#(totalRounds)}"#, modelName: "tiny",
            parameterCount: parameterCount, totalRounds: totalRounds, seed: seed, createdAt: createdAt)
    }

    /// Momentum-like strategy state for round `round`.
    static func strategyState(_ round: Int) -> [String: [Float]] {
        ["momentum": (0..<parameterCount).map { Float(round) + Float($0) * 0.5 }, "step": [Float(round)]]
    }

    static func metrics(_ round: Int) -> String { #"{"loss":\#(1.0 / Double(round)),"round":\#(round)}"# }
}

extension CoordinatorStore {
    /// Commits round `round` of run `r1` with `Sample` data (parameters start at `round`).
    @discardableResult
    func commitSample(_ round: Int, runID: String = "r1", parameters: ModelParameters? = nil, strategy: Bool = true) async throws -> RoundRecord {
        try await commitRound(
            runID: runID, round: round, version: round, parameters: parameters ?? Sample.parameters(Float(round)),
            strategyState: strategy ? Sample.strategyState(round) : [:], metricsJSON: Sample.metrics(round),
            participants: ["node-a", "node-b/α"], at: Sample.time(Double(round)))
    }
}

/// The error `body` throws, if it is a `StoreError`.
func storeError(_ body: () async throws -> Void) async -> StoreError? {
    do {
        try await body()
        return nil
    } catch let error as StoreError {
        return error
    } catch {
        Issue.record("expected a StoreError, got \(error)")
        return nil
    }
}
