@testable import FedLedger
import Testing

@Suite struct Base64Tests {
    // RFC 4648 §10.
    @Test(arguments: [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy")])
    func rfc4648Vectors(_ plain: String, _ encoded: String) {
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test(arguments: ["Zg", "Zg=", "Zh==", "Zm9=", "Zg==Zg==", "Z g=", "Zm9v\n", "=Zg=", "Zm-v"])
    func nonCanonicalOrInvalidTextIsRefused(_ text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test func allByteValuesRoundTrip() {
        let bytes = (0...255).map(UInt8.init)
        for n in 0...bytes.count {
            #expect(Base64.decode(Base64.encode(bytes[..<n])) == Array(bytes[..<n]))
        }
    }
}
