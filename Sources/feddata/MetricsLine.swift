import FedRound
import FedWorkloads

extension JSONLine {
    /// A JSON line from FedRound's ordered metric fields.
    init(_ fields: [(key: String, value: MetricValue)]) {
        self.init()
        for (k, v) in fields { self[k] = JSONLine.Value(v) }
    }
}

extension JSONLine.Value {
    init(_ v: MetricValue) {
        switch v {
        case .integer(let i): self = .integer(i)
        case .number(let d): self = .number(d)
        case .string(let s): self = .string(s)
        case .strings(let a): self = .array(a.map { .string($0) })
        case .null: self = .null
        }
    }
}
