/// An in-process driver that runs n ``SecureAggregationClient``s and one
/// ``SecureAggregationServer`` end to end, passing every message through its binary encoding (as
/// a transport would) and counting the bytes. Nodes can be made to drop out at any stage.
public enum SecureAggregationSession {
    /// When a node stops answering.
    public enum Dropout: String, Sendable, Hashable, CaseIterable {
        /// Never advertises keys (not in U1).
        case beforeAdvertiseKeys
        /// Advertises keys, never sends shares (in U1, not U2).
        case beforeShareKeys
        /// Sends shares, never sends its masked input (in U2, not U3): its pairwise masks must be
        /// reconstructed from s-shares.
        case beforeMaskedInput
        /// Sends its masked input, then never answers Unmasking (in U3, not U4): its input is in
        /// the sum and its self mask is reconstructed from its neighbours' b-shares.
        case beforeUnmasking
    }

    /// The outcome of a run.
    public struct Result: Sendable {
        /// Σ_{u ∈ U3} x_u mod 2^b, exact.
        public var sum: [UInt32]
        /// The nodes whose inputs are in the sum (U3).
        public var survivors: [UInt64]
        /// Bytes of all client → server messages.
        public var clientBytes: Int
        /// Bytes of all server → client messages (a broadcast counts once per recipient).
        public var serverBytes: Int
        /// Bytes of the masked-input messages alone (the part that scales with m).
        public var maskedInputBytes: Int
    }

    /// Runs one round.
    /// - Parameters:
    ///   - configuration: the round.
    ///   - inputs: each participant's encoded input (m words < 2^b); nodes without an input must
    ///     drop before MaskedInputCollection.
    ///   - dropouts: which nodes stop answering, and when.
    /// - Returns: the exact sum of the survivors' inputs and the byte counts.
    /// - Throws: ``SecureAggregationError`` from the server or a client; the round then has no result.
    public static func run(configuration: SecureAggregationConfiguration, inputs: [UInt64: [UInt32]],
                           dropouts: [UInt64: Dropout] = [:]) throws -> Result {
        var clients = [UInt64: SecureAggregationClient]()
        for id in configuration.participants { clients[id] = try SecureAggregationClient(configuration: configuration, node: id) }
        var server = SecureAggregationServer(configuration: configuration)
        var clientBytes = 0, serverBytes = 0, maskedBytes = 0
        func active(_ id: UInt64, past point: Dropout) -> Bool {
            guard let d = dropouts[id] else { return true }
            let order = Dropout.allCases
            return order.firstIndex(of: d)! > order.firstIndex(of: point)!
        }

        // Round 0
        for id in configuration.participants where active(id, past: .beforeAdvertiseKeys) {
            let bytes = try clients[id]!.advertiseKeys().encoded()
            clientBytes += bytes.count
            try server.receive(try AdvertiseKeysMessage(decoding: bytes, source: "node \(id)"), from: id)
        }
        let shareRequest = try server.finishAdvertiseKeys().encoded()

        // Round 1
        for entry in try ShareKeysRequest(decoding: shareRequest, source: "server").keys {
            let id = entry.node
            serverBytes += shareRequest.count
            guard active(id, past: .beforeShareKeys) else { continue }
            let reply = try clients[id]!.receive(try ShareKeysRequest(decoding: shareRequest, source: "server")).encoded()
            clientBytes += reply.count
            try server.receive(try ShareKeysMessage(decoding: reply, source: "node \(id)"), from: id)
        }
        let forwards = try server.finishShareKeys()

        // Round 2
        for (id, request) in forwards.sorted(by: { $0.key < $1.key }) {
            let bytes = request.encoded()
            serverBytes += bytes.count
            guard active(id, past: .beforeMaskedInput) else { continue }
            guard let input = inputs[id] else {
                throw SecureAggregationError(.invalidInput, stage: .maskedInputCollection, nodes: [id], "no input given for node \(id)")
            }
            let reply = try clients[id]!.receive(try MaskedInputRequest(decoding: bytes, source: "server"), input: input).encoded()
            clientBytes += reply.count
            maskedBytes += reply.count
            try server.receive(try MaskedInputMessage(decoding: reply, source: "node \(id)"), from: id)
        }
        let unmasking = try server.finishMaskedInputCollection()

        // Round 4
        for (id, request) in unmasking.sorted(by: { $0.key < $1.key }) {
            let bytes = request.encoded()
            serverBytes += bytes.count
            guard active(id, past: .beforeUnmasking) else { continue }
            let reply = try clients[id]!.receive(try UnmaskingRequest(decoding: bytes, source: "server")).encoded()
            clientBytes += reply.count
            try server.receive(try UnmaskingMessage(decoding: reply, source: "node \(id)"), from: id)
        }
        let sum = try server.finishUnmasking()
        return Result(sum: sum, survivors: server.survivors, clientBytes: clientBytes, serverBytes: serverBytes, maskedInputBytes: maskedBytes)
    }

    /// Runs one round on model deltas: quantizes each node's (delta, weight) with `quantizer`
    /// (stochastic rounding from `generator`), aggregates securely, and decodes the weighted mean
    /// of the survivors' clamped deltas.
    /// - Parameters:
    ///   - configuration: the round; its vector length must be the delta length + 1.
    ///   - quantizer: the encoding (its node count must be ≥ the participants).
    ///   - updates: each node's delta and sample count.
    ///   - dropouts: which nodes stop answering, and when.
    ///   - generator: randomness for stochastic rounding.
    /// - Throws: ``SecureAggregationError`` for a shape mismatch or a failed round.
    public static func runWeightedMean(configuration: SecureAggregationConfiguration, quantizer: UpdateQuantizer,
                                       updates: [UInt64: (delta: [Float], weight: Int)], dropouts: [UInt64: Dropout] = [:],
                                       using generator: inout some RandomNumberGenerator)
        throws -> (mean: [Float], totalWeight: Int, result: Result)
    {
        guard quantizer.nodeCount >= configuration.nodeCount, quantizer.bitWidth == configuration.bitWidth else {
            throw SecureAggregationError(.invalidConfiguration, stage: .setup,
                                         "quantizer is for \(quantizer.nodeCount) nodes at \(quantizer.bitWidth) bits; the round has \(configuration.nodeCount) nodes at \(configuration.bitWidth) bits")
        }
        var inputs = [UInt64: [UInt32]]()
        for (id, update) in updates.sorted(by: { $0.key < $1.key }) {
            guard quantizer.encodedLength(parameterCount: update.delta.count) == configuration.vectorLength else {
                throw SecureAggregationError(.invalidInput, stage: .setup, nodes: [id],
                                             "node \(id)'s delta has \(update.delta.count) values, expected \(configuration.vectorLength - 1)")
            }
            inputs[id] = try quantizer.encode(update.delta, weight: update.weight, using: &generator)
        }
        let result = try run(configuration: configuration, inputs: inputs, dropouts: dropouts)
        let decoded = try quantizer.decode(sum: result.sum)
        return (decoded.mean, decoded.totalWeight, result)
    }
}
