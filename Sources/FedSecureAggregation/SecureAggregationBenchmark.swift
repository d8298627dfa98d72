/// Measures SecAgg+ against plain aggregation for n nodes and m parameters, in one process laid
/// out like a federation: each stage's n client steps (quantize, mask, encode, decode the
/// server's messages) run concurrently across the cores, one task per node, and the server's steps
/// (decode every message, receive, finish each stage, unmask, decode the mean) run on one.
///
/// - The SecAgg+ wall time covers the whole round: client creation (X25519 keys), the four stages
///   with every message encoded and decoded, unmasking, and decoding the weighted mean.
/// - The plain wall time is the same n nodes' float32 deltas streamed into a weighted sum and
///   divided by the total weight (what a server without SecAgg computes; one core).
/// - `timeRatio` = SecAgg+ wall time / plain wall time. With c cores the client part shrinks by
///   about c (up to n); ``Report/criticalPathSeconds`` estimates a real federation (one machine
///   per node, no network latency).
/// - Bytes: all SecAgg+ messages (client → server plus server → client, a broadcast counted once
///   per recipient) against 4·m bytes per surviving node.
///
/// The command line exposes it as `feddata bench secagg` (names `secagg-<n>x<m>`).
public enum SecureAggregationBenchmark {
    /// The named cases.
    public static let standardNames = ["secagg-100x100000", "secagg-100x1000000"]

    /// One measurement.
    public struct Report: Sendable, CustomStringConvertible {
        /// `secagg-<n>x<m>`.
        public var name: String
        /// n.
        public var nodeCount: Int
        /// m, parameters per node.
        public var parameterCount: Int
        /// k, the Harary graph degree.
        public var degree: Int
        /// t.
        public var threshold: Int
        /// Nodes that dropped before sending their masked input.
        public var dropouts: Int
        /// Wall-clock seconds for the SecAgg+ round (clients concurrent per stage, server on one core).
        public var secureSeconds: Double
        /// Seconds of server work (decoding, receiving, finishing stages, unmasking, decoding the mean).
        public var serverSeconds: Double
        /// Seconds of client work summed over all clients and stages (CPU time, measured per task).
        public var clientSecondsTotal: Double
        /// ``clientSecondsTotal`` / n: one node's work in the round.
        public var clientSecondsMean: Double
        /// The slowest node's work in the round.
        public var clientSecondsMax: Double
        /// Server seconds plus, per stage, the slowest client's seconds: the round's duration with
        /// one machine per node and no network latency.
        public var criticalPathSeconds: Double
        /// Seconds to stream the n float32 vectors into a weighted sum in the clear.
        public var plainSeconds: Double
        /// secureSeconds / plainSeconds.
        public var timeRatio: Double
        /// All SecAgg+ bytes: client → server plus server → client.
        public var secureBytes: Int
        /// Client → server bytes alone.
        public var secureClientBytes: Int
        /// Plain bytes: 4·m per surviving node (float32 upload; dropped nodes send nothing).
        public var plainBytes: Int
        /// secureBytes / plainBytes.
        public var bytesRatio: Double
        /// Largest |SecAgg mean − plain mean| over coordinates (≤ 2c/L plus float rounding).
        public var maxAbsoluteError: Double
        /// 2c/L, the quantization bound.
        public var errorBound: Double

        public var description: String {
            "\(name): n=\(nodeCount) m=\(parameterCount) k=\(degree) t=\(threshold) dropouts=\(dropouts) " +
            "time_ratio=\(timeRatio) (secagg \(secureSeconds)s wall: server \(serverSeconds)s, clients \(clientSecondsTotal)s total, " +
            "\(clientSecondsMean)s mean, \(clientSecondsMax)s max, critical path \(criticalPathSeconds)s; plain \(plainSeconds)s) " +
            "bytes_ratio=\(bytesRatio) (secagg \(secureBytes) B, plain \(plainBytes) B) max_error=\(maxAbsoluteError) bound=\(errorBound)"
        }
    }

