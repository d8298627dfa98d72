import FedCrypto
import Testing

@Suite struct MaskStreamTests {
    let seed = (0..<32).map { UInt8($0 &* 7 &+ 3) }
    let nonce = [UInt8](repeating: 0, count: 11) + [1]

    // Element i is keystream word i (little-endian), masked to b bits.
    @Test func elementsAreKeystreamWords() throws {
        let stream = try MaskStream(seed: seed, nonce: nonce, bitWidth: 32)
        let bytes = try ChaCha20.keystream(key: seed, nonce: nonce, counter: 0, byteCount: 40)
        let words = stride(from: 0, to: 40, by: 4).map { (i: Int) -> UInt32 in
            var w: UInt32 = 0
            for k in 0..<4 { w |= UInt32(bytes[i + k]) << UInt32(8 * k) }
            return w
        }
        #expect(stream.elements(count: 10) == words)
        let narrow = try MaskStream(seed: seed, nonce: nonce, bitWidth: 12)
        #expect(narrow.elements(count: 10) == words.map { $0 & 0xFFF })
    }

    // Fast (8-lane, chunked) vs reference, across the 1024-word chunk boundary.
    @Test(arguments: [1, 16, 17, 1023, 1024, 1025, 3000])
    func fastMatchesReference(count: Int) throws {
        for bits in [1, 17, 32] {
            let stream = try MaskStream(seed: seed, nonce: nonce, bitWidth: bits)
            #expect(stream.elements(count: count) == stream.referenceElements(count: count))
        }
    }

    @Test func addThenSubtractIsIdentityModulo2b() throws {
        let stream = try MaskStream(seed: seed, nonce: nonce, bitWidth: 20)
        let original = (0..<2000).map { UInt32($0 * 311 % (1 << 20)) }
        var v = original
        stream.add(to: &v)
        #expect(v != original)
        #expect(v.allSatisfy { $0 < 1 << 20 })
        let mask = stream.elements(count: 2000)
        #expect(v == zip(original, mask).map { ($0 &+ $1) & 0xFFFFF })
        stream.subtract(from: &v)
        #expect(v == original)
    }

    @Test func differentNoncesGiveDifferentStreams() throws {
        let a = try MaskStream(seed: seed, nonce: nonce, bitWidth: 32).elements(count: 8)
        let b = try MaskStream(seed: seed, nonce: [UInt8](repeating: 0, count: 11) + [2], bitWidth: 32).elements(count: 8)
        #expect(a != b)
    }

    @Test func badParametersAreErrors() {
        #expect(throws: FedCryptoError.self) { try MaskStream(seed: seed, nonce: nonce, bitWidth: 0) }
        #expect(throws: FedCryptoError.self) { try MaskStream(seed: seed, nonce: nonce, bitWidth: 33) }
        #expect(throws: FedCryptoError.self) { try MaskStream(seed: Array(seed.prefix(16)), nonce: nonce, bitWidth: 32) }
    }

    @Test func seededGeneratorIsDeterministicAndUniformBelowBound() throws {
        var a = try ChaCha20RandomNumberGenerator(seed: seed)
        var b = try ChaCha20RandomNumberGenerator(seed: seed)
        let xs = (0..<100).map { _ in a.uniform(below: 7) }
        #expect(xs == (0..<100).map { _ in b.uniform(below: 7) })
        #expect(xs.allSatisfy { $0 < 7 })
        #expect(Set(xs).count == 7)
    }
}
