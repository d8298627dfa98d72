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

    // The 8-lane fast path equals the word-by-word reference for 1 … 19 blocks (crossing the
    // 8-block step and a partial last step) and a counter near the top of its range.
    @Test(arguments: [1, 7, 8, 9, 19])
    func fastKeystreamMatchesReferenceBlocks(blocks: Int) throws {
        let nonce = hexBytes("0102030405060708090a0b0c")
        for start: UInt32 in [0, 5, UInt32.max - UInt32(blocks) + 1] {
            let fast = try ChaCha20.keystream(key: key, nonce: nonce, counter: start, byteCount: 64 * blocks)
            var slow = [UInt8]()
            for b in 0..<blocks { slow += try ChaCha20.block(key: key, counter: start + UInt32(b), nonce: nonce) }
            #expect(fast == slow)
        }
    }

    @Test func badSizesAndCounterOverflowAreErrors() {
        #expect(throws: FedCryptoError.self) { try ChaCha20.block(key: Array(key.prefix(31)), counter: 0, nonce: [UInt8](repeating: 0, count: 12)) }
        #expect(throws: FedCryptoError.self) { try ChaCha20.block(key: key, counter: 0, nonce: [UInt8](repeating: 0, count: 8)) }
        #expect(throws: FedCryptoError.self) {
            try ChaCha20.keystream(key: key, nonce: [UInt8](repeating: 0, count: 12), counter: UInt32.max, byteCount: 65)
        }
    }
}
