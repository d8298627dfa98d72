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

    // Fast (BoringSSL, 64 KiB = 16 384-word chunks) vs reference, across block edges and the chunk edge.
    @Test(arguments: [0, 1, 16, 17, 1023, 1024, 1025, 3000, 16_383, 16_384, 16_385, 40_000])
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

    // add and subtract agree with the reference elements across the chunk edge, at b = 32 (wrapping)
    // and b = 7 (masking).
    @Test(arguments: [7, 32])
    func addAndSubtractMatchReferenceAcrossChunks(bits: Int) throws {
        let stream = try MaskStream(seed: seed, nonce: nonce, bitWidth: bits)
        let count = 16_384 + 300
        let mask = stream.referenceElements(count: count)
        let modulus: UInt32 = bits == 32 ? .max : (1 << UInt32(bits)) - 1
        let original = (0..<count).map { UInt32(truncatingIfNeeded: $0 &* 2_654_435_761) & modulus }
        var v = original
        stream.add(to: &v)
        #expect(v == zip(original, mask).map { ($0 &+ $1) & modulus })
        v = original
        stream.subtract(from: &v)
        #expect(v == zip(original, mask).map { ($0 &- $1) & modulus })
    }

    // The one-pass multi-stream apply equals adding and subtracting stream by stream, across the
    // chunk edge; no streams is a no-op; mixed bit widths are an error.
    @Test(arguments: [20, 32])
    func applyEqualsStreamByStream(bits: Int) throws {
        let streams = try (1...3).map { k in try MaskStream(seed: seed.map { $0 &+ UInt8(k) }, nonce: nonce, bitWidth: bits) }
        let modulus: UInt32 = bits == 32 ? .max : (1 << UInt32(bits)) - 1
        let original = (0..<(2 * 16_384 + 5)).map { UInt32(truncatingIfNeeded: $0 &* 40_503) & modulus }
        var expected = original
        streams[0].add(to: &expected)
        streams[2].add(to: &expected)
        streams[1].subtract(from: &expected)
        var v = original
        try MaskStream.apply(adding: [streams[0], streams[2]], subtracting: [streams[1]], to: &v)
        #expect(v == expected)
        try MaskStream.apply(adding: [], subtracting: [], to: &v)
        #expect(v == expected)
        let other = try MaskStream(seed: seed, nonce: nonce, bitWidth: bits == 32 ? 31 : 32)
        #expect(throws: FedCryptoError.self) { try MaskStream.apply(adding: [streams[0]], subtracting: [other], to: &v) }
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
