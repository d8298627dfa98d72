import FedContribution
import FedDatasets
import FedLedger
import FedModels
import FedRound
import Foundation
import Synchronization

/// Keeps each round's starting global model and every node's update, so that per-node
/// contribution values can be computed after the run on round reconstructions (GTG-Shapley,
/// leave-one-out; Liu et al. 2022). Memory: one model per round plus one update per node and
/// round, so use it on small federations (the Heart Disease hospitals), not on 100 MNIST nodes.
public final class ContributionRecorder: Sendable {
    struct Round {
        var start: [Float]?
        var updates: [String: (delta: [Float], samples: Int)] = [:]
        var participants: [String] = []
    }

    private let rounds = Mutex<[Int: Round]>([:])

    /// Creates an empty recorder.
    public init() {}

    /// Records a node's reply to round `round`'s task (called by the node's channel).
    public func record(task: TrainingTask, reply: TrainingReply) {
        guard case .update(let delta, let samples) = reply.outcome else { return }
        rounds.withLock { r in
            if r[task.round] == nil { r[task.round] = Round() }
            if r[task.round]!.start == nil { r[task.round]!.start = task.parameters }
            r[task.round]!.updates[reply.nodeID] = (delta, samples)
        }
    }

    /// Records which nodes' updates the round fused (after the round).
    public func fused(round: Int, participants: [String]) {
        rounds.withLock { $0[round]?.participants = participants }
    }

    /// Contribution values of `nodes` over the recorded rounds in which every one of them was fused.
    /// - Parameters:
    ///   - nodes: the players, in report order.
    ///   - evaluate: the utility of a model (e.g. test accuracy), deterministic.
    ///   - gtg: GTG-Shapley's settings (thresholds in the utility's units).
    /// - Returns: one `ContributionValues` per method: GTG-Shapley, leave-one-out (and exact
    ///   Shapley when there are at most 8 nodes), and how many rounds were used.
    /// - Throws: `ContributionError` when no round has every node fused, or for invalid updates.
    public func values(nodes: [String], evaluate: @escaping @Sendable ([Float]) -> Double,
                       gtg: GTGShapley.Configuration = .init(betweenRoundTruncation: 0.0005, withinRoundTruncation: 0.0005))
        throws -> (methods: [ContributionValues], rounds: Int)
    {
        let recorded = rounds.withLock { $0 }
        var games: [CoalitionUtility] = []
        for round in recorded.keys.sorted() {
            let r = recorded[round]!
            guard let start = r.start, Set(r.participants) == Set(nodes), nodes.allSatisfy({ r.updates[$0] != nil }) else { continue }
            let reconstruction = try RoundReconstruction(round: round, globalModel: start, updates: nodes.map { r.updates[$0]!.delta },
                                                         weights: nodes.map { Double(r.updates[$0]!.samples) })
            games.append(reconstruction.utility(evaluate: evaluate))
        }
        guard !games.isEmpty else {
            throw ContributionError(.invalidRound, source: "contribution recorder",
                                    "no recorded round fused all of \(nodes.joined(separator: ", ")); expected at least one")
        }
        var methods = [try GTGShapley(gtg).values(overRounds: games), try LeaveOneOut().values(overRounds: games)]
        if nodes.count <= 8 { methods.append(try ExactShapley().values(overRounds: games)) }
        return (methods, games.count)
    }
}

extension ContributionRecorder {
    /// Contribution values with test accuracy of `model` on `indices` of `test` as the utility.
    public func values(nodes: [String], model: any Model, test: any SampleSource, indices: [Int]) throws -> (methods: [ContributionValues], rounds: Int) {
        let specs = model.parameterSpecs
        func utility<M: Model>(_ m: M) -> @Sendable ([Float]) -> Double {
            { flat in
                guard let p = try? ModelParameters(flat: flat, specs: specs, source: "coalition model") else { return 0 }
                return LocalTraining.evaluate(model: m, parameters: p, data: test, indices: indices).accuracy
            }
        }
        return try values(nodes: nodes, evaluate: utility(model))
    }
}

/// A simulated node's data fingerprint: the RFC 9162 Merkle root over its records, each record
/// the little-endian bytes of its features followed by its label (what a real node computes over
/// its local rows).
public enum SimulatedFingerprint {
    /// The fingerprint of the samples `indices` of `data`.
    public static func of(_ indices: [Int], in data: any SampleSource) -> DataFingerprint {
        var f = DataFingerprint()
        for i in indices {
            let b = data.batch([i][...])
            var record = b.inputs.scalars.withUnsafeBytes { Array($0) }
            withUnsafeBytes(of: b.labels[0].littleEndian) { record.append(contentsOf: $0) }
            f.add(record: record)
        }
        return f
    }
}
