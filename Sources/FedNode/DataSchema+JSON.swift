import Foundation

extension DataSchema {
    /// The keys a schema file may have at the top level.
    static let topLevelKeys = ["label", "features", "missing", "zero_is_missing", "categorical_drop"]
    /// The keys of the `label` object.
    static let labelKeys = ["column", "positive_above", "classes"]

    /// A built-in schema by name (`heart-disease`), or else the JSON schema file at that path:
    /// what `--schema` accepts.
    /// - Parameter nameOrPath: a name in `builtInNames`, or a file path.
    /// - Throws: `NodeDataError` `.unknownSchema` when it is neither a built-in name nor an
    ///   existing file; `.invalidSchema` for a bad file (see `parse(json:origin:)`).
    public static func resolve(_ nameOrPath: String) throws -> DataSchema {
        if let schema = named(nameOrPath) { return schema }
        let url = URL(fileURLWithPath: nameOrPath)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw NodeDataError(
                .unknownSchema, source: "--schema \(nameOrPath)",
                "expected a built-in schema (\(builtInNames.joined(separator: ", "))) or the path of a JSON schema file, found neither")
        }
        return try load(from: url, origin: nameOrPath)
    }

    /// Reads a JSON schema file.
    /// - Parameters:
    ///   - url: the file.
    ///   - origin: the name used in error messages (default: the file's path).
    /// - Throws: `NodeDataError` `.invalidSchema` naming the file: unreadable, or as for
    ///   `parse(json:origin:)`.
    public static func load(from url: URL, origin: String? = nil) throws -> DataSchema {
        let origin = origin ?? url.path
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw NodeDataError(.invalidSchema, source: origin, "expected a readable schema file", cause: error)
        }
        return try parse(json: data, origin: origin)
    }

    /// Parses a JSON schema (the format is described on `DataSchema`).
    /// - Parameters:
    ///   - json: the file's bytes.
    ///   - origin: the file's name or path, for error messages and `origin`.
    /// - Throws: `NodeDataError` `.invalidSchema` naming `origin` and the JSON path at fault,
    ///   e.g. `schema.json: "label.column": expected a string, found a number`: text that is
    ///   not JSON, a missing or unknown key, a value of the wrong kind, or parts that
    ///   contradict each other (see `validate()`).
    public static func parse(json: Data, origin: String) throws -> DataSchema {
        let root: JSONValue
        do {
            root = try JSONDecoder().decode(JSONValue.self, from: json)
        } catch {
            throw NodeDataError(.invalidSchema, source: origin, "expected a JSON object, found text that is not valid JSON", cause: error)
        }
        let reader = SchemaReader(origin: origin)
        let top = try reader.object(root, at: nil, keys: topLevelKeys)
        let label = try reader.object(try reader.required(top, "label", in: nil), at: "label", keys: labelKeys)
        let column = try reader.string(try reader.required(label, "column", in: "label"), at: "label.column")
        let encoding: LabelEncoding
        switch (label["positive_above"], label["classes"]) {
        case (let t?, nil): encoding = .positiveAbove(try reader.number(t, at: "label.positive_above"))
        case (nil, let n?): encoding = .classes(try reader.integer(n, at: "label.classes"))
        case (_?, _?): throw reader.fail("label", "expected one of \"positive_above\" or \"classes\", found both")
        case (nil, nil):
            throw reader.fail("label", "expected \"positive_above\" (a threshold: label 1 above it) or \"classes\" (the number of integer classes), found neither")
        }
        let features = try reader.strings(try reader.required(top, "features", in: nil), at: "features")
        let missing = try top["missing"].map { try reader.strings($0, at: "missing") } ?? ["", "?"]
        let zero = try top["zero_is_missing"].map { try reader.strings($0, at: "zero_is_missing") } ?? []
        let dropped = try top["categorical_drop"].map { try reader.strings($0, at: "categorical_drop") } ?? []
        return try DataSchema(origin: origin, labelColumn: column, labelEncoding: encoding, features: features,
                              missingMarkers: Set(missing), zeroIsMissing: Set(zero), droppedColumns: dropped)
    }

    /// The schema as JSON, in the format `parse(json:origin:)` reads (keys sorted, indented).
    /// - Throws: `NodeDataError` `.invalidSchema` if the schema's parts contradict each other
    ///   (they are public and may have been changed since it was made; see `validate()`).
    public func jsonData() throws -> Data {
        try validate()
        var label: [String: JSONValue] = ["column": .string(labelColumn)]
        switch labelEncoding {
        case .positiveAbove(let t): label["positive_above"] = .number(t)
        case .classes(let n): label["classes"] = .number(Double(n))
        }
        let object: [String: JSONValue] = [
            "label": .object(label),
            "features": .array(features.map(JSONValue.string)),
            "missing": .array(missingMarkers.sorted().map(JSONValue.string)),
            "zero_is_missing": .array(zeroIsMissing.sorted().map(JSONValue.string)),
            "categorical_drop": .array(droppedColumns.map(JSONValue.string)),
        ]
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return try encoder.encode(JSONValue.object(object))
        } catch {
            throw NodeDataError(.invalidSchema, source: origin, "expected a schema that encodes as JSON", cause: error)
        }
    }

    /// Writes the schema as a JSON file, atomically (a temporary file renamed into place).
    /// - Parameter url: the file to write.
    /// - Throws: `NodeDataError` `.writeFailed` naming the file, or as `jsonData()`.
    public func write(to url: URL) throws {
        let data = try jsonData()
        do {
            try data.write(to: url, options: .atomic)
        } catch {
            throw NodeDataError(.writeFailed, source: url.path, "expected to write the schema file", cause: error)
        }
    }
}

