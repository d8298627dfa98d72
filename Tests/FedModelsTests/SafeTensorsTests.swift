import FedTensor
import Foundation
import Testing
@testable import FedModels

@Suite struct SafeTensorsTests {
    func sample() -> ModelParameters {
        ModelParameters(
            names: ["fc1.weight", "fc1.bias", "scalar"],
            tensors: [Tensor(shape: [2, 3], scalars: [1, -2, 3.5, 0, 1e-7, -0]),
                      Tensor(shape: [3], scalars: [0.25, .greatestFiniteMagnitude, -1]),
                      Tensor(shape: [], scalars: [42])])
    }

    @Test func roundTripKeepsNamesShapesValuesAndMetadata() throws {
        let p = sample()
        let bytes = SafeTensors.encode(p, metadata: ["format": "pt", "model": "2nn"])
        let (q, meta) = try SafeTensors.decode(bytes, source: "memory")
        #expect(q == p)
        #expect(meta == ["format": "pt", "model": "2nn"])
    }

    @Test func layoutFollowsTheSpecification() throws {
        let p = ModelParameters(names: ["a"], tensors: [Tensor(shape: [2], scalars: [1, 2])])
        let bytes = SafeTensors.encode(p)
        var n = 0
        for i in 0..<8 { n |= Int(bytes[i]) << (8 * i) }
        #expect(n % 8 == 0)
        let header = String(decoding: bytes[8..<(8 + n)], as: UTF8.self).trimmingCharacters(in: .whitespaces)
        #expect(header == #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#)
        #expect(bytes.count == 8 + n + 8)
        // 1.0f little-endian is 00 00 80 3F.
        #expect(Array(bytes[(8 + n)..<(12 + n)]) == [0x00, 0x00, 0x80, 0x3F])
    }

    @Test func readsHalfAndBFloat16() throws {
        // A hand-built file: "h" F16 [2] = [1.0, -2.0]; "b" BF16 [1] = [1.0].
        let header = #"{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[1],"data_offsets":[4,6]}}"#
        var bytes = [UInt8](repeating: 0, count: 8)
        let h = Array(header.utf8)
        bytes[0] = UInt8(h.count)
        bytes += h + [0x00, 0x3C, 0x00, 0xC0, 0x80, 0x3F]
        let (p, _) = try SafeTensors.decode(bytes, source: "hand-built")
        #expect(p["h"] == Tensor(shape: [2], scalars: [1, -2]))
        #expect(p["b"] == Tensor(shape: [1], scalars: [1]))
    }

    /// A way to damage a good file, and a phrase the error must contain.
    enum Corruption: String, CaseIterable, Sendable {
        case empty, truncatedData, hugeHeaderLength, headerNotJSON, trailingBytes

        func apply(_ b: [UInt8]) -> [UInt8] {
            var b = b
            switch self {
            case .empty: return []
            case .truncatedData: return Array(b.dropLast(3))
            case .hugeHeaderLength: b[7] = 0x7F
            case .headerNotJSON: b[8] = UInt8(ascii: "x")
            case .trailingBytes: b += [1, 2, 3, 4]
            }
            return b
        }

        var expectedPhrase: String {
            switch self {
            case .empty: return "at least 8"
            case .truncatedData: return "past the"
            case .hugeHeaderLength: return "header length"
            case .headerNotJSON: return "not valid JSON"
            case .trailingBytes: return "trailing bytes"
            }
        }
    }

    @Test(arguments: Corruption.allCases)
    func rejectsCorruptFilesNamingTheSource(_ c: Corruption) {
        let bad = c.apply(SafeTensors.encode(sample()))
        do {
            _ = try SafeTensors.decode(bad, source: "bad.safetensors")
            Issue.record("\(c): decoded a corrupt file")
        } catch let e as ModelError {
            #expect(e.code == .malformedFile)
            #expect(e.description.contains("bad.safetensors"))
            #expect(e.description.contains(c.expectedPhrase), "\(c): \(e)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func rejectsUnknownDtypeAndOverlappingOffsets() {
        func file(_ header: String, data: Int) -> [UInt8] {
            let h = Array(header.utf8)
            var b = [UInt8](repeating: 0, count: 8)
            b[0] = UInt8(h.count)
            return b + h + [UInt8](repeating: 0, count: data)
        }
        let unknown = file(#"{"a":{"dtype":"I7","shape":[1],"data_offsets":[0,4]}}"#, data: 4)
        #expect(throws: ModelError.self) { try SafeTensors.decode(unknown, source: "x") }
        let overlap = file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#, data: 8)
        #expect(throws: ModelError.self) { try SafeTensors.decode(overlap, source: "x") }
        let wrongSize = file(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, data: 8)
        #expect(throws: ModelError.self) { try SafeTensors.decode(wrongSize, source: "x") }
    }

    @Test func savesAtomicallyAndLoads() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("feddata-st-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = dir.appendingPathComponent("model.safetensors")
        try SafeTensors.save(sample(), to: url)
        #expect(try SafeTensors.load(from: url).parameters == sample())
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["model.safetensors"])
        #expect(throws: ModelError.self) { try SafeTensors.load(from: dir.appendingPathComponent("missing.safetensors")) }
    }
}
