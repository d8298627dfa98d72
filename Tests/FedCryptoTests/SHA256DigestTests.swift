import FedCrypto
import Testing

@Suite struct SHA256DigestTests {
    // FIPS 180-2 appendix B.1 and the empty string.
    @Test func publishedVectors() {
        #expect(SHA256Digest.hex(SHA256Digest.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256Digest.hex(SHA256Digest.hash([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func incrementalEqualsOneShot() {
        let bytes = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        var h = IncrementalSHA256()
        h.update(Array(bytes[..<10]))
        h.update(Array(bytes[10...]))
        #expect(h.finalize() == SHA256Digest.hash(bytes))
        #expect(SHA256Digest.hex(h.finalize()) == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func floatsHashTheirLittleEndianBytes() {
        // 1.0f = 0x3F800000 → bytes 00 00 80 3F
        #expect(SHA256Digest.hash(floats: [1]) == SHA256Digest.hash([0x00, 0x00, 0x80, 0x3F]))
    }

    @Test func p256KeysArePEMAndDistinct() {
        let a = SigningKeyPEM.generateP256(), b = SigningKeyPEM.generateP256()
        #expect(a.hasPrefix("-----BEGIN PRIVATE KEY-----"))
        #expect(a != b)
    }
}
