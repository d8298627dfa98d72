import FedModels
import Foundation

/// What tests reach inside a store (through `@testable import`): a commit with an injected
/// fault, and damage to a stored blob. Both stores implement it; it is not public API.
protocol StoreTestHooks: CoordinatorStore {
    /// `commitRound` calling `fault` at each stage inside its transaction.
    func commitRound(
        runID: String, round: Int, version: Int, parameters: ModelParameters, strategyState: [String: [Float]],
        metricsJSON: String, participants: [String], at: Date, ledger: LedgerAppend?, fault: CommitFault?
    ) async throws -> RoundRecord

    /// Overwrites the bytes of the blob stored under `sha256`, keeping its address.
    func tamper(sha256: String, bytes: [UInt8]) async throws
}

extension StoreTestHooks {
    /// `commitRound` without ledger entries, calling `fault` at each stage.
    func commitRound(
        runID: String, round: Int, version: Int, parameters: ModelParameters, strategyState: [String: [Float]],
        metricsJSON: String, participants: [String], at: Date, fault: CommitFault?
    ) async throws -> RoundRecord {
        try await commitRound(runID: runID, round: round, version: version, parameters: parameters, strategyState: strategyState,
                              metricsJSON: metricsJSON, participants: participants, at: at, ledger: nil, fault: fault)
    }
}

extension InMemoryCoordinatorStore: StoreTestHooks {}
extension SQLiteCoordinatorStore: StoreTestHooks {}
