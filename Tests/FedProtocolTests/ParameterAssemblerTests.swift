import FedCrypto
import Foundation
import Testing
@testable import FedProtocol

/// Each bad chunk stream is refused with its own code, naming the stream.
@Suite struct ParameterAssemblerTests {
    let source = "update stream of task r3-hospital-a from node hospital-a"
    /// 10 floats in 16-byte chunks: chunk 0 = floats 0…3, chunk 1 = 4…7, chunk 2 = 8…9.
    let values: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]

    func assembler(count: Int = 10, chunks: Int = 3, sha256: [UInt8]? = nil) throws -> ParameterAssembler {
        try ParameterAssembler(expectedCount: count, chunkCount: chunks, maxChunkBytes: 16, sha256: sha256,
                               maximumCount: 10, source: source)
    }

    func chunks(_ values: [Float]) -> ParameterChunks { ParameterChunks(values, maxChunkBytes: 16) }

    func chunk(_ index: UInt32, bytes: Int) -> Feddata_V1_ParameterChunk {
        var chunk = Feddata_V1_ParameterChunk()
        chunk.index = index
        chunk.data = Data(repeating: 0, count: bytes)
        return chunk
    }

    @Test func reorderedChunkIsOutOfOrder() throws {
        var a = try assembler()
        expectWireError(.outOfOrder, source: source, "expected chunk 0, got chunk 1") { try a.append(chunks(values)[1]) }
    }

    @Test func duplicatedChunkIsOutOfOrder() throws {
        var a = try assembler()
        try a.append(chunks(values)[0])
        expectWireError(.outOfOrder, source: source, "expected chunk 1, got chunk 0", "duplicate") { try a.append(chunks(values)[0]) }
    }

    @Test func droppedMiddleChunkIsOutOfOrder() throws {
        var a = try assembler()
        try a.append(chunks(values)[0])
        expectWireError(.outOfOrder, source: source, "expected chunk 1, got chunk 2", "chunk 1 is missing") { try a.append(chunks(values)[2]) }
    }

    @Test func streamCutShortIsTruncated() throws {
        var a = try assembler()
        try a.append(chunks(values)[0])
        try a.append(chunks(values)[1])
        expectWireError(.truncated, source: source, "received 2 of 3 chunks (8 of 10 floats)") { _ = try a.finish() }
    }

    @Test func oversizedChunk() throws {
        var a = try assembler()
        expectWireError(.oversized, source: source, "chunk 0 has 20 bytes, more than the limit of 16") { try a.append(chunk(0, bytes: 20)) }
    }

    @Test(arguments: [7, 0])
    func chunkNotWholeFloatsIsMalformed(bytes: Int) throws {
        var a = try assembler()
        expectWireError(.malformed, source: source, "chunk 0 has \(bytes) bytes") { try a.append(chunk(0, bytes: bytes)) }
    }

    @Test func tooManyFloatsIsLengthMismatch() throws {
        var a = try assembler()
        try a.append(chunks(values)[0])
        try a.append(chunks(values)[1])
        expectWireError(.lengthMismatch, source: source, "chunk 2 carries 3 floats", "11 of the 10") { try a.append(chunk(2, bytes: 12)) }
    }

    @Test func shortChunkBeforeTheLastIsLengthMismatch() throws {
        var a = try assembler()
        expectWireError(.lengthMismatch, source: source, "chunk 0 carries 2 floats", "expected 4") { try a.append(chunk(0, bytes: 8)) }
    }

    @Test func chunkBeyondTheAnnouncedCountIsLengthMismatch() throws {
        var a = try assembler()
        for c in chunks(values) { try a.append(c) }
        expectWireError(.lengthMismatch, source: source, "chunk 3 is one more than the 3 announced") { try a.append(chunk(3, bytes: 4)) }
    }

    @Test func nanAtIndexFiveIsNamed() throws {
        var bad = values
        bad[5] = .nan
        var a = try assembler()
        try a.append(chunks(bad)[0])
        expectWireError(.nonFinite, source: source, "parameter 5 (in chunk 1) is nan") { try a.append(chunks(bad)[1]) }
    }

    @Test func infinityIsNonFinite() throws {
        var bad = values
        bad[9] = -.infinity
        var a = try assembler()
        try a.append(chunks(bad)[0])
        try a.append(chunks(bad)[1])
        expectWireError(.nonFinite, source: source, "parameter 9 (in chunk 2) is -inf") { try a.append(chunks(bad)[2]) }
    }

    @Test func wrongDigestIsRefused() throws {
        var digest = SHA256Digest.hash(floats: values)
        digest[0] ^= 1
        var a = try assembler(sha256: digest)
        for c in chunks(values) { try a.append(c) }
        expectWireError(.digestMismatch, source: source, SHA256Digest.hex(digest)) { _ = try a.finish() }
    }

    @Test func rightDigestIsAccepted() throws {
        var a = try assembler(sha256: SHA256Digest.hash(floats: values))
        for c in chunks(values) { try a.append(c) }
        #expect(a.isComplete && a.receivedCount == 10 && a.receivedChunks == 3)
        #expect(try a.finish() == values)
    }

    @Test func headerBeyondTheCallersMaximumIsRefusedBeforeAllocating() {
        expectWireError(.oversized, source: source, "announces 1000000000000 parameters, more than the 10") {
            _ = try assembler(count: 1_000_000_000_000, chunks: 1)
        }
    }

    @Test func wrongChunkCountInHeader() {
        expectWireError(.lengthMismatch, source: source, "announces 4 chunks", "take 3") { _ = try assembler(chunks: 4) }
    }

    @Test func digestOfWrongLengthIsMalformed() {
        expectWireError(.malformed, source: source, "SHA-256 has 3 bytes, expected 32") { _ = try assembler(sha256: [1, 2, 3]) }
    }

    /// After an error the assembler stays failed: the good chunk that follows is refused with
    /// the first error, and no vector comes out.
    @Test func failureIsSticky() throws {
        var a = try assembler()
        expectWireError(.outOfOrder, source: source) { try a.append(chunks(values)[1]) }
        expectWireError(.outOfOrder, source: source, "expected chunk 0, got chunk 1") { try a.append(chunks(values)[0]) }
        expectWireError(.outOfOrder, source: source) { _ = try a.finish() }
    }
}
