/// Hexadecimal formatting for error messages.
enum Hex {
    /// `0x` and eight hex digits, e.g. `0x00000803`.
    static func word(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return "0x" + String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// Up to the first four bytes as two-digit hex separated by spaces, or `nothing`.
    static func bytes(_ bytes: [UInt8]) -> String {
        if bytes.isEmpty { return "nothing" }
        return bytes.prefix(4).map { b in
            let d = String(b, radix: 16)
            return d.count == 1 ? "0" + d : d
        }.joined(separator: " ")
    }
}
