import SwiftProtobuf

/// Decoding wire bytes and wire numbers into checked values.
public enum WireDecoding {
    /// Decodes a protobuf message from its binary form.
    /// - Parameters:
    ///   - type: the message type expected, e.g. `Feddata_V1_UpdateMessage.self`.
    ///   - bytes: the serialized message (`[UInt8]`, `Data`…).
    ///   - source: where the bytes came from, named in the error.
    /// - Returns: the message.
    /// - Throws: `WireError.malformed` naming the message type, with SwiftProtobuf's error as
    ///   the cause.
    public static func decode<M: SwiftProtobuf.Message, Bytes: SwiftProtobufContiguousBytes>(
        _ type: M.Type, from bytes: Bytes, source: String
    ) throws -> M {
        do {
            return try M(serializedBytes: bytes)
        } catch {
            throw WireError(.malformed, source: source,
                            "\(bytes.count) bytes are not a valid \(M.protoMessageName) protobuf message", cause: error)
        }
    }

    /// A wire count or number as an `Int`, checked against a lower bound.
    /// - Throws: `WireError.invalidField` naming the field when the value is below `minimum`
    ///   or does not fit an `Int`.
    static func int(_ value: UInt64, field: String, minimum: Int = 0, source: String) throws -> Int {
        guard let int = Int(exactly: value), int >= minimum else {
            throw WireError(.invalidField, source: source, "\(field): expected at least \(minimum) and at most \(Int.max), got \(value)")
        }
        return int
    }

    /// The numbers of a wire map, checked finite.
    /// - Throws: `WireError.nonFinite` naming the field and the first non-finite key.
    static func finite(_ numbers: [String: Double], field: String, source: String) throws -> [String: Double] {
        for key in numbers.keys.sorted() where !numbers[key]!.isFinite {
            throw WireError(.nonFinite, source: source, "\(field)[\"\(key)\"] is \(numbers[key]!); every value must be finite")
        }
        return numbers
    }

    /// A wire SHA-256 field: nil when empty (none announced), else its bytes (length checked
    /// by `ParameterAssembler`).
    static func digest(_ bytes: some Collection<UInt8>) -> [UInt8]? {
        bytes.isEmpty ? nil : Array(bytes)
    }
}
