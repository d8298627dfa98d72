import FedCrypto
@testable import FedSecureAggregation
import Testing

@Suite struct ServerValidationTests {
    let c: SecureAggregationConfiguration

    init() throws { c = try Fixture.configuration(n: 4, degree: 3, threshold: 3, m: 3) }

    @Test func badAdvertiseKeysMessagesAreRejectedWithoutChangingState() throws {
        var server = SecureAggregationServer(configuration: c)
        var a = try SecureAggregationClient(configuration: c, node: 1)
        let keys = try a.advertiseKeys()
        let e1 = #expect(throws: SecureAggregationError.self) { try server.receive(keys, from: 2) } // sender mismatch
        #expect(e1?.nodes == [2] && e1?.stage == .advertiseKeys)
        var stranger = keys
        stranger.sender = 99
        #expect((#expect(throws: SecureAggregationError.self) { try server.receive(stranger, from: 99) })?.nodes == [99])
        try server.receive(keys, from: 1)
        #expect(throws: SecureAggregationError.self) { try server.receive(keys, from: 1) } // duplicate
        let copycat = AdvertiseKeysMessage(sender: 2, encryptionKey: keys.maskingKey, maskingKey: X25519PrivateKey().publicKey)
        let e2 = #expect(throws: SecureAggregationError.self) { try server.receive(copycat, from: 2) } // duplicate key
        #expect(e2?.nodes == [1, 2])
        // Wrong stage: a masked input now.
        #expect((#expect(throws: SecureAggregationError.self) { try server.receive(MaskedInputMessage(sender: 1, words: [1, 2, 3]), from: 1) })?.code == .unexpectedMessage)
        #expect(server.stage == .advertiseKeys)
    }

    @Test func badShareAndMaskedMessagesAreRejected() throws {
        var round = try ManualRound(c)
        let request = try round.advertise()
        var m1 = try round.clients[1]!.receive(request)
        let valid = m1
        var short = m1
        short.boxes.removeLast()
        #expect(throws: SecureAggregationError.self) { try round.server.receive(short, from: 1) }
        var bigBox = m1
        bigBox.boxes[0].box.append(0)
        #expect(throws: SecureAggregationError.self) { try round.server.receive(bigBox, from: 1) }
        m1.selfMaskCommitment.removeLast()
        #expect(throws: SecureAggregationError.self) { try round.server.receive(m1, from: 1) }

        try round.server.receive(valid, from: 1)
        #expect(throws: SecureAggregationError.self) { try round.server.receive(valid, from: 1) } // duplicate
        let forwards = try round.share(request, skipping: [1])
        let inputs = Fixture.inputs(c)
        var client = round.clients[1]!
        var y = try client.receive(forwards[1]!, input: inputs[1]!)
        y.words.append(0)
        let e = #expect(throws: SecureAggregationError.self) { try round.server.receive(y, from: 1) }
        #expect(e?.nodes == [1] && e?.stage == .maskedInputCollection)
    }

    @Test func clientRejectsBadInputsAndKeyLists() throws {
        var round = try ManualRound(c)
        var request = try round.advertise()
        // A key list with the client's own keys replaced.
        var forged = request
        forged.keys[0].maskingKey = X25519PrivateKey().publicKey
        var c1 = round.clients[1]!
        #expect((#expect(throws: SecureAggregationError.self) { try c1.receive(forged) })?.code == .unexpectedMessage)
        // Duplicate keys between two nodes.
        var dup = request
        dup.keys[3].maskingKey = dup.keys[2].maskingKey
        var c2 = round.clients[2]!
        #expect((#expect(throws: SecureAggregationError.self) { try c2.receive(dup) })?.nodes == [3, 4])
        // Unsorted.
        request.keys.swapAt(0, 1)
        var c3 = round.clients[3]!
        #expect(throws: SecureAggregationError.self) { try c3.receive(request) }
        // Not a participant.
        #expect(throws: SecureAggregationError.self) { try SecureAggregationClient(configuration: c, node: 42) }
    }

    @Test func configurationValidation() {
        let seed = Fixture.graphSeed
        #expect(throws: SecureAggregationError.self) {
            try SecureAggregationConfiguration(federationID: "f", roundID: 1, participants: [1, 1, 2], degree: 1, threshold: 2, vectorLength: 1, graphSeed: seed)
        }
        #expect(throws: SecureAggregationError.self) {
            try SecureAggregationConfiguration(federationID: "f", roundID: 1, participants: [1, 2, 3], degree: 2, threshold: 4, vectorLength: 1, graphSeed: seed)
        }
        #expect(throws: SecureAggregationError.self) {
            try SecureAggregationConfiguration(federationID: "f", roundID: 1, participants: [1, 2, 3], degree: 2, threshold: 1, vectorLength: 1, graphSeed: seed)
        }
        #expect(throws: SecureAggregationError.self) {
            try SecureAggregationConfiguration(federationID: "f", roundID: 1, participants: [1, 2, 3], degree: 2, threshold: 2, bitWidth: 33, vectorLength: 1, graphSeed: seed)
        }
        #expect(throws: SecureAggregationError.self) {
            try SecureAggregationConfiguration(federationID: "f", roundID: 1, participants: [1, 2, 3], degree: 2, threshold: 2, vectorLength: 0, graphSeed: seed)
        }
    }

    // A corrupted revealed share makes the reconstructed seed fail its checks: the round fails.
    @Test func corruptedRevealedShareFailsTheRound() throws {
        var round = try ManualRound(try Fixture.configuration(n: 4, degree: 3, threshold: 4, m: 3))
        let forwards = try round.share(try round.advertise())
        let (requests, _) = try round.mask(forwards, inputs: Fixture.inputs(round.configuration))
        for (id, r) in requests.sorted(by: { $0.key < $1.key }) {
            var reply = try round.clients[id]!.receive(r)
            if id == 2 { reply.selfMaskShares[0].limbs[1] = reply.selfMaskShares[0].limbs[1] + .one }
            try round.server.receive(reply, from: id)
        }
        let error = #expect(throws: SecureAggregationError.self) { try round.server.finishUnmasking() }
        #expect(error?.code == .verificationFailed)
        #expect(error?.nodes == [1])
        #expect(round.server.stage == .failed)
    }
}
