import FedCrypto
@testable import FedSecureAggregation
import Testing

@Suite struct SecureAggregationProtocolTests {
    typealias Dropout = SecureAggregationSession.Dropout

    // Hand-checkable: 4 nodes, complete graph, t = 3, no dropouts; word i of the sum is
    // (1+2+3+4)·1000 + 4·7·i.
    @Test func completeGraphWithoutDropoutsGivesTheExactSum() throws {
        let c = try Fixture.configuration(n: 4, degree: 3, threshold: 3, m: 5)
        let result = try SecureAggregationSession.run(configuration: c, inputs: Fixture.inputs(c))
        let expected: [UInt32] = [10_000, 10_028, 10_056, 10_084, 10_112]
        #expect(result.sum == expected)
        #expect(result.survivors == [1, 2, 3, 4])
    }

    @Test(arguments: [8, 12, 32])
    func narrowBitWidthsWrapModulo2b(bits: Int) throws {
        let c = try Fixture.configuration(n: 5, degree: 4, threshold: 3, m: 9, bits: bits)
        let inputs = Fixture.inputs(c)
        let result = try SecureAggregationSession.run(configuration: c, inputs: inputs)
        #expect(result.sum == Fixture.sum(inputs, of: c.participants, mask: c.wordMask))
    }

    /// 100 nodes on the finder's SecAgg+ graph (k = 28, t = 6), with dropouts spread over all four
    /// stages: the sum of exactly the survivors' inputs (U3) comes out.
    @Test(arguments: [10, 30])
    func hundredNodesWithDropoutsGiveTheExactSum(percent: Int) throws {
        let p = try SecureAggregationConfiguration.recommendedGraph(nodeCount: 100)
        #expect(p.degree == 28 && p.threshold <= 6)
        let c = try Fixture.configuration(n: 100, degree: p.degree, threshold: p.threshold, m: 16)
        let inputs = Fixture.inputs(c)
        var dropouts = [UInt64: Dropout]()
        for (i, id) in stride(from: 3, through: 100, by: 100 / percent).prefix(percent).enumerated() {
            dropouts[UInt64(id)] = Dropout.allCases[i % 4]
        }
        #expect(dropouts.count == percent)
        let result = try SecureAggregationSession.run(configuration: c, inputs: inputs, dropouts: dropouts)
        let inSum = c.participants.filter { dropouts[$0] == nil || dropouts[$0] == .beforeUnmasking }
        #expect(result.survivors == inSum)
        #expect(result.sum == Fixture.sum(inputs, of: inSum, mask: c.wordMask))
        #expect(result.maskedInputBytes == inSum.count * (13 + 4 * 16))
    }

    @Test(arguments: Dropout.allCases)
    func eachDropoutStageAloneGivesTheExactSum(stage: Dropout) throws {
        let c = try Fixture.configuration(n: 7, degree: 4, threshold: 3, m: 6)
        let inputs = Fixture.inputs(c)
        let result = try SecureAggregationSession.run(configuration: c, inputs: inputs, dropouts: [2: stage, 6: stage])
        let inSum = stage == .beforeUnmasking ? c.participants : c.participants.filter { $0 != 2 && $0 != 6 }
        #expect(result.sum == Fixture.sum(inputs, of: inSum, mask: c.wordMask))
    }