    /// Parses `secagg-<n>x<m>`; nil for other names.
    public static func parse(name: String) -> (nodeCount: Int, parameterCount: Int)? {
        guard name.hasPrefix("secagg-") else { return nil }
        let parts = name.dropFirst("secagg-".count).split(separator: "x")
        guard parts.count == 2, let n = Int(parts[0]), let m = Int(parts[1]), n >= 2, m >= 1 else { return nil }
        return (n, m)
    }

    /// Runs a named case (`secagg-100x100000`, …).
    /// - Throws: ``SecureAggregationError`` (`invalidConfiguration`) for an unknown name, or the round's error.
    public static func run(named name: String, seed: UInt64 = 1) async throws -> Report {
        guard let (n, m) = parse(name: name) else {
            throw SecureAggregationError(.invalidConfiguration, stage: .setup, "benchmark name \"\(name)\": expected secagg-<nodes>x<parameters>, e.g. secagg-100x100000")
        }
        return try await run(nodeCount: n, parameterCount: m, seed: seed)
    }

    /// Runs one measurement.
    /// - Parameters:
    ///   - nodeCount: n ≥ 2.
    ///   - parameterCount: m ≥ 1.
    ///   - dropoutRate: fraction of nodes that drop before sending their masked input (default 0).
    ///   - seed: seeds the synthetic deltas, weights and stochastic rounding (not the crypto).
    /// - Throws: ``SecureAggregationError`` for invalid sizes or a failed round.
    public static func run(nodeCount n: Int, parameterCount m: Int, dropoutRate: Double = 0, seed: UInt64 = 1) async throws -> Report {
        let graph = try SecureAggregationConfiguration.recommendedGraph(nodeCount: n, adversarialRate: 0.05, dropoutRate: max(dropoutRate, 0.33))
        var rng = SplitMix64(seed: seed)
        var graphSeed = [UInt8]()
        for _ in 0..<4 { withUnsafeBytes(of: rng.next()) { graphSeed.append(contentsOf: $0) } }
        let ids = (0..<n).map { UInt64($0 + 1) }
        let config = try SecureAggregationConfiguration(federationID: "bench", roundID: 1, participants: ids, degree: graph.degree,
                                                        threshold: graph.threshold, bitWidth: 32, vectorLength: m + 1, graphSeed: graphSeed)
        let quantizer = try UpdateQuantizer(nodeCount: n)
        var updates = [UInt64: Update]()
        for id in ids {
            let delta = (0..<m).map { _ in Float(Double(rng.next() >> 11) * 0x1p-53 * 2 - 1) }
            updates[id] = Update(delta: delta, weight: 1 + Int(rng.next() % 100), roundingSeed: rng.next())
        }
        let dropCount = Int(dropoutRate * Double(n))
        let dropped = Set(ids.suffix(dropCount))

        let clock = ContinuousClock()
        let start = clock.now
        let secure = try await runRound(configuration: config, quantizer: quantizer, updates: updates, dropped: dropped)
        let secs = seconds(clock.now - start)

        // Plain: the weighted sum of float32 vectors a server without SecAgg computes.
        let survivors = ids.filter { !dropped.contains($0) }
        var plain = [Float](repeating: 0, count: m)
        var weight: Float = 0
        let plainTime = clock.measure {
            for id in survivors {
                let u = updates[id]!
                let fw = Float(u.weight)
                plain.withUnsafeMutableBufferPointer { acc in
                    u.delta.withUnsafeBufferPointer { d in for i in 0..<m { acc[i] += fw * d[i] } }
                }
                weight += fw
            }
            for i in 0..<m { plain[i] /= weight }
        }
        var maxError = 0.0
        for i in 0..<m { maxError = max(maxError, Double(abs(secure.mean[i] - plain[i]))) }
        let secureBytes = secure.clientBytes + secure.serverBytes
        let plainBytes = 4 * m * survivors.count
        let plainSecs = max(seconds(plainTime), 1e-9)
        let clientTotal = secure.clientSeconds.values.reduce(0, +)
        return Report(name: "secagg-\(n)x\(m)", nodeCount: n, parameterCount: m, degree: config.degree, threshold: config.threshold,
                      dropouts: dropCount, secureSeconds: secs, serverSeconds: secure.serverSeconds,
                      clientSecondsTotal: clientTotal, clientSecondsMean: clientTotal / Double(n),
                      clientSecondsMax: secure.clientSeconds.values.max() ?? 0,
                      criticalPathSeconds: secure.serverSeconds + secure.slowestClientPerStage.reduce(0, +),
                      plainSeconds: plainSecs, timeRatio: secs / plainSecs,
                      secureBytes: secureBytes, secureClientBytes: secure.clientBytes, plainBytes: plainBytes,
                      bytesRatio: Double(secureBytes) / Double(plainBytes), maxAbsoluteError: maxError, errorBound: quantizer.errorBound)
    }

