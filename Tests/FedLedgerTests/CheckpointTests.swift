import FedLedger
import Foundation
import Testing

@Suite struct CheckpointTests {
    static let root = TestSupport.bytes("5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328")

    @Test func bodyIsTheC2SPFormat() throws {
        let c = try LogCheckpoint(origin: "feddata.example/run-1", size: 8, rootHash: Self.root)
        #expect(c.body == "feddata.example/run-1\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n")
        #expect(try LogCheckpoint(body: c.body) == c)
        let withExtension = try LogCheckpoint(origin: "o", size: 0, rootHash: MerkleHash.emptyRoot, extensions: ["ext one"])
        #expect(withExtension.body == "o\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\next one\n")
        #expect(try LogCheckpoint(body: withExtension.body) == withExtension)
    }

    @Test(arguments: [
        ("o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=", "the body must end with a newline"),
        ("o\n8\n", "expected at least 3 lines (origin, size, root hash), got 2"),
        ("o\n08\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", "expected a decimal number without leading zeros, got \"08\""),
        ("o\n-1\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", "expected a decimal number without leading zeros, got \"-1\""),
        ("o\n18446744073709551616\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", "expected a decimal number without leading zeros, got \"18446744073709551616\""),
        ("o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQy=\n", "expected standard base64 of 32 bytes, got \"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQy=\""),
        ("o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/Rg\n", "expected standard base64 of 32 bytes, got \"XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/Rg\""),
        ("\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n", "line 1 is empty; every line must be non-empty"),
        ("o\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\n", "line 4 is empty; every line must be non-empty"),
    ])
    func strictParsing(_ body: String, _ message: String) {
        let e = ledgerError { _ = try LogCheckpoint(body: body) }
        #expect(e?.code == .malformedCheckpoint)
        #expect(e?.message == message)
    }

    @Test func signedCheckpointOpensOnlyWithTheRightKeyAndOrigin() throws {
        let signer = try NoteSigner.generate(name: "feddata.example/run-1")
        let c = try LogCheckpoint(origin: "feddata.example/run-1", size: 8, rootHash: Self.root)
        let note = try signer.sign(c)
        #expect(note.hasPrefix(c.body + "\n— feddata.example/run-1 "))
        #expect(try signer.verifier.openCheckpoint(note, origin: "feddata.example/run-1") == c)
        #expect(ledgerError { _ = try signer.verifier.openCheckpoint(note, origin: "feddata.example/run-2") }?.code == .inconsistentHistory)
        let other = try NoteSigner.generate(name: "feddata.example/run-1")
        #expect(ledgerError { _ = try other.verifier.openCheckpoint(note) }?.code == .missingSignature)
        // The size changed after signing.
        let forged = note.replacingOccurrences(of: "\n8\n", with: "\n9\n")
        #expect(ledgerError { _ = try signer.verifier.openCheckpoint(forged) }?.code == .invalidSignature)
    }
}
