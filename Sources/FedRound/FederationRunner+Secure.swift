import FedCrypto
import FedFusion
import FedSecureAggregation

extension FederationRunner {
    /// Runs the next synchronous round with secure aggregation (SecAgg+): the server learns only
    /// the weighted mean of the surviving nodes' quantized updates, never one update.
    ///
    /// The round's four stages go to the selected nodes through `NodeChannel.secureAggregation`:
    /// advertise keys (each node trains first and keeps its update), share keys, masked input,
    /// unmasking. A node that fails or times out at any stage drops out; up to the threshold the
    /// sum is still recovered exactly (its masks are removed with its neighbours' shares). Beyond
    /// it the round fails with the SecAgg error and no partial result: the model is unchanged.
    ///
    /// The strategy must fuse by a weighted mean (`fusedDelta(secureMean:…)`); robust rules that
    /// need individual updates (median, trimmed mean, Krum) are refused before anything is sent.
    /// - Returns: the round's metrics; `commitments` hold the SHA-256 of each masked input.
    /// - Throws: `RoundError.unsupported` for a strategy that needs individual updates;
    ///   `RoundError.quorumNotMet` (with the SecAgg error) when the policy says `.throwError`;
    ///   evaluator errors; `CancellationError`.
    public mutating func runSecureRound(_ secure: SecureAggregationPolicy) async throws -> RoundMetrics {
        guard strategy.supportsSecureAggregation else {
            throw RoundError(.unsupported, source: "strategy \(strategy.name)",
                             "needs every node's individual update, which secure aggregation hides; use fedavg, fedprox, fedavgm, fedadam, fedyogi or fedadagrad (optionally with DP)")
        }
        round += 1
        let start = clock.now
        let selected = selection(forRound: round)
        var training = policy.training
        training.instructions.merge(strategy.nodeInstructions(round: round)) { _, fromStrategy in fromStrategy }
        let task = TrainingTask(round: round, version: version, parameters: global, configuration: training)
        let extra = training.instructions["dp_append_unclipped_bit"] != nil ? 1 : 0
        let ids = Dictionary(uniqueKeysWithValues: selected.enumerated().map { (UInt64($0.offset + 1), $0.element) })
        let nodes = Dictionary(uniqueKeysWithValues: selected.map { ($0, channels[channelIndex[$0]!]) })

        var failures: [NodeFailure] = []
        var bytesDown = 0, bytesUp = 0
        var reports: [String: [String: Double]] = [:]
        var commitments: [String: String] = [:]
        var outcome: Result<(mean: [Float], totalWeight: Int, survivors: [String]), RoundError>
        do {
            let (degree, threshold) = try secure.graph(nodeCount: selected.count)
            let quantizer = try UpdateQuantizer(nodeCount: selected.count, bitWidth: secure.bitWidth, clippingRange: secure.clippingRange,
                                                maxWeight: secure.maxWeight)
            let configuration = try SecureAggregationConfiguration(
                federationID: secure.federationID, roundID: UInt64(round), participants: ids.keys.sorted(), degree: degree,
                threshold: threshold, bitWidth: secure.bitWidth, vectorLength: quantizer.encodedLength(parameterCount: global.count + extra),
                graphSeed: SecureRandom.bytes(32))
            var server = SecureAggregationServer(configuration: configuration)
            var active = Set(selected)

            /// One stage: sends each node its request, folds each answer into the server; a node
            /// that fails, times out or sends a message the server refuses drops out.
            func stage(_ stage: SecureAggregationStage, _ requests: [UInt64: [UInt8]], training: TrainingTask?,
                       receive: (inout SecureAggregationServer, UInt64, SecureAggregationResponse) throws -> Void) async {
                var byName: [String: SecureAggregationRequest] = [:]
                for (id, payload) in requests {
                    guard let name = ids[id], active.contains(name) else { continue }
                    byName[name] = SecureAggregationRequest(round: round, stage: stage, payload: payload, training: training)
                    bytesDown += payload.count + (training.map { $0.parameters.count * 4 } ?? 0)
                }
                for name in active where byName[name] == nil {  // the server did not ask it: it has dropped from the protocol
                    active.remove(name)
                    failures.append(NodeFailure(nodeID: name, reason: "secure aggregation: not asked at stage \(stage) (dropped earlier in the protocol)"))
                }
                let answers = await Self.exchange(byName, nodes: nodes, timeout: policy.nodeTimeout, clock: clock)
                for name in selected where byName[name] != nil {
                    let id = ids.first { $0.value == name }!.key
                    switch answers[name]! {
                    case .success(let response):
                        do {
                            guard response.nodeID == name, response.round == round, response.stage == stage else {
                                throw RoundError(.invalidConfiguration, source: "node \(name)", "answered \(response.stage) of round \(response.round) as '\(response.nodeID)'")
                            }
                            try receive(&server, id, response)
                            bytesUp += response.payload.count
                        } catch {
                            active.remove(name)
                            failures.append(NodeFailure(nodeID: name, reason: "secure aggregation \(stage): \(error)"))
                        }
                    case .failure(let reason):
                        active.remove(name)
                        failures.append(NodeFailure(nodeID: name, reason: "secure aggregation \(stage): \(reason)"))
                    }
                }
            }

            let setups = Dictionary(uniqueKeysWithValues: ids.keys.map {
                ($0, SecureAggregationSetup(configuration: configuration, node: $0, quantizer: quantizer).encoded())
            })
            await stage(.advertiseKeys, setups, training: task) { server, id, response in
                try server.receive(try AdvertiseKeysMessage(decoding: response.payload, source: "node \(ids[id]!)"), from: id)
                reports[ids[id]!] = response.metrics
            }
            let shareRequest = try server.finishAdvertiseKeys().encoded()
            await stage(.shareKeys, Dictionary(uniqueKeysWithValues: ids.keys.map { ($0, shareRequest) }), training: nil) { server, id, response in
                try server.receive(try ShareKeysMessage(decoding: response.payload, source: "node \(ids[id]!)"), from: id)
            }
            let forwards = try server.finishShareKeys().mapValues { $0.encoded() }
            await stage(.maskedInput, forwards, training: nil) { server, id, response in
                try server.receive(try MaskedInputMessage(decoding: response.payload, source: "node \(ids[id]!)"), from: id)
                commitments[ids[id]!] = SHA256Digest.hex(SHA256Digest.hash(response.payload))
            }
            let unmasking = try server.finishMaskedInputCollection().mapValues { $0.encoded() }
            let survivors = server.survivors.map { ids[$0]! }
            await stage(.unmasking, unmasking, training: nil) { server, id, response in
                try server.receive(try UnmaskingMessage(decoding: response.payload, source: "node \(ids[id]!)"), from: id)
            }
            let decoded = try quantizer.decode(sum: try server.finishUnmasking())
            outcome = .success((decoded.mean, decoded.totalWeight, survivors))
        } catch {
            outcome = .failure(RoundError(.quorumNotMet, source: "round \(round)",
                                          "secure aggregation failed: \(error); no partial result, the global model is unchanged"))
        }
        try Task.checkCancellation()

        var participants: [String] = []
        var rejectedResult: String?
        var roundFailed: String?
        switch outcome {
        case .success(let result):
            participants = result.survivors
            // Survivors whose unmasking answer failed are still in the sum (their masks were removed with others' shares).
            failures.removeAll { result.survivors.contains($0.nodeID) && $0.reason.hasPrefix("secure aggregation unmasking") }
            if let fused = strategy.fusedDelta(secureMean: result.mean, totalWeight: Double(result.totalWeight), count: result.survivors.count) {
                rejectedResult = apply(fused: fused, failures: failures)
            } else {
                let error = RoundError(.nothingToFuse, source: "round \(round)",
                                       "the strategy '\(strategy.name)' refused the secure aggregate of \(result.survivors.count) updates; the global model is unchanged")
                guard policy.onFailedRound == .skip else { throw error }
                roundFailed = error.description
            }
        case .failure(let error):
            guard policy.onFailedRound == .skip else { throw error }
            roundFailed = error.description
        }
        let samples = participants.reduce(0) { $0 + Int(reports[$1]?["samples"] ?? 0) }
        var lossSum = 0.0, lossWeight = 0.0
        var slowest: Double?
        for p in participants {
            guard let r = reports[p] else { continue }
            if let loss = r["train_loss"], loss.isFinite { lossSum += loss * (r["samples"] ?? 1); lossWeight += r["samples"] ?? 1 }
            if let s = r["train_seconds"], s.isFinite { slowest = max(slowest ?? s, s) }
        }
        let evaluation = try await evaluatorResult(round: round)
        var metrics = RoundMetrics(
            round: round, version: version, selected: selected.count, participants: participants, rejected: [],
            failures: failures, samples: samples, trainLoss: lossWeight > 0 ? lossSum / lossWeight : nil, testLoss: evaluation?.loss,
            testAccuracy: evaluation?.accuracy, bytesDown: bytesDown, bytesUp: bytesUp,
            seconds: Self.seconds(start.duration(to: clock.now)), resultRejected: rejectedResult, roundFailed: roundFailed,
            slowestNodeSeconds: slowest)
        metrics.commitments = commitments.filter { participants.contains($0.key) }
        metrics.participantSamples = Dictionary(uniqueKeysWithValues: participants.map { ($0, Int(reports[$0]?["samples"] ?? 0)) })
        return metrics
    }

