import FedCrypto
import Testing

@Suite struct P256SignaturesTests {
    @Test func signVerifyAndTamper() throws {
        let pem = SigningKeyPEM.generateP256()
        let message = Array("round 3 accuracy 0.81".utf8)
        let signature = try P256Signatures.sign(message, privateKeyPEM: pem)
        let key = try P256Signatures.publicKeyDER(privateKeyPEM: pem)
        #expect(P256Signatures.isValid(signature: signature, of: message, publicKeyDER: key))
        var changed = message
        changed[0] ^= 1
        #expect(!P256Signatures.isValid(signature: signature, of: changed, publicKeyDER: key))
        let other = try P256Signatures.publicKeyDER(privateKeyPEM: SigningKeyPEM.generateP256())
        #expect(!P256Signatures.isValid(signature: signature, of: message, publicKeyDER: other))
        #expect(!P256Signatures.isValid(signature: [1, 2, 3], of: message, publicKeyDER: key))
        #expect(throws: P256SignatureError.self) { try P256Signatures.sign(message, privateKeyPEM: "not a key") }
    }
}
