import FedTensor
import Foundation

/// Reads and writes model parameters in the safetensors format (Hugging Face): an 8-byte
/// little-endian header length N, N bytes of JSON header, then the raw little-endian data.
/// The header maps each tensor name to `{"dtype": "F32", "shape": [...], "data_offsets": [begin, end]}`
/// (offsets relative to the data section) and may hold a `"__metadata__"` string map.
/// Files written here open with Python's `safetensors.numpy.load_file` (see `scripts/`).
public enum SafeTensors {
    /// The largest header accepted when reading (the reference implementation's limit).
    public static let maximumHeaderSize = 100_000_000

    /// Encodes parameters (as F32) with optional string metadata.
    public static func encode(_ parameters: ModelParameters, metadata: [String: String] = [:]) -> [UInt8] {
        var entries: [String] = []
        var offset = 0
        if !metadata.isEmpty {
            let pairs = metadata.keys.sorted().map { "\(jsonString($0)):\(jsonString(metadata[$0]!))" }
            entries.append("\"__metadata__\":{\(pairs.joined(separator: ","))}")
        }
        for (name, t) in zip(parameters.names, parameters.tensors) {
            let end = offset + t.count * 4
            let shape = t.shape.map(String.init).joined(separator: ",")
            entries.append("\(jsonString(name)):{\"dtype\":\"F32\",\"shape\":[\(shape)],\"data_offsets\":[\(offset),\(end)]}")
            offset = end
        }
        var header = Array("{\(entries.joined(separator: ","))}".utf8)
        while header.count % 8 != 0 { header.append(0x20) }  // pad with spaces: data stays 8-byte aligned
        var out = [UInt8]()
        out.reserveCapacity(8 + header.count + offset)
        var n = UInt64(header.count).littleEndian
        withUnsafeBytes(of: &n) { out.append(contentsOf: $0) }
        out.append(contentsOf: header)
        for t in parameters.tensors {
            t.scalars.withUnsafeBufferPointer { buf in
                #if _endian(big)
                for v in buf { var le = v.bitPattern.littleEndian; withUnsafeBytes(of: &le) { out.append(contentsOf: $0) } }
                #else
                out.append(contentsOf: UnsafeRawBufferPointer(buf))
                #endif
            }
        }
        return out
    }