    /// Sends each named node its request concurrently (each within `timeout`); never throws.
    static func exchange(_ requests: [String: SecureAggregationRequest], nodes: [String: any NodeChannel], timeout: Duration?,
                         clock: C) async -> [String: Result<SecureAggregationResponse, StageFailure>] {
        await withTaskGroup(of: (String, Result<SecureAggregationResponse, StageFailure>).self) { group in
            for (name, request) in requests {
                let node = nodes[name]!
                group.addTask {
                    do {
                        guard let timeout else { return (name, .success(try await node.secureAggregation(request))) }
                        return try await withThrowingTaskGroup(of: SecureAggregationResponse?.self) { inner in
                            inner.addTask { try await node.secureAggregation(request) }
                            inner.addTask {
                                try await clock.sleep(for: timeout)
                                return nil
                            }
                            defer { inner.cancelAll() }
                            guard let first = try await inner.next(), let response = first else {
                                return (name, .failure(StageFailure("timed out after \(timeout)")))
                            }
                            return (name, .success(response))
                        }
                    } catch is CancellationError {
                        return (name, .failure(StageFailure("cancelled")))
                    } catch {
                        return (name, .failure(StageFailure("\(error)")))
                    }
                }
            }
            var out: [String: Result<SecureAggregationResponse, StageFailure>] = [:]
            for await (name, result) in group { out[name] = result }
            return out
        }
    }
}

/// Why a node did not answer a stage.
struct StageFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
