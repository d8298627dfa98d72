import FedCrypto
import Testing

func hexBytes(_ s: String) -> [UInt8] {
    let digits = s.filter { $0.isHexDigit }
    var out = [UInt8]()
    var it = digits.makeIterator()
    while let hi = it.next(), let lo = it.next() { out.append(UInt8(String([hi, lo]), radix: 16)!) }
    return out
}

@Suite struct ChaCha20Tests {
    let key = (0..<32).map { UInt8($0) }

    // RFC 8439 §2.3.2: key 00…1f, nonce 00000009 0000004a 00000000, counter 1.
    @Test func rfc8439BlockVector() throws {
        let nonce = hexBytes("000000090000004a00000000")
        let expected = hexBytes("""
            10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e
            d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e
            """)
        #expect(try ChaCha20.block(key: key, counter: 1, nonce: nonce) == expected)
        #expect(try ChaCha20.keystream(key: key, nonce: nonce, counter: 1, byteCount: 64) == expected)
    }

    // RFC 8439 §2.4.2: the "sunscreen" plaintext, counter 1.
    @Test func rfc8439EncryptionVector() throws {
        let nonce = hexBytes("000000000000004a00000000")
        let plaintext = Array("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.".utf8)
        let expected = hexBytes("""
            6e 2e 35 9a 25 68 f9 80 41 ba 07 28 dd 0d 69 81 e9 7e 7a ec 1d 43 60 c2 0a 27 af cc fd 9f ae 0b
            f9 1b 65 c5 52 47 33 ab 8f 59 3d ab cd 62 b3 57 16 39 d6 24 e6 51 52 ab 8f 53 0c 35 9f 08 61 d8
            07 ca 0d bf 50 0d 6a 61 56 a3 8e 08 8a 22 b6 5e 52 bc 51 4d 16 cc f8 06 81 8c e9 1a b7 79 37 36
            5a f9 0b bf 74 a3 5b e6 b4 0b 8e ed f2 78 5e 42 87 4d
            """)
        #expect(plaintext.count == 114)
        let ciphertext = try ChaCha20.xor(plaintext, key: key, nonce: nonce, counter: 1)
        #expect(ciphertext == expected)
        #expect(try ChaCha20.xor(ciphertext, key: key, nonce: nonce, counter: 1) == plaintext)
    }

    // The fast path (BoringSSL, 64 KiB chunks) equals the word-by-word reference for lengths that
    // end inside a block, on a block edge, and on either side of the 65 536-byte chunk edge, from
    // counter 0, a small counter, and a counter whose last block is 2^32 − 1.
    @Test(arguments: [0, 1, 63, 64, 65, 511, 512, 1000, 4096, 65_535, 65_536, 65_537, 131_072 + 100])
    func fastKeystreamMatchesReference(byteCount: Int) throws {
        let nonce = hexBytes("0102030405060708090a0b0c")
        let blocks = UInt32((byteCount + 63) / 64)
        for start: UInt32 in [0, 5, UInt32.max - max(blocks, 1) + 1] {
            let fast = try ChaCha20.keystream(key: key, nonce: nonce, counter: start, byteCount: byteCount)
            let slow = try ChaCha20.referenceKeystream(key: key, nonce: nonce, counter: start, byteCount: byteCount)
            #expect(fast.count == byteCount)
            #expect(fast == slow, "byteCount \(byteCount), counter \(start)")
        }
    }

    // The reference keystream is the concatenation of reference blocks (and so, by the RFC vector
    // above, the RFC's block function).
    @Test func referenceKeystreamIsConcatenatedBlocks() throws {
        let nonce = hexBytes("000000090000004a00000000")
        var blocks = [UInt8]()
        for b: UInt32 in 1...3 { blocks += try ChaCha20.block(key: key, counter: b, nonce: nonce) }
        #expect(try ChaCha20.referenceKeystream(key: key, nonce: nonce, counter: 1, byteCount: 150) == Array(blocks.prefix(150)))
    }

    @Test func badSizesAndCounterOverflowAreErrors() throws {
        #expect(throws: FedCryptoError.self) { try ChaCha20.block(key: Array(key.prefix(31)), counter: 0, nonce: [UInt8](repeating: 0, count: 12)) }
        #expect(throws: FedCryptoError.self) { try ChaCha20.block(key: key, counter: 0, nonce: [UInt8](repeating: 0, count: 8)) }
        #expect(throws: FedCryptoError.self) {
            try ChaCha20.keystream(key: key, nonce: [UInt8](repeating: 0, count: 12), counter: UInt32.max, byteCount: 65)
        }
        #expect(throws: FedCryptoError.self) {
            try ChaCha20.referenceKeystream(key: key, nonce: [UInt8](repeating: 0, count: 12), counter: UInt32.max - 1, byteCount: 129)
        }
        #expect(throws: FedCryptoError.self) { try ChaCha20.keystream(key: key, nonce: [UInt8](repeating: 0, count: 12), byteCount: -1) }
        #expect(throws: FedCryptoError.self) { try ChaCha20.keystream(key: Array(key.prefix(16)), nonce: [UInt8](repeating: 0, count: 12), byteCount: 1) }
        // The last block of the counter range is allowed.
        #expect(try ChaCha20.keystream(key: key, nonce: [UInt8](repeating: 0, count: 12), counter: UInt32.max, byteCount: 64).count == 64)
    }
}
