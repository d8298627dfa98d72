import FedCrypto
@testable import FedSecureAggregation
import Testing

@Suite struct MessageEncodingTests {
    let k1 = X25519PrivateKey().publicKey, k2 = X25519PrivateKey().publicKey

    @Test func roundTripsAndSizes() throws {
        let a = AdvertiseKeysMessage(sender: 7, encryptionKey: k1, maskingKey: k2)
        #expect(a.encoded().count == 73)
        #expect(try AdvertiseKeysMessage(decoding: a.encoded(), source: "node 7") == a)

        let r = ShareKeysRequest(keys: [AdvertisedKeys(node: 1, encryptionKey: k1, maskingKey: k2), AdvertisedKeys(node: 2, encryptionKey: k2, maskingKey: k1)])
        #expect(r.encoded().count == 1 + 4 + 2 * 72)
        #expect(try ShareKeysRequest(decoding: r.encoded(), source: "server") == r)

        let s = ShareKeysMessage(sender: 3, selfMaskCommitment: [UInt8](repeating: 9, count: 32),
                                 boxes: [SealedShares(peer: 4, box: [1, 2, 3]), SealedShares(peer: 5, box: [])])
        #expect(try ShareKeysMessage(decoding: s.encoded(), source: "node 3") == s)

        let f = MaskedInputRequest(boxes: [SealedShares(peer: 9, box: [7, 7])])
        #expect(try MaskedInputRequest(decoding: f.encoded(), source: "server") == f)

        // Masked words: little-endian UInt32, 4 bytes per element after a 13-byte header.
        let y = MaskedInputMessage(sender: 1, words: [0x0403_0201, 0xFFFF_FFFF])
        #expect(y.encoded() == [0xA5, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 1, 2, 3, 4, 0xFF, 0xFF, 0xFF, 0xFF])
        #expect(try MaskedInputMessage(decoding: y.encoded(), source: "node 1") == y)

        let u = UnmaskingRequest(survivors: [1, 2], dropped: [3])
        #expect(try UnmaskingRequest(decoding: u.encoded(), source: "server") == u)

        let limbs = (1...5).map { PrimeField61(exactly: UInt64($0))! }
        let v = UnmaskingMessage(sender: 2, selfMaskShares: [RevealedShare(owner: 1, limbs: limbs)], maskKeyShares: [RevealedShare(owner: 3, limbs: limbs)])
        #expect(v.encoded().count == 1 + 8 + 2 * (4 + 48))
        #expect(try UnmaskingMessage(decoding: v.encoded(), source: "node 2") == v)
    }

    // Every strict prefix of every message is rejected with a malformed-message error naming the source.
    @Test func truncatedBytesAreErrorsNamingTheSource() throws {
        let limbs = (1...5).map { PrimeField61(exactly: UInt64($0))! }
        let cases: [([UInt8], ([UInt8]) throws -> Void)] = [
            (AdvertiseKeysMessage(sender: 7, encryptionKey: k1, maskingKey: k2).encoded(), { _ = try AdvertiseKeysMessage(decoding: $0, source: "node 7") }),
            (ShareKeysRequest(keys: [AdvertisedKeys(node: 1, encryptionKey: k1, maskingKey: k2)]).encoded(), { _ = try ShareKeysRequest(decoding: $0, source: "node 7") }),
            (ShareKeysMessage(sender: 3, selfMaskCommitment: [UInt8](repeating: 9, count: 32), boxes: [SealedShares(peer: 4, box: [1, 2, 3])]).encoded(),
             { _ = try ShareKeysMessage(decoding: $0, source: "node 7") }),
            (MaskedInputMessage(sender: 1, words: [1, 2, 3]).encoded(), { _ = try MaskedInputMessage(decoding: $0, source: "node 7") }),
            (UnmaskingRequest(survivors: [1, 2], dropped: [3]).encoded(), { _ = try UnmaskingRequest(decoding: $0, source: "node 7") }),
            (UnmaskingMessage(sender: 2, selfMaskShares: [RevealedShare(owner: 1, limbs: limbs)], maskKeyShares: []).encoded(),
             { _ = try UnmaskingMessage(decoding: $0, source: "node 7") }),
        ]
        for (bytes, decode) in cases {
            for cut in 0..<bytes.count {
                let error = #expect(throws: SecureAggregationError.self) { try decode(Array(bytes.prefix(cut))) }
                #expect(error?.code == .malformedMessage)
                #expect(error?.message.contains("node 7") == true)
            }
            #expect(throws: SecureAggregationError.self) { try decode(bytes + [0]) } // trailing byte
        }
    }

    @Test func garbledBytesAreErrors() throws {
        var wrongKind = MaskedInputMessage(sender: 1, words: [1]).encoded()
        wrongKind[0] = 0xA1
        let error = #expect(throws: SecureAggregationError.self) { try MaskedInputMessage(decoding: wrongKind, source: "node 1") }
        #expect(error?.message.contains("kind tag") == true)
        // A count far larger than the bytes that follow.
        let huge: [UInt8] = [0xA5, 1, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0x7F, 1, 2, 3, 4]
        #expect(throws: SecureAggregationError.self) { try MaskedInputMessage(decoding: huge, source: "node 1") }
        // A share limb ≥ p.
        var share = UnmaskingMessage(sender: 2, selfMaskShares: [RevealedShare(owner: 1, limbs: [PrimeField61](repeating: .one, count: 5))], maskKeyShares: []).encoded()
        for i in 21..<29 { share[i] = 0xFF }
        #expect(throws: SecureAggregationError.self) { try UnmaskingMessage(decoding: share, source: "node 2") }
    }
}
