import FedDatasets
import FedLedger
import FedModels
import FedSimulation
import FedStore
import FedWorkloads
import Foundation

/// `simulate --state`: the run recorded in a state file exactly as the coordinator records one
/// (run, initial checkpoint, every round with its ledger entries and signed checkpoint).
struct SimulationJournal: Sendable {
    let store: SQLiteCoordinatorStore
    let runID: String
    let journal: RunJournal

    static func start(path: String, arguments: [String: Any], model: any Model, initial: ModelParameters, rounds: Int, seed: UInt64,
                      partitions: [ClientPartition], data: any SampleSource) async throws -> SimulationJournal {
        let store = try SQLiteCoordinatorStore(path: path)
        let runID = "sim-" + String(UInt64(Date().timeIntervalSince1970 * 1000), radix: 36) + "-" + String(UInt32.random(in: 0...UInt32.max), radix: 36)
        let json = String(decoding: try JSONSerialization.data(withJSONObject: arguments, options: [.sortedKeys]), as: UTF8.self)
        try await store.createRun(RunRecord(id: runID, configuration: json, modelName: arguments["model"] as? String ?? "?",
                                            parameterCount: model.parameterCount, totalRounds: rounds, seed: seed, createdAt: Date(),
                                            status: .running, lastCompletedRound: 0, finishedAt: nil))
        try await store.commitInitial(runID: runID, parameters: initial, strategyState: [:], at: Date())
        let journal = try await RunJournal(store: store, runID: runID)
        try await journal.record([.runConfiguration(LedgerRunConfiguration(runID: runID, configurationJSON: json,
                                                                           strategy: arguments["strategy"] as? String ?? "?"))])
        // Each node's data fingerprint, as a real node computes it over its records.
        var fingerprints: [LedgerEntry] = []
        for p in partitions {
            fingerprints.append(.dataFingerprint(LedgerDataFingerprint(nodeID: p.id, fingerprint: SimulatedFingerprint.of(p.indices, in: data))))
        }
        try await journal.record(fingerprints)
        return SimulationJournal(store: store, runID: runID, journal: journal)
    }
}
