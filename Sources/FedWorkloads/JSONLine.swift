import Foundation

/// One line of JSON Lines output: an object whose keys keep their insertion order.
///
/// FedData's machine-readable output is JSON Lines with snake_case keys that carry their unit
/// (`gflops`, `samples_per_s`, `seconds`, `peak_rss_mb`, `bytes`); bench lines carry a `name`.
public struct JSONLine: Sendable, Equatable, CustomStringConvertible {
    /// A JSON value.
    public enum Value: Sendable, Equatable {
        case string(String)
        case number(Double)
        case integer(Int)
        case bool(Bool)
        case null
        case array([Value])
        case object(JSONLine)
    }

    /// The fields, in output order.
    public private(set) var fields: [(key: String, value: Value)] = []

    /// Creates an empty object.
    public init() {}

    /// Creates an object from ordered key–value pairs.
    public init(_ pairs: KeyValuePairs<String, Value>) {
        for (k, v) in pairs { fields.append((k, v)) }
    }

    /// Sets a field, replacing an earlier one with the same key.
    public subscript(key: String) -> Value? {
        get { fields.first { $0.key == key }?.value }
        set {
            if let i = fields.firstIndex(where: { $0.key == key }) {
                if let v = newValue { fields[i].value = v } else { fields.remove(at: i) }
            } else if let v = newValue {
                fields.append((key, v))
            }
        }
    }

    public static func == (a: JSONLine, b: JSONLine) -> Bool {
        a.fields.count == b.fields.count && zip(a.fields, b.fields).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }

    /// The compact JSON text (one line, no trailing newline).
    public var description: String {
        "{" + fields.map { "\(JSONLine.quote($0.key)):\(JSONLine.render($0.value))" }.joined(separator: ",") + "}"
    }

    static func render(_ v: Value) -> String {
        switch v {
        case .string(let s): return quote(s)
        case .integer(let i): return String(i)
        case .bool(let b): return b ? "true" : "false"
        case .null: return "null"
        case .array(let a): return "[" + a.map(render).joined(separator: ",") + "]"
        case .object(let o): return o.description
        case .number(let d):
            guard d.isFinite else { return "null" }
            if d == d.rounded(), abs(d) < 1e15 { return String(format: "%.1f", d) }
            return String(format: "%.9g", d)
        }
    }

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
                if u.value < 0x20 { out += String(format: "\\u%04x", u.value) } else { out.unicodeScalars.append(u) }
            }
        }
        return out + "\""
    }
}
