import FedCrypto
import FedLedger
import Foundation
import Testing

/// Interop with Go's golang.org/x/mod/sumdb/note, using the vectors of its note_test.go.
@Suite struct SignedNoteTests {
    static let peterVerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
    static let peterPrivateKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
    static let enochVerifierKey = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop"
    static let text = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n"
    static let peterSig = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
    static let enochSig = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n"

    @Test func goVerifierAndSignerKeysParse() throws {
        let verifier = try NoteVerifier(verifierKey: Self.peterVerifierKey)
        #expect(verifier.name == "PeterNeumann")
        #expect(verifier.keyID == 0xc74f20a3)
        #expect(verifier.verifierKey == Self.peterVerifierKey)
        let signer = try NoteSigner(privateKey: Self.peterPrivateKey)
        #expect(signer.keyID == 0xc74f20a3)
        #expect(signer.verifier.verifierKey == Self.peterVerifierKey)
        #expect(signer.privateKey == Self.peterPrivateKey)
        #expect(try NoteVerifier(verifierKey: Self.enochVerifierKey).keyID == 0xaf0cfe78)
    }

    @Test func goSignedNoteVerifies() throws {
        let verifier = try NoteVerifier(verifierKey: Self.peterVerifierKey)
        let note = try verifier.open(Self.text + "\n" + Self.peterSig)
        #expect(note.text == Self.text)
        #expect(note.signatures.count == 1)
        // Another key's signature is ignored, ours still verifies.
        let both = try verifier.open(Self.text + "\n" + Self.peterSig + Self.enochSig)
        #expect(both.signatures.map(\.name) == ["PeterNeumann", "EnochRoot"])
        // Only Enoch's: no signature by our key.
        #expect(ledgerError { _ = try verifier.open(Self.text + "\n" + Self.enochSig) }?.code == .missingSignature)
        // A changed text fails.
        let changed = Self.text.replacingOccurrences(of: "problem,", with: "problems,")
        let e = ledgerError { _ = try verifier.open(changed + "\n" + Self.peterSig) }
        #expect(e?.code == .invalidSignature)
        #expect(e?.description == "signature line 1 of signed note: invalid signature: the signature by PeterNeumann+c74f20a3 does not verify over the note's text")
    }

    @Test func signingReproducesGoOutput() throws {
        let signer = try NoteSigner(privateKey: Self.peterPrivateKey)
        let signed = try signer.sign(Self.text)
        #if os(Linux)
        // Ed25519 is deterministic in BoringSSL (Apple's CryptoKit randomizes signatures).
        #expect(signed == Self.text + "\n" + Self.peterSig)
        #endif
        #expect(try signer.verifier.open(signed).text == Self.text)
        #expect(ledgerError { _ = try signer.sign("abc") }?.code == .malformedNote)
    }

    /// Go's TestNewVerifier: every proper substring and every one-byte increment is refused.
    @Test func everyMangledVerifierKeyIsRefused() {
        let b = Array(Self.peterVerifierKey.utf8)
        var accepted: [String] = []
        for i in 0...b.count {
            for j in (i + 1)..<(b.count + 1) where !(i == 0 && j == b.count) {
                let k = String(decoding: b[i..<j], as: UTF8.self)
                if (try? NoteVerifier(verifierKey: k)) != nil { accepted.append(k) }
            }
        }
        for i in b.indices {
            var m = b
            m[i] &+= 1
            let k = String(decoding: m, as: UTF8.self)
            if (try? NoteVerifier(verifierKey: k)) != nil { accepted.append(k) }
        }
        #expect(accepted.isEmpty)
        let wrongLength = ledgerError { _ = try NoteVerifier(verifierKey: "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==") }
        #expect(wrongLength?.code == .malformedKey)
        let unknownAlgorithm = ledgerError { _ = try NoteVerifier(verifierKey: "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW") }
        #expect(unknownAlgorithm?.message.hasPrefix("expected algorithm byte 0x01") == true)
    }

    @Test func everyMangledPrivateKeyIsRefused() {
        let b = Array(Self.peterPrivateKey.utf8)
        var accepted = 0
        for i in b.indices {
            var m = b
            m[i] &+= 1
            if (try? NoteSigner(privateKey: String(decoding: m, as: UTF8.self))) != nil { accepted += 1 }
        }
        for j in 1..<b.count where (try? NoteSigner(privateKey: String(decoding: b[..<j], as: UTF8.self))) != nil { accepted += 1 }
        #expect(accepted == 0)
    }

    /// Go's TestOpen bad messages, each refused as a malformed note.
    @Test(arguments: [
        SignedNoteTests.text,
        SignedNoteTests.text + "\n",
        SignedNoteTests.text + "\n" + String(SignedNoteTests.peterSig.dropLast()),
        "\u{01}" + SignedNoteTests.text + "\n" + SignedNoteTests.peterSig,
        SignedNoteTests.text + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
        SignedNoteTests.text + "\n" + SignedNoteTests.peterSig + "Unexpected line.\n",
        SignedNoteTests.text + "\n" + String(repeating: SignedNoteTests.peterSig, count: 101),
    ])
    func malformedNotesAreRefused(_ message: String) throws {
        let verifier = try NoteVerifier(verifierKey: Self.peterVerifierKey)
        #expect(ledgerError { _ = try verifier.open(message) }?.code == .malformedNote)
    }

    @Test func invalidUTF8IsRefused() {
        let bytes: [UInt8] = [0xFF] + Array((Self.text + "\n" + Self.peterSig).utf8)
        #expect(ledgerError { _ = try SignedNote.parse(bytes: bytes) }?.message == "the note is not valid UTF-8")
    }

    @Test func keyNamesAreChecked() throws {
        #expect(ledgerError { _ = try NoteSigner(name: "a b", signingKey: Ed25519SigningKey()) }?.code == .malformedKey)
        #expect(ledgerError { _ = try NoteSigner(name: "a+b", signingKey: Ed25519SigningKey()) }?.code == .malformedKey)
        #expect(ledgerError { _ = try NoteSigner(name: "", signingKey: Ed25519SigningKey()) }?.code == .malformedKey)
        let s = try NoteSigner.generate(name: "feddata.example/run-1")
        #expect(try NoteVerifier(verifierKey: s.verifier.verifierKey) == s.verifier)
        #expect(try NoteSigner(privateKey: s.privateKey).verifier == s.verifier)
    }
}
