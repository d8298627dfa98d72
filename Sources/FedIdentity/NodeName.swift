/// The naming rule for nodes and federations: 1–64 characters of `A–Z a–z 0–9 . _ -`, not
/// starting with `.` or `-`. A node's name is its certificate's common name, the tail of its
/// `urn:feddata:node:<name>` URI, and the stem of its files in a ``PKIDirectory``; the rule keeps
/// all three unambiguous (no spaces, separators or escaping).
public enum NodeName {
    /// The longest name allowed.
    public static let maximumLength = 64

    /// The prefix of the URI subject alternative name that carries a node's name.
    public static let uriPrefix = "urn:feddata:node:"

    /// Whether `name` follows the naming rule (without the reserved-name check).
    public static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...maximumLength).contains(bytes.count) else { return false }
        guard bytes[0] != UInt8(ascii: "."), bytes[0] != UInt8(ascii: "-") else { return false }
        return bytes.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A)
                || b == UInt8(ascii: ".") || b == UInt8(ascii: "_") || b == UInt8(ascii: "-")
        }
    }

    /// Checks a node's name: the naming rule, and not a name whose files would collide with the
    /// CA's or another node's in a ``PKIDirectory`` (`ca`, or ending in `-key`, in any case).
    /// - Parameters:
    ///   - name: the proposed node name.
    ///   - source: what to name in an error (default `node name`).
    /// - Returns: `name`, unchanged.
    /// - Throws: `IdentityError` `.invalidName`, quoting the name and the rule.
    @discardableResult
    public static func validate(_ name: String, source: String = "node name") throws -> String {
        guard isValid(name) else {
            throw IdentityError(.invalidName, source: source, "'\(name)' is not a valid name; expected \(ruleText)")
        }
        let lower = name.lowercased()
        if lower == "ca" {
            throw IdentityError(.invalidName, source: source, "'\(name)' is reserved for the federation CA's files (ca.pem, ca-key.pem); choose another name")
        }
        if lower.hasSuffix("-key") {
            throw IdentityError(.invalidName, source: source, "'\(name)' ends in '-key', so its certificate file would collide with the key file of '\(name.dropLast(4))'; choose another name")
        }
        return name
    }

    /// Checks a federation's name against the naming rule.
    /// - Throws: `IdentityError` `.invalidName`, quoting the name and the rule.
    @discardableResult
    public static func validateFederation(_ name: String) throws -> String {
        guard isValid(name) else {
            throw IdentityError(.invalidName, source: "federation name", "'\(name)' is not a valid name; expected \(ruleText)")
        }
        return name
    }

    static let ruleText = "1–64 characters of A–Z, a–z, 0–9, '.', '_' or '-', not starting with '.' or '-'"
}