    /// Decodes a safetensors buffer. Tensors come back ordered by their data offset.
    ///
    /// - Parameters:
    ///   - bytes: the whole file.
    ///   - source: a name for the buffer (a path, a peer) used in errors.
    /// - Returns: the parameters (F32; F16/BF16/F64 are converted) and the metadata.
    /// - Throws: `ModelError.malformedFile` for a short file, an oversized or non-JSON header,
    ///   an unknown dtype, offsets that overlap, leave gaps, disagree with the shape or run past
    ///   the end of the file.
    public static func decode(_ bytes: [UInt8], source: String) throws -> (parameters: ModelParameters, metadata: [String: String]) {
        func fail(_ message: String) -> ModelError { ModelError(.malformedFile, source: source, message) }
        guard bytes.count >= 8 else { throw fail("file is \(bytes.count) bytes; expected at least 8 (the header length)") }
        var n: UInt64 = 0
        for i in 0..<8 { n |= UInt64(bytes[i]) << (8 * UInt64(i)) }
        guard n >= 2, n <= UInt64(maximumHeaderSize) else { throw fail("header length \(n) at offset 0; expected 2…\(maximumHeaderSize)") }
        let headerEnd = 8 + Int(n)
        guard headerEnd <= bytes.count else { throw fail("header of \(n) bytes runs past the end of the \(bytes.count)-byte file") }
        let json: Any
        do { json = try JSONSerialization.jsonObject(with: Data(bytes[8..<headerEnd])) } catch {
            throw fail("header (bytes 8..<\(headerEnd)) is not valid JSON: \(error.localizedDescription)")
        }
        guard let object = json as? [String: Any] else { throw fail("header is not a JSON object") }
        var metadata: [String: String] = [:]
        struct Entry { var name: String; var dtype: String; var shape: [Int]; var begin: Int; var end: Int }
        var entries: [Entry] = []
        for (key, value) in object {
            if key == "__metadata__" {
                guard let m = value as? [String: Any] else { throw fail("__metadata__ is not an object of strings") }
                for (k, v) in m {
                    guard let s = v as? String else { throw fail("__metadata__[\(k)] is not a string") }
                    metadata[k] = s
                }
                continue
            }
            guard let info = value as? [String: Any],
                  let dtype = info["dtype"] as? String,
                  let shapeAny = info["shape"] as? [Any],
                  let offsetsAny = info["data_offsets"] as? [Any], offsetsAny.count == 2
            else { throw fail("tensor '\(key)': expected {dtype, shape, data_offsets: [begin, end]}") }
            let shape = try shapeAny.map { d -> Int in
                guard let i = (d as? NSNumber)?.intValue, i >= 0 else { throw fail("tensor '\(key)': shape \(shapeAny) has a non-integer or negative dimension") }
                return i
            }
            let offs = try offsetsAny.map { d -> Int in
                guard let i = (d as? NSNumber)?.intValue, i >= 0 else { throw fail("tensor '\(key)': bad data_offsets \(offsetsAny)") }
                return i
            }
            entries.append(Entry(name: key, dtype: dtype, shape: shape, begin: offs[0], end: offs[1]))
        }
        entries.sort { ($0.begin, $0.end) < ($1.begin, $1.end) }
        let dataCount = bytes.count - headerEnd
        var expectedBegin = 0
        var names: [String] = [], tensors: [Tensor] = []
        for e in entries {
            guard let width = dtypeWidth[e.dtype] else {
                throw fail("tensor '\(e.name)': dtype \(e.dtype); expected one of F32, F16, BF16, F64")
            }
            guard e.begin == expectedBegin else {
                throw fail("tensor '\(e.name)': data starts at \(e.begin); expected \(expectedBegin) (offsets must be contiguous, without gaps or overlaps)")
            }
            let count = e.shape.reduce(1, *)
            guard e.end - e.begin == count * width else {
                throw fail("tensor '\(e.name)': \(e.end - e.begin) data bytes for shape \(e.shape) of \(e.dtype); expected \(count * width)")
            }
            guard e.end <= dataCount else {
                throw fail("tensor '\(e.name)': data ends at \(e.end), past the \(dataCount) data bytes in the file (truncated?)")
            }
            let base = headerEnd + e.begin
            let scalars = bytes.withUnsafeBytes { raw in
                (0..<count).map { i in convert(raw, at: base + i * width, dtype: e.dtype) }
            }
            names.append(e.name)
            tensors.append(Tensor(shape: e.shape, scalars: scalars))
            expectedBegin = e.end
        }
        guard expectedBegin == dataCount else {
            throw fail("\(dataCount - expectedBegin) trailing bytes after the last tensor; expected the data to end at \(expectedBegin)")
        }
        return (ModelParameters(names: names, tensors: tensors), metadata)
    }

    /// Writes parameters to `url` atomically: a temporary file in the same folder is written,
    /// flushed and renamed, so a crash never leaves a half-written model behind.
    /// - Throws: `ModelError.io` naming the path.
    public static func save(_ parameters: ModelParameters, to url: URL, metadata: [String: String] = [:]) throws {
        let data = Data(encode(parameters, metadata: metadata))
        do { try data.write(to: url, options: .atomic) } catch {
            throw ModelError(.io, source: url.path, "could not write the model: \(error.localizedDescription)")
        }
    }

    /// Reads parameters from a safetensors file.
    /// - Throws: `ModelError.io` if unreadable, `ModelError.malformedFile` if malformed.
    public static func load(from url: URL) throws -> (parameters: ModelParameters, metadata: [String: String]) {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw ModelError(.io, source: url.path, "could not read the model: \(error.localizedDescription)")
        }
        return try decode([UInt8](data), source: url.path)
    }

    private static let dtypeWidth: [String: Int] = ["F32": 4, "F16": 2, "BF16": 2, "F64": 8]

    private static func convert(_ raw: UnsafeRawBufferPointer, at offset: Int, dtype: String) -> Float {
        switch dtype {
        case "F32":
            return Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
        case "F64":
            return Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))))
        case "BF16":
            let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            return Float(bitPattern: UInt32(bits) << 16)
        default:  // F16
            let bits = UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt16.self))
            return Float(halfBits: bits)
        }
    }

    private static func jsonString(_ s: String) -> String {
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

extension Float {
    /// Converts IEEE 754 half-precision bits (portable; no `Float16` needed on x86-64 Linux).
    init(halfBits h: UInt16) {
        let sign = UInt32(h >> 15) << 31
        let exp = Int((h >> 10) & 0x1F)
        let mant = UInt32(h & 0x3FF)
        if exp == 0 {
            let v = Float(mant) * Float(sign: .plus, exponent: -24, significand: 1)
            self = sign != 0 ? -v : v
        } else if exp == 31 {
            self = Float(bitPattern: sign | 0x7F80_0000 | (mant << 13))
        } else {
            self = Float(bitPattern: sign | (UInt32(exp - 15 + 127) << 23) | (mant << 13))
        }
    }
}
