import FedCrypto
import Testing

@Suite struct Ed25519KeysTests {
    static func bytes(_ hex: String) -> [UInt8] {
        let u = Array(hex.utf8)
        return stride(from: 0, to: u.count, by: 2).map { UInt8(String(decoding: u[$0..<($0 + 2)], as: UTF8.self), radix: 16)! }
    }

    // RFC 8032 §7.1, TEST 1 (empty message) and TEST 2 (one byte 0x72).
    static let vectors: [(seed: String, publicKey: String, message: String, signature: String)] = [
        ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
         "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
         "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
        ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
         "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
         "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
    ]

    @Test(arguments: 0..<2) func rfc8032Vectors(_ i: Int) throws {
        let v = Self.vectors[i]
        let key = try Ed25519SigningKey(rawSeed: Self.bytes(v.seed))
        #expect(key.rawSeed == Self.bytes(v.seed))
        #expect(key.publicKey.rawBytes == Self.bytes(v.publicKey))
        let message = Self.bytes(v.message)
        let publicKey = try Ed25519PublicKey(rawBytes: Self.bytes(v.publicKey))
        #expect(publicKey.isValidSignature(Self.bytes(v.signature), for: message))
        #if os(Linux)
        // BoringSSL signs deterministically, as RFC 8032 specifies (CryptoKit randomizes).
        #expect(try key.sign(message) == Self.bytes(v.signature))
        #endif
        #expect(publicKey.isValidSignature(try key.sign(message), for: message))
    }

    @Test func tamperedSignatureOrMessageFails() throws {
        let key = Ed25519SigningKey()
        let message: [UInt8] = Array("checkpoint".utf8)
        var sig = try key.sign(message)
        #expect(key.publicKey.isValidSignature(sig, for: message))
        #expect(!key.publicKey.isValidSignature(sig, for: Array("checkpoinT".utf8)))
        sig[10] ^= 0x01
        #expect(!key.publicKey.isValidSignature(sig, for: message))
        #expect(!key.publicKey.isValidSignature(sig.dropLast(), for: message))
        #expect(!Ed25519SigningKey().publicKey.isValidSignature(try key.sign(message), for: message))
    }

    @Test func seedRoundTripsAndKeysDiffer() throws {
        let a = Ed25519SigningKey()
        let b = try Ed25519SigningKey(rawSeed: a.rawSeed)
        #expect(a.publicKey == b.publicKey)
        #expect(a.publicKey != Ed25519SigningKey().publicKey)
        #expect(try Ed25519PublicKey(rawBytes: a.publicKey.rawBytes) == a.publicKey)
    }

    @Test func wrongLengthsAreErrorsNamingTheSource() {
        #expect(throws: Ed25519Error.self) { try Ed25519SigningKey(rawSeed: [UInt8](repeating: 1, count: 31)) }
        do {
            _ = try Ed25519PublicKey(rawBytes: [UInt8](repeating: 1, count: 33), source: "coordinator key")
            Issue.record("a 33-byte public key was accepted")
        } catch let e as Ed25519Error {
            #expect(e.code == .wrongLength)
            #expect(e.description == "coordinator key: wrong length: expected 32 bytes, got 33")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }
}