    /// One node's synthetic update and the seed of its stochastic rounding.
    struct Update: Sendable {
        var delta: [Float]
        var weight: Int
        var roundingSeed: UInt64
    }

    /// What ``runRound(configuration:quantizer:updates:dropped:)`` measured.
    struct RoundOutcome: Sendable {
        var mean: [Float]
        var clientBytes = 0
        var serverBytes = 0
        var serverSeconds = 0.0
        /// Each node's work summed over the stages.
        var clientSeconds: [UInt64: Double] = [:]
        /// Per stage, the slowest node's work.
        var slowestClientPerStage: [Double] = []
    }

    /// One SecAgg+ round on model deltas, as ``SecureAggregationSession/runWeightedMean(configuration:quantizer:updates:dropouts:using:)``
    /// runs it (every message through its encoding, the same byte counts), but with each stage's
    /// client steps as concurrent tasks. Nodes in `dropped` stop before sending their masked input.
    static func runRound(configuration c: SecureAggregationConfiguration, quantizer: UpdateQuantizer,
                         updates: [UInt64: Update], dropped: Set<UInt64>) async throws -> RoundOutcome {
        let clock = ContinuousClock()
        var outcome = RoundOutcome(mean: [])
        var server = SecureAggregationServer(configuration: c)
        var clients = [UInt64: SecureAggregationClient]()
        func record(_ stage: [UInt64: Double]) {
            for (id, s) in stage { outcome.clientSeconds[id, default: 0] += s }
            outcome.slowestClientPerStage.append(stage.values.max() ?? 0)
        }
        func serverWork<T>(_ body: () throws -> T) rethrows -> T {
            let start = clock.now
            defer { outcome.serverSeconds += seconds(clock.now - start) }
            return try body()
        }

        // Round 0: create the clients (two X25519 key pairs each) and advertise keys.
        let advertised = try await concurrently(c.participants.map { ($0, SecureAggregationClient?.none) }) { id, _ in
            var client = try SecureAggregationClient(configuration: c, node: id)
            let bytes = try client.advertiseKeys().encoded()
            return (client, bytes)
        }
        record(advertised.seconds)
        for id in c.participants {
            let (client, bytes) = advertised.results[id]!
            clients[id] = client
            outcome.clientBytes += bytes.count
            try serverWork { try server.receive(try AdvertiseKeysMessage(decoding: bytes, source: "node \(id)"), from: id) }
        }
        let shareRequest = try serverWork { try server.finishAdvertiseKeys().encoded() }

        // Round 1: every node in U1 receives the broadcast and sends its share boxes.
        let u1 = try serverWork { try ShareKeysRequest(decoding: shareRequest, source: "server").keys.map(\.node) }
        outcome.serverBytes += shareRequest.count * u1.count
        let shared = try await concurrently(u1.map { ($0, clients[$0]) }) { id, client in
            var client = client!
            let reply = try client.receive(try ShareKeysRequest(decoding: shareRequest, source: "server")).encoded()
            return (client, reply)
        }
        record(shared.seconds)
        for id in u1 {
            let (client, reply) = shared.results[id]!
            clients[id] = client
            outcome.clientBytes += reply.count
            try serverWork { try server.receive(try ShareKeysMessage(decoding: reply, source: "node \(id)"), from: id) }
        }
        let forwards = try serverWork { try server.finishShareKeys().mapValues { $0.encoded() } }

        // Round 2: the surviving nodes quantize their deltas, mask them and upload.
        outcome.serverBytes += forwards.values.reduce(0) { $0 + $1.count }
        let senders = forwards.keys.sorted().filter { !dropped.contains($0) }
        let masked = try await concurrently(senders.map { ($0, clients[$0]) }) { id, client in
            var client = client!
            guard let update = updates[id] else {
                throw SecureAggregationError(.invalidInput, stage: .maskedInputCollection, nodes: [id], "no update given for node \(id)")
            }
            var rounding = SplitMix64(seed: update.roundingSeed)
            let input = try quantizer.encode(update.delta, weight: update.weight, using: &rounding)
            let request = try MaskedInputRequest(decoding: forwards[id]!, source: "server")
            let reply = try client.receive(request, input: input).encoded()
            return (client, reply)
        }
        record(masked.seconds)
        for id in senders {
            let (client, reply) = masked.results[id]!
            clients[id] = client
            outcome.clientBytes += reply.count
            try serverWork { try server.receive(try MaskedInputMessage(decoding: reply, source: "node \(id)"), from: id) }
        }
        let unmasking = try serverWork { try server.finishMaskedInputCollection().mapValues { $0.encoded() } }

        // Round 4: the nodes still present reveal shares; the server unmasks and decodes the mean.
        outcome.serverBytes += unmasking.values.reduce(0) { $0 + $1.count }
        let revealers = unmasking.keys.sorted()
        let revealed = try await concurrently(revealers.map { ($0, clients[$0]) }) { id, client in
            var client = client!
            let reply = try client.receive(try UnmaskingRequest(decoding: unmasking[id]!, source: "server")).encoded()
            return (client, reply)
        }
        record(revealed.seconds)
        for id in revealers {
            let reply = revealed.results[id]!.1
            outcome.clientBytes += reply.count
            try serverWork { try server.receive(try UnmaskingMessage(decoding: reply, source: "node \(id)"), from: id) }
        }
        outcome.mean = try serverWork { try quantizer.decode(sum: try server.finishUnmasking()).mean }
        return outcome
    }

