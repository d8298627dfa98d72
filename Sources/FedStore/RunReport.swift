import FedCrypto
import FedLedger
import FedReport
import Foundation

/// A model report (FedReport) built from what a run recorded: its configuration, its ledger
/// (checkpoint, fingerprints, round records, signed evaluations) and contribution values.
public enum RunReport {
    /// Builds the report of run `runID`.
    /// - Parameters:
    ///   - contributions: per-node contribution values computed after the run (may be empty).
    ///   - created: the report's date, as text.
    /// - Throws: `StoreError` from the store; `LedgerError` for an entry that does not decode.
    public static func build(store: any CoordinatorStore, runID: String, contributions: [NodeContribution] = [],
                             created: String) async throws -> ModelReport {
        guard let run = try await store.run(id: runID) else {
            throw StoreError(.notFound, source: "run \(runID)", "no run with id '\(runID)'")
        }
        let records = try await store.ledgerEntries(runID: runID, start: 0, count: Int.max)
        let checkpoint = try await store.ledgerCheckpoints(runID: runID).last?.signedNote ?? "(no ledger)"
        let key = try await StoredLedgerVerification.verifierKey(store: store, runID: runID) ?? "(no ledger)"
        var fingerprints: [String: ReportFingerprint] = [:]
        var rounds: [ReportRound] = []
        var evaluations: [NodeEvaluation] = []
        var lastModel = "(no round)"
        var strategy = "?"
        var rejected = 0
        var lastEpsilon: Double?
        for record in records {
            switch try LedgerEntry(encoded: record.bytes, source: "ledger entry \(record.index) of run \(runID)") {
            case .runConfiguration(let c): strategy = c.strategy
            case .dataFingerprint(let f):
                fingerprints[f.nodeID] = ReportFingerprint(node: f.nodeID, records: Int(f.recordCount), root: f.merkleRootSHA256)
            case .round(let r):
                lastModel = r.globalModelSHA256
                strategy = r.strategy
                rejected += r.rejected.count
                lastEpsilon = r.epsilonSpent ?? lastEpsilon
                rounds.append(ReportRound(round: r.round, accuracy: r.metrics["test_accuracy"], loss: r.metrics["test_loss"] ?? r.metrics["train_loss"],
                                          epsilon: r.epsilonSpent))
            case .evaluation(let e):
                evaluations.append(NodeEvaluation(node: "\(e.nodeID) (round \(e.round))", metrics: e.metrics.sorted { $0.key < $1.key }.map { .init($0.key, $0.value) },
                                                  signatureVerified: !e.signature.isEmpty && e.isSignatureValid { signature, message, key in
                                                      P256Signatures.isValid(signature: signature, of: message, publicKeyDER: key)
                                                  }))
            }
        }
        let configuration = (try? JSONSerialization.jsonObject(with: Data(run.configuration.utf8))) as? [String: Any] ?? [:]
        let entries = configuration.keys.sorted().map { ReportEntry($0, describe(configuration[$0]!)) }
        var privacy = PrivacyBudget.none
        if let p = configuration["privacy"] as? [String: Any], let z = p["noiseMultiplier"] as? Double, let c = p["clipNorm"] as? Double {
            privacy = .differentialPrivacy(epsilon: lastEpsilon ?? 0, delta: p["delta"] as? Double ?? 1e-5, noiseMultiplier: z, clipNorm: c)
        }
        return ModelReport(
            title: "Model report: run \(runID)", runID: runID, created: created,
            provenance: ReportProvenance(ledgerCheckpoint: checkpoint, modelSHA256: lastModel, verifierKey: key),
            dataFingerprints: fingerprints.keys.sorted().map { fingerprints[$0]! }, trainingConfiguration: entries, privacy: privacy,
            robustness: RobustnessSettings(strategy: strategy, secureAggregation: configuration["secureAggregation"] as? Bool ?? false,
                                           rejectedUpdates: rejected),
            rounds: rounds, evaluations: evaluations, contributions: contributions)
    }

    static func describe(_ value: Any) -> String {
        if let s = value as? String { return s }
        if let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) {
            return String(decoding: data, as: UTF8.self)
        }
        return "\(value)"
    }
}
