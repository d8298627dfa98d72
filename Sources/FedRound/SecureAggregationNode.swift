import FedSecureAggregation

/// A node's side of secure aggregation (`SecureAggregationParticipant`): it trains when the
/// round's setup arrives, quantizes its update and keeps it, and answers each later stage with
/// its SecAgg+ client state machine. Only the masked vector ever leaves: the server never sees
/// the update itself.
///
/// One round at a time: a setup for a new round discards whatever an earlier round left.
/// Stochastic rounding draws from the system CSPRNG (its randomness must not be predictable).
public actor SecureAggregationNode: SecureAggregationParticipant {
    /// The node's identifier.
    public let nodeID: String
    let train: @Sendable (TrainingTask, UInt64) async throws -> TrainingReply

    struct RoundState {
        var round: Int
        var client: SecureAggregationClient
        var input: [UInt32]?
    }

    private var state: RoundState?

    /// Creates the participant.
    /// - Parameters:
    ///   - nodeID: the node's identifier.
    ///   - train: trains on a task with the node seed the request carries (0 in process).
    public init(nodeID: String, train: @escaping @Sendable (_ task: TrainingTask, _ nodeSeed: UInt64) async throws -> TrainingReply) {
        self.nodeID = nodeID
        self.train = train
    }

    public func respond(to request: SecureAggregationRequest) async throws -> SecureAggregationResponse {
        let source = "secure-aggregation \(request.stage) request of round \(request.round) to node \(nodeID)"
        func reply(_ bytes: [UInt8], metrics: [String: Double] = [:]) -> SecureAggregationResponse {
            SecureAggregationResponse(nodeID: nodeID, round: request.round, stage: request.stage, payload: bytes, metrics: metrics)
        }
        if request.stage == .advertiseKeys {
            state = nil
            let setup = try SecureAggregationSetup(decoding: request.payload, source: source)
            guard setup.round == UInt64(request.round) else {
                throw RoundError(.invalidConfiguration, source: source, "the setup is for round \(setup.round)")
            }
            guard let task = request.training else {
                throw RoundError(.invalidConfiguration, source: source, "carries no training task")
            }
            let configuration = try setup.configuration()
            let quantizer = try setup.quantizer()
            let trained = try await train(task, request.nodeSeed)
            guard case .update(var delta, let samples) = trained.outcome else {
                throw RoundError(.unsupported, source: "node \(nodeID)", "declined round \(request.round); it leaves the secure aggregation")
            }
            let instructions = task.configuration.instructions
            if instructions["dp_append_unclipped_bit"] != nil {
                delta.append(Float(trained.metrics["dp_unclipped"] ?? 1))
            }
            guard quantizer.encodedLength(parameterCount: delta.count) == configuration.vectorLength else {
                throw RoundError(.invalidConfiguration, source: source,
                                 "the round masks vectors of \(configuration.vectorLength) words; this node's update encodes to \(quantizer.encodedLength(parameterCount: delta.count))")
            }
            let weight = instructions["secure_aggregation_unit_weight"] != nil ? 1 : max(1, samples)
            var rng = SystemRandomNumberGenerator()
            let input = try quantizer.encode(delta, weight: weight, using: &rng)
            var client = try SecureAggregationClient(configuration: configuration, node: setup.node)
            let keys = try client.advertiseKeys().encoded()
            state = RoundState(round: request.round, client: client, input: input)
            var metrics = trained.metrics
            metrics["samples"] = Double(samples)
            return reply(keys, metrics: metrics)
        }
        guard var s = state, s.round == request.round else {
            throw RoundError(.invalidConfiguration, source: source, "this node holds no secure-aggregation state for round \(request.round)")
        }
        defer { state = s.client.stage == .completed || request.stage == .unmasking ? nil : s }
        switch request.stage {
        case .advertiseKeys:
            preconditionFailure("handled above")
        case .shareKeys:
            return reply(try s.client.receive(try ShareKeysRequest(decoding: request.payload, source: source)).encoded())
        case .maskedInput:
            guard let input = s.input else {
                throw RoundError(.invalidConfiguration, source: source, "the masked input of round \(request.round) was already sent")
            }
            s.input = nil
            return reply(try s.client.receive(try MaskedInputRequest(decoding: request.payload, source: source), input: input).encoded())
        case .unmasking:
            return reply(try s.client.receive(try UnmaskingRequest(decoding: request.payload, source: source)).encoded())
        }
    }
}