/// Reads typed values out of a decoded schema, naming the JSON path of anything wrong.
private struct SchemaReader {
    let origin: String

    func fail(_ path: String?, _ message: String) -> NodeDataError {
        NodeDataError(.invalidSchema, source: origin, path: path, message)
    }

    /// An object whose keys are all in `keys`.
    func object(_ value: JSONValue, at path: String?, keys: [String]) throws -> [String: JSONValue] {
        guard case .object(let o) = value else { throw fail(path, "expected an object, found \(value.kind)") }
        for key in o.keys.sorted() where !keys.contains(key) {
            throw fail(path.map { "\($0).\(key)" } ?? key,
                       "unknown key; expected one of \(keys.map { "\"\($0)\"" }.joined(separator: ", "))")
        }
        return o
    }

    func required(_ object: [String: JSONValue], _ key: String, in path: String?) throws -> JSONValue {
        let full = path.map { "\($0).\(key)" } ?? key
        guard let v = object[key] else { throw fail(full, "expected this key, found it missing") }
        return v
    }

    func string(_ value: JSONValue, at path: String) throws -> String {
        guard case .string(let s) = value else { throw fail(path, "expected a string, found \(value.kind)") }
        return s
    }

    func number(_ value: JSONValue, at path: String) throws -> Double {
        guard case .number(let n) = value else { throw fail(path, "expected a number, found \(value.kind)") }
        return n
    }

    func integer(_ value: JSONValue, at path: String) throws -> Int {
        guard case .number(let n) = value else { throw fail(path, "expected an integer, found \(value.kind)") }
        guard n.rounded() == n, abs(n) < 1e15 else { throw fail(path, "expected an integer, found \(n)") }
        return Int(n)
    }

    func strings(_ value: JSONValue, at path: String) throws -> [String] {
        guard case .array(let a) = value else { throw fail(path, "expected an array of strings, found \(value.kind)") }
        return try a.enumerated().map { i, v in try string(v, at: "\(path)[\(i)]") }
    }
}

/// A JSON value as decoded, keeping its kind so that errors can say what was found.
enum JSONValue: Codable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() {
            self = .null
        } else if let b = try? c.decode(Bool.self) {
            self = .bool(b)
        } else if let n = try? c.decode(Double.self) {
            self = .number(n)
        } else if let s = try? c.decode(String.self) {
            self = .string(s)
        } else if let a = try? c.decode([JSONValue].self) {
            self = .array(a)
        } else {
            self = .object(try c.decode([String: JSONValue].self))
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n):
            // Whole numbers as integers (`"classes": 5`, not `5.0`).
            if n.rounded() == n, abs(n) < 1e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    /// The kind of value, for error messages: `a string`, `a number`, …
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}