    // Threshold boundary in MaskedInputCollection: complete graph of 6, t = 4. Two dropped → 4
    // holders for everyone → exact sum; three dropped → 3 = t − 1 → the round fails, naming nodes.
    @Test func thresholdBoundaryAtMaskedInput() throws {
        let c = try Fixture.configuration(n: 6, degree: 5, threshold: 4, m: 4)
        let inputs = Fixture.inputs(c)
        let ok = try SecureAggregationSession.run(configuration: c, inputs: inputs, dropouts: [1: .beforeMaskedInput, 2: .beforeMaskedInput])
        #expect(ok.sum == Fixture.sum(inputs, of: [3, 4, 5, 6], mask: c.wordMask))
        let error = #expect(throws: SecureAggregationError.self) {
            try SecureAggregationSession.run(configuration: c, inputs: inputs,
                                             dropouts: [1: .beforeMaskedInput, 2: .beforeMaskedInput, 3: .beforeMaskedInput])
        }
        #expect(error?.code == .thresholdNotMet)
        #expect(error?.stage == .maskedInputCollection)
        #expect(error?.nodes == [1, 2, 3, 4, 5, 6]) // survivors with 3 holders, dropped with 3 surviving holders
    }

    // Threshold boundary in Unmasking: all 6 sent masked inputs; t = 4 answers suffice, t − 1 do not
    // (fewer than t shares of each b_u: reconstruction is refused and no sum is returned).
    @Test func thresholdBoundaryAtUnmasking() throws {
        let c = try Fixture.configuration(n: 6, degree: 5, threshold: 4, m: 4)
        let inputs = Fixture.inputs(c)
        let ok = try SecureAggregationSession.run(configuration: c, inputs: inputs, dropouts: [5: .beforeUnmasking, 6: .beforeUnmasking])
        #expect(ok.sum == Fixture.sum(inputs, of: c.participants, mask: c.wordMask))

        var round = try ManualRound(c)
        let forwards = try round.share(try round.advertise())
        let (requests, _) = try round.mask(forwards, inputs: inputs)
        let error = #expect(throws: SecureAggregationError.self) { try round.unmask(requests, skipping: [4, 5, 6]) }
        #expect(error?.code == .thresholdNotMet)
        #expect(error?.stage == .unmasking)
        #expect(error?.nodes == [1, 2, 3, 4, 5, 6])
        #expect(round.server.stage == .failed)
        #expect(throws: SecureAggregationError.self) { try round.server.finishUnmasking() }
    }

    // Beyond the threshold at any earlier stage the round fails with the stage and nodes named.
    @Test func tooManyDropoutsFailWithAClearError() throws {
        let c = try Fixture.configuration(n: 10, degree: 4, threshold: 5, m: 3) // t = k + 1: every holder needed
        let inputs = Fixture.inputs(c)
        let dropouts: [UInt64: Dropout] = [1: .beforeAdvertiseKeys, 2: .beforeAdvertiseKeys, 3: .beforeAdvertiseKeys, 4: .beforeAdvertiseKeys]
        let error = #expect(throws: SecureAggregationError.self) {
            try SecureAggregationSession.run(configuration: c, inputs: inputs, dropouts: dropouts)
        }
        #expect(error?.code == .thresholdNotMet)
        #expect(error?.stage == .advertiseKeys)
        #expect(!(error?.nodes.isEmpty ?? true))
        #expect(error?.description.contains("threshold not met") == true)
    }

    // The server cannot make a client reveal both shares of one peer, nor treat the client itself
    // as dropped; the client refuses and is then finished.
    @Test func clientRefusesToRevealBothSharesOfAPeer() throws {
        let c = try Fixture.configuration(n: 5, degree: 4, threshold: 3, m: 3)
        var round = try ManualRound(c)
        let forwards = try round.share(try round.advertise())
        let (requests, _) = try round.mask(forwards, inputs: Fixture.inputs(c))
        let honest = requests[1]!
        #expect(honest.survivors == [1, 2, 3, 4, 5] && honest.dropped.isEmpty)

        var client = round.clients[1]!
        let both = UnmaskingRequest(survivors: [1, 2, 3, 4, 5], dropped: [3])
        let error = #expect(throws: SecureAggregationError.self) { try client.receive(both) }
        #expect(error?.code == .refusedRequest)
        #expect(error?.nodes == [3])
        #expect(client.stage == .failed)
        #expect(throws: SecureAggregationError.self) { try client.receive(honest) }

        var other = round.clients[2]!
        let selfDropped = UnmaskingRequest(survivors: [1, 3, 4, 5], dropped: [2])
        #expect((#expect(throws: SecureAggregationError.self) { try other.receive(selfDropped) })?.code == .refusedRequest)

        // After answering honestly once, a second request (e.g. now claiming 3 dropped) is refused.
        var third = round.clients[3]!
        _ = try third.receive(requests[3]!)
        #expect(throws: SecureAggregationError.self) { try third.receive(UnmaskingRequest(survivors: [3], dropped: [1, 2])) }
    }

    @Test func tamperedShareCiphertextIsAnErrorNamingTheSender() throws {
        let c = try Fixture.configuration(n: 4, degree: 3, threshold: 2, m: 3)
        var round = try ManualRound(c)
        let forwards = try round.share(try round.advertise())
        var request = forwards[1]!
        let sender = request.boxes[0].peer
        request.boxes[0].box[20] ^= 0x40
        var client = round.clients[1]!
        let error = #expect(throws: SecureAggregationError.self) { try client.receive(request, input: [1, 2, 3]) }
        #expect(error?.code == .verificationFailed)
        #expect(error?.nodes == [sender])
        #expect((error?.cause as? FedCryptoError)?.code == .authenticationFailure)
        // A box moved to another receiver fails too (the key and AAD bind sender and receiver).
        var moved = forwards[2]!
        moved.boxes = forwards[1]!.boxes.filter { $0.peer != 2 }.map { SealedShares(peer: $0.peer, box: $0.box) }
        var client2 = round.clients[2]!
        #expect(throws: SecureAggregationError.self) { try client2.receive(moved, input: [1, 2, 3]) }
    }

    // An all-zero X25519 key in the key list gives an all-zero shared secret: the client refuses.
    @Test func allZeroPeerKeyIsRefused() throws {
        let c = try Fixture.configuration(n: 3, degree: 2, threshold: 2, m: 2)
        var round = try ManualRound(c)
        var request = try round.advertise()
        let zero = try X25519PublicKey(rawRepresentation: [UInt8](repeating: 0, count: 32), source: "test")
        request.keys[2].encryptionKey = zero
        var client = round.clients[1]!
        let error = #expect(throws: SecureAggregationError.self) { try client.receive(request) }
        #expect(error?.nodes == [3])
        #expect(error?.stage == .shareKeys)
        #expect(((error?.cause as? FedCryptoError)?.code) == .lowOrderKey)
    }

    // The server sees y_u = x_u + masks: its high bits are uniform (chi-square over 16 bins of
    // the top 4 bits, 4096 words, threshold ≈ p 1e-9), while the unmasked encoding is nowhere near.
    @Test func maskedVectorLooksUniformToTheServer() throws {
        let m = 4096
        let c = try Fixture.configuration(n: 3, degree: 2, threshold: 2, m: m)
        let quantizer = try UpdateQuantizer(nodeCount: 3)
        var rng = SplitMix64(seed: 42)
        var inputs = [UInt64: [UInt32]]()
        for id in c.participants {
            inputs[id] = try quantizer.encode((0..<(m - 1)).map { Float($0 % 17) / 17 - 0.5 }, weight: 10, using: &rng)
        }
        var round = try ManualRound(c)
        let forwards = try round.share(try round.advertise())
        let (_, masked) = try round.mask(forwards, inputs: inputs)
        func chiSquare(_ words: [UInt32]) -> Double {
            var bins = [Double](repeating: 0, count: 16)
            for w in words { bins[Int(w >> 28)] += 1 }
            let e = Double(words.count) / 16
            return bins.reduce(0) { $0 + ($1 - e) * ($1 - e) / e }
        }
        let threshold = 65.0 // χ²(15) at p ≈ 1e-9
        for id in c.participants { #expect(chiSquare(masked[id]!) < threshold, "node \(id)") }
        #expect(chiSquare(inputs[1]!) > 10 * threshold)
    }

    @Test func weightedMeanDecodesWithinTheBound() throws {
        let n = 6, params = 20
        let c = try Fixture.configuration(n: n, degree: 4, threshold: 3, m: params + 1)
        let quantizer = try UpdateQuantizer(nodeCount: n, clippingRange: 2)
        var rng = SplitMix64(seed: 7)
        var updates = [UInt64: (delta: [Float], weight: Int)]()
        for id in c.participants {
            let delta = (0..<params).map { (i: Int) -> Float in Float(i - 10) * 0.3 + Float(id) * 0.01 }
            updates[id] = (delta, Int(id) * 10)
        }
        let out = try SecureAggregationSession.runWeightedMean(configuration: c, quantizer: quantizer, updates: updates,
                                                               dropouts: [6: .beforeMaskedInput], using: &rng)
        let survivors: [UInt64] = [1, 2, 3, 4, 5]
        #expect(out.totalWeight == 150)
        for i in 0..<params {
            var exact = 0.0
            for id in survivors { exact += Double(updates[id]!.weight) * Double(min(max(updates[id]!.delta[i], -2), 2)) }
            exact /= 150
            let error = abs(Double(out.mean[i]) - exact)
            #expect(error <= quantizer.errorBound + 1e-6)
        }
    }
}
