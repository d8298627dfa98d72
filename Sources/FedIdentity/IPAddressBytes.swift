#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// IP addresses as the bytes of an `iPAddress` subject alternative name (RFC 5280 §4.2.1.6:
/// 4 bytes for IPv4, 16 for IPv6, network byte order), and DNS names for `dNSName`.
enum IPAddressBytes {
    /// The 4 or 16 bytes of a textual IPv4 (`127.0.0.1`) or IPv6 (`::1`) address, or nil.
    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    /// The text of 4 or 16 address bytes (`127.0.0.1`, `::1`); other lengths as hex.
    static func format(_ bytes: [UInt8]) -> String {
        if bytes.count == 4 {
            return bytes.map(String.init).joined(separator: ".")
        }
        if bytes.count == 16 {
            var v6 = in6_addr()
            withUnsafeMutableBytes(of: &v6) { $0.copyBytes(from: bytes) }
            var out = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            if inet_ntop(AF_INET6, &v6, &out, socklen_t(out.count)) != nil {
                return String(decoding: out.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            }
        }
        return bytes.map { String($0, radix: 16) }.joined(separator: ":")
    }

    /// Whether `name` is a plausible DNS name for a certificate: 1–253 characters, labels of
    /// 1–63 letters, digits and hyphens not starting or ending with a hyphen, optionally a
    /// leading `*.` wildcard label.
    static func isValidDNSName(_ name: String) -> Bool {
        var text = Substring(name)
        if text.hasPrefix("*.") { text = text.dropFirst(2) }
        guard !text.isEmpty, name.utf8.count <= 253 else { return false }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            let b = Array(label.utf8)
            guard (1...63).contains(b.count), b.first != UInt8(ascii: "-"), b.last != UInt8(ascii: "-") else { return false }
            return b.allSatisfy { c in
                (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == UInt8(ascii: "-")
            }
        }
    }
}
