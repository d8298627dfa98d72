/// One value of a metrics record, for rendering as JSON by whichever layer writes it.
public enum MetricValue: Sendable, Equatable {
    /// A whole number.
    case integer(Int)
    /// A real number (rendered `null` when not finite).
    case number(Double)
    /// Text.
    case string(String)
    /// A list of texts.
    case strings([String])
    /// No value (e.g. a round without evaluation).
    case null

    /// The value as compact JSON text.
    public var json: String {
        switch self {
        case .integer(let i): return String(i)
        case .number(let d): return d.isFinite ? d.description : "null"
        case .string(let s): return Self.quote(s)
        case .strings(let a): return "[" + a.map(Self.quote).joined(separator: ",") + "]"
        case .null: return "null"
        }
    }

    /// `s` as a JSON string literal.
    static func quote(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
