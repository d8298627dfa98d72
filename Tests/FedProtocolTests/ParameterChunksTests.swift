import FedCrypto
import Foundation
import Testing
@testable import FedProtocol

@Suite struct ParameterChunksTests {
    let source = "parameters of task t1"

    /// Assembles `chunks` of a `count`-float vector (no digest).
    func assemble(_ chunks: some Sequence<Feddata_V1_ParameterChunk>, count: Int, maxChunkBytes: Int,
                  sha256: [UInt8]? = nil) throws -> [Float] {
        var assembler = try ParameterAssembler(
            expectedCount: count, chunkCount: ParameterChunks.chunkCount(parameterCount: count, maxChunkBytes: maxChunkBytes),
            maxChunkBytes: maxChunkBytes, sha256: sha256, maximumCount: count, source: source)
        for chunk in chunks { try assembler.append(chunk) }
        return try assembler.finish()
    }

    /// 10 floats in 16-byte chunks: 3 chunks of 4, 4 and 2 floats; 1.0 is 00 00 80 3F.
    @Test func tenFloatsInSixteenByteChunks() throws {
        let values: [Float] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
        let chunks = ParameterChunks(values, maxChunkBytes: 16)
        #expect(chunks.count == 3)
        #expect(chunks.map(\.index) == [0, 1, 2])
        #expect(chunks.map(\.data.count) == [16, 16, 8])
        #expect(Array(chunks[0].data.prefix(4)) == [0x00, 0x00, 0x80, 0x3F])  // 1.0
        #expect(Array(chunks[2].data.suffix(4)) == [0x00, 0x00, 0x20, 0x41])  // 10.0
        #expect(ParameterChunks.floatRange(ofChunk: 2, parameterCount: 10, maxChunkBytes: 16) == 8..<10)
        #expect(try assemble(chunks, count: 10, maxChunkBytes: 16, sha256: SHA256Digest.hash(floats: values)) == values)
    }

    @Test func zeroFloatsMakeZeroChunks() throws {
        #expect(ParameterChunks([], maxChunkBytes: 16).isEmpty)
        #expect(ParameterChunks.chunkCount(parameterCount: 0) == 0)
        #expect(try assemble([], count: 0, maxChunkBytes: 16, sha256: SHA256Digest.hash(floats: [])) == [])
    }

    @Test func exactMultipleHasNoShortChunk() throws {
        let values: [Float] = [0.5, -0.5, 1e-30, -1e30, 0, -0.0, 3, 4]
        let chunks = ParameterChunks(values, maxChunkBytes: 16)
        #expect(chunks.map(\.data.count) == [16, 16])
        let back = try assemble(chunks, count: 8, maxChunkBytes: 16)
        #expect(back.map(\.bitPattern) == values.map(\.bitPattern))  // -0.0 kept
    }

    /// A limit that is not a multiple of 4 rounds down to whole floats: 10 bytes → 2 floats.
    @Test func limitRoundsDownToWholeFloats() throws {
        let values: [Float] = [1, 2, 3, 4, 5]
        let chunks = ParameterChunks(values, maxChunkBytes: 10)
        #expect(chunks.map(\.data.count) == [8, 8, 4])
        #expect(try assemble(chunks, count: 5, maxChunkBytes: 10) == values)
    }

    @Test(arguments: [(0, 0), (1, 1), (262_144, 1), (262_145, 2), (50_000_000, 191)])
    func chunkCountsWithOneMiBChunks(parameters: Int, chunks: Int) {
        #expect(ParameterChunks.chunkCount(parameterCount: parameters) == chunks)
    }

    /// 5M floats (20 MB, 20 chunks of 1 MiB) through chunk and assemble with its digest. (The
    /// 200 MB case, 50M floats in 191 chunks, takes over 2 s in a debug build; its chunk count
    /// is checked above, and it runs through the same code.)
    @Test func fiveMillionFloatsRoundTrip() throws {
        let count = 5_000_000
        var values = [Float](repeating: 0.25, count: count)
        for i in stride(from: 0, to: count, by: 997) { values[i] = Float(i) }  // every chunk differs
        let chunks = ParameterChunks(values)
        #expect(chunks.count == 20)
        #expect(try assemble(chunks, count: count, maxChunkBytes: WireProtocol.maxChunkBytes,
                             sha256: SHA256Digest.hash(floats: values)) == values)
    }

    /// The memcpy paths and their one-float-at-a-time twins agree, bit for bit, on ordinary,
    /// negative-zero, subnormal, infinite and NaN-payload values.
    @Test func fastPathsMatchNaiveTwins() {
        let bits: [UInt32] = [0x3F80_0000, 0x8000_0000, 0x0000_0001, 0x7F80_0000, 0xFF80_0000, 0x7FC0_1234, 0x1234_5678, 0xDEAD_BEEF]
        let values = bits.map(Float.init(bitPattern:))
        for range in [0..<8, 0..<0, 3..<7, 7..<8] {
            let fast = LittleEndianFloats.bytes(of: values, range: range)
            #expect(fast == LittleEndianFloats.naiveBytes(of: values, range: range))
            var viaFast = [Float](repeating: 0, count: 9), viaNaive = [Float](repeating: 0, count: 9)
            fast.withUnsafeBytes { src in
                viaFast.withUnsafeMutableBufferPointer { LittleEndianFloats.copy(src, into: $0, at: 1) }
                viaNaive.withUnsafeMutableBufferPointer { LittleEndianFloats.naiveCopy(src, into: $0, at: 1) }
            }
            #expect(viaFast.map(\.bitPattern) == viaNaive.map(\.bitPattern))
            #expect(Array(viaFast[1..<(1 + range.count)]).map(\.bitPattern) == Array(bits[range]))
        }
        #expect(Array(LittleEndianFloats.bytes(of: values, range: 7..<8)) == [0xEF, 0xBE, 0xAD, 0xDE])
    }
}
