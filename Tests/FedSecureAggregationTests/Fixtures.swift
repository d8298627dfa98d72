import FedCrypto
@testable import FedSecureAggregation

/// Small deterministic rounds for the protocol tests.
enum Fixture {
    static let graphSeed = (0..<32).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ 5) }

    static func configuration(n: Int, degree: Int, threshold: Int, m: Int, bits: Int = 32, round: UInt64 = 1) throws -> SecureAggregationConfiguration {
        try SecureAggregationConfiguration(federationID: "test-federation", roundID: round, participants: (1...UInt64(n)).map { $0 },
                                           degree: degree, threshold: threshold, bitWidth: bits, vectorLength: m, graphSeed: graphSeed)
    }

    /// Input of node id: word i = (id · 1000 + i · 7) mod 2^b: easy to sum by hand.
    static func inputs(_ c: SecureAggregationConfiguration) -> [UInt64: [UInt32]] {
        var out = [UInt64: [UInt32]]()
        for id in c.participants { out[id] = (0..<c.vectorLength).map { UInt32(truncatingIfNeeded: (id * 1000 + UInt64($0) * 7)) & c.wordMask } }
        return out
    }

    static func sum(_ inputs: [UInt64: [UInt32]], of nodes: [UInt64], mask: UInt32) -> [UInt32] {
        var s = [UInt32](repeating: 0, count: inputs.values.first!.count)
        for id in nodes { for i in s.indices { s[i] = (s[i] &+ inputs[id]![i]) & mask } }
        return s
    }
}

/// A round driven by hand, stage by stage, so tests can intercept and alter messages.
struct ManualRound {
    var configuration: SecureAggregationConfiguration
    var clients: [UInt64: SecureAggregationClient] = [:]
    var server: SecureAggregationServer

    init(_ c: SecureAggregationConfiguration) throws {
        configuration = c
        server = SecureAggregationServer(configuration: c)
        for id in c.participants { clients[id] = try SecureAggregationClient(configuration: c, node: id) }
    }

    mutating func advertise(skipping: Set<UInt64> = []) throws -> ShareKeysRequest {
        for id in configuration.participants where !skipping.contains(id) {
            try server.receive(try clients[id]!.advertiseKeys(), from: id)
        }
        return try server.finishAdvertiseKeys()
    }

    mutating func share(_ request: ShareKeysRequest, skipping: Set<UInt64> = []) throws -> [UInt64: MaskedInputRequest] {
        for entry in request.keys where !skipping.contains(entry.node) {
            try server.receive(try clients[entry.node]!.receive(request), from: entry.node)
        }
        return try server.finishShareKeys()
    }

    mutating func mask(_ requests: [UInt64: MaskedInputRequest], inputs: [UInt64: [UInt32]], skipping: Set<UInt64> = [])
        throws -> (requests: [UInt64: UnmaskingRequest], masked: [UInt64: [UInt32]])
    {
        var masked = [UInt64: [UInt32]]()
        for (id, r) in requests.sorted(by: { $0.key < $1.key }) where !skipping.contains(id) {
            let m = try clients[id]!.receive(r, input: inputs[id]!)
            masked[id] = m.words
            try server.receive(m, from: id)
        }
        return (try server.finishMaskedInputCollection(), masked)
    }

    mutating func unmask(_ requests: [UInt64: UnmaskingRequest], skipping: Set<UInt64> = []) throws -> [UInt32] {
        for (id, r) in requests.sorted(by: { $0.key < $1.key }) where !skipping.contains(id) {
            try server.receive(try clients[id]!.receive(r), from: id)
        }
        return try server.finishUnmasking()
    }
}
