import FedCrypto
import Testing

@Suite struct X25519AndAEADTests {
    @Test func bothSidesDeriveTheSameKey() throws {
        let a = X25519PrivateKey(), b = X25519PrivateKey()
        let salt = [UInt8](repeating: 1, count: 32), info = Array("shares 1 2".utf8)
        let kab = try a.deriveKey(with: b.publicKey, salt: salt, info: info, source: "a")
        let kba = try b.deriveKey(with: a.publicKey, salt: salt, info: info, source: "b")
        #expect(kab == kba && kab.count == 32)
        #expect(try a.deriveKey(with: b.publicKey, salt: salt, info: Array("shares 2 1".utf8), source: "a") != kab)
    }

    @Test func privateKeyRestoresItsPublicKey() throws {
        let a = X25519PrivateKey()
        #expect(try X25519PrivateKey(rawRepresentation: a.rawRepresentation, source: "restored").publicKey == a.publicKey)
    }

    // RFC 7748 §6.1 test vector (Alice's and Bob's keys, shared secret 4a5d9d5b…).
    @Test func rfc7748Vector() throws {
        let alice = try X25519PrivateKey(rawRepresentation: hexBytes("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"), source: "alice")
        let bobPublic = try X25519PublicKey(rawRepresentation: hexBytes("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f"), source: "bob")
        #expect(alice.publicKey.rawRepresentation == hexBytes("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a"))
        #expect(try alice.sharedSecret(with: bobPublic, source: "alice") == hexBytes("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"))
    }

    // The all-zero public key (a low-order point) makes the shared secret zero: refused.
    @Test func lowOrderPublicKeyIsRefused() throws {
        let a = X25519PrivateKey()
        let zero = try X25519PublicKey(rawRepresentation: [UInt8](repeating: 0, count: 32), source: "node 3")
        let error = #expect(throws: FedCryptoError.self) {
            try a.deriveKey(with: zero, salt: [], info: [], source: "s public key of node 3")
        }
        #expect(error?.code == .lowOrderKey)
        #expect(error?.source == "s public key of node 3")
        // The order-2 point u = 1 as well.
        let one = try X25519PublicKey(rawRepresentation: [1] + [UInt8](repeating: 0, count: 31), source: "node 4")
        #expect(throws: FedCryptoError.self) { try a.sharedSecret(with: one, source: "node 4") }
    }

    @Test func badKeyLengthsAreErrors() {
        #expect(throws: FedCryptoError.self) { try X25519PublicKey(rawRepresentation: [1, 2, 3], source: "x") }
        #expect(throws: FedCryptoError.self) { try X25519PrivateKey(rawRepresentation: [UInt8](repeating: 1, count: 31), source: "x") }
    }

    @Test func aeadRoundTripsAndRejectsTampering() throws {
        let key = SecureRandom.bytes(32), aad = Array("session|1|2".utf8)
        let message = Array("share bytes".utf8)
        let box = try ChaChaPolyBox.seal(message, key: key, authenticating: aad)
        #expect(box.count == message.count + ChaChaPolyBox.overhead)
        #expect(try ChaChaPolyBox.open(box, key: key, authenticating: aad, source: "box") == message)
        for i in [0, 12, box.count - 1] {
            var tampered = box
            tampered[i] ^= 1
            let error = #expect(throws: FedCryptoError.self) { try ChaChaPolyBox.open(tampered, key: key, authenticating: aad, source: "box from 1") }
            #expect(error?.code == .authenticationFailure)
        }
        #expect(throws: FedCryptoError.self) { try ChaChaPolyBox.open(box, key: key, authenticating: Array("session|2|1".utf8), source: "wrong aad") }
        #expect(throws: FedCryptoError.self) { try ChaChaPolyBox.open(Array(box.prefix(20)), key: key, authenticating: aad, source: "short") }
    }

    @Test func secureRandomBytesHaveTheRequestedLengthAndDiffer() {
        #expect(SecureRandom.bytes(0).isEmpty)
        #expect(SecureRandom.bytes(37).count == 37)
        #expect(SecureRandom.bytes(32) != SecureRandom.bytes(32))
    }
}