    /// Runs `step` for every (node, client) as a concurrent child task and collects each node's
    /// result and seconds of work. The first error cancels the rest and is rethrown.
    static func concurrently(
        _ nodes: [(UInt64, SecureAggregationClient?)],
        _ step: @escaping @Sendable (UInt64, SecureAggregationClient?) throws -> (SecureAggregationClient, [UInt8])
    ) async throws -> (results: [UInt64: (SecureAggregationClient, [UInt8])], seconds: [UInt64: Double]) {
        try await withThrowingTaskGroup(of: (UInt64, SecureAggregationClient, [UInt8], Double).self) { group in
            for (id, client) in nodes {
                group.addTask {
                    let clock = ContinuousClock()
                    let start = clock.now
                    let (updated, bytes) = try step(id, client)
                    return (id, updated, bytes, seconds(clock.now - start))
                }
            }
            var results = [UInt64: (SecureAggregationClient, [UInt8])]()
            var secs = [UInt64: Double]()
            for try await (id, client, bytes, s) in group {
                results[id] = (client, bytes)
                secs[id] = s
            }
            return (results, secs)
        }
    }

    static func seconds(_ d: Duration) -> Double {
        let (s, atto) = d.components
        return Double(s) + Double(atto) * 1e-18
    }
}

/// SplitMix64: the benchmark's seeded (non-cryptographic) generator for synthetic data and
/// stochastic rounding.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
