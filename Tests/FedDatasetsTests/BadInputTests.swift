import Foundation
import Testing
@testable import FedDatasets

/// One test per bad-input rule: the error's code, and a description naming the file and the
/// line or offset.
@Suite struct BadInputTests {
    @Test func idxTruncatedHeader() throws {
        let url = try TestFiles.write(TestFiles.word(0x803) + TestFiles.word(2) + [0, 0], name: "short-header-idx3-ubyte")
        let error = try #require(throws: DatasetError.self) { try IDXReader.readImages(at: url) }
        #expect(error.code == .truncated)
        #expect(error.offset == 10)
        #expect(error.description.contains("short-header-idx3-ubyte"))
        #expect(error.description.contains("expected 16 header bytes, got 10"))
    }

    @Test func idxTruncatedData() throws {
        let header = TestFiles.word(0x803) + TestFiles.word(2) + TestFiles.word(28) + TestFiles.word(28)
        let url = try TestFiles.write(header + [UInt8](repeating: 7, count: 1000), name: "short-data-idx3-ubyte")
        let error = try #require(throws: DatasetError.self) { try IDXReader.readImages(at: url) }
        #expect(error.code == .truncated)
        #expect(error.offset == 16)
        #expect(error.description.contains("short-data-idx3-ubyte"))
        #expect(error.description.contains("expected 1568 bytes"))
        #expect(error.description.contains("got 1000"))
        #expect(error.description.contains("offset 16"))
    }

    @Test func idxTruncatedInsideGzip() throws {
        // A real label file whose gzip stream is cut: the gzip layer reports the truncation.
        let gz = try TestFiles.bundled("mnist/t10k-labels-idx1-ubyte.gz")
        let url = try TestFiles.write(Array(gz.prefix(gz.count / 2)), name: "cut-labels.gz")
        let error = try #require(throws: DatasetError.self) { try IDXReader.readLabels(at: url) }
        #expect(error.code == .truncated)
        #expect(error.description.contains("cut-labels.gz"))
        #expect(error.offset != nil)
    }

    @Test func idxWrongMagic() throws {
        // An image file given where labels are expected.
        let url = try TestFiles.write(TestFiles.word(0x803) + TestFiles.word(0) + TestFiles.word(28) + TestFiles.word(28), name: "images-not-labels")
        let error = try #require(throws: DatasetError.self) { try IDXReader.readLabels(at: url) }
        #expect(error.code == .wrongMagic)
        #expect(error.description.contains("images-not-labels"))
        #expect(error.description.contains("expected magic 0x00000801"))
        #expect(error.description.contains("found 0x00000803"))
        #expect(error.offset == 0)
    }

    @Test func idxEmptyFile() throws {
        let url = try TestFiles.write([UInt8](), name: "empty-idx1-ubyte")
        let error = try #require(throws: DatasetError.self) { try IDXReader.readLabels(at: url) }
        #expect(error.code == .emptyFile)
        #expect(error.description.contains("empty-idx1-ubyte"))
    }

    @Test func idxTrailingBytes() throws {
        let url = try TestFiles.write(TestFiles.word(0x801) + TestFiles.word(2) + [1, 2, 3], name: "long-labels")
        let error = try #require(throws: DatasetError.self) { try IDXReader.readLabels(at: url) }
        #expect(error.code == .invalidFormat)
        #expect(error.offset == 10)
    }

    @Test func missingFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("no-such-file-\(UUID().uuidString)")
        let error = try #require(throws: DatasetError.self) { try IDXReader.readLabels(at: url) }
        #expect(error.code == .unreadableFile)
        #expect(error.description.contains(url.lastPathComponent))
    }

    @Test func corruptGzip() throws {
        var gz = try TestFiles.bundled("mnist/t10k-labels-idx1-ubyte.gz")
        for i in 20..<60 { gz[i] ^= 0x5A }  // damage the deflate data after the 10-byte header
        let url = try TestFiles.write(gz, name: "damaged.gz")
        let error = try #require(throws: DatasetError.self) { try IDXReader.readLabels(at: url) }
        #expect(error.code == .corruptCompressedData)
        #expect(error.description.contains("damaged.gz"))
        let offset = try #require(error.offset)
        #expect(offset > 0 && offset < gz.count)
    }

    @Test func gzipTrailingGarbage() throws {
        let gz = try TestFiles.bundled("mnist/t10k-labels-idx1-ubyte.gz")
        let error = try #require(throws: DatasetError.self) { try Gzip.decompress(gz + [0x41, 0x42], source: "garbage.gz") }
        #expect(error.code == .corruptCompressedData)
        #expect(error.offset == gz.count)
    }

    @Test func csvWrongColumnCount() throws {
        let url = try TestFiles.write("a,b,c\n1,2,3\n4,5\n", name: "short-row.csv")
        let schema = CSVSchema([.init("a", .numeric), .init("b", .numeric), .init("c", .numeric)])
        let error = try #require(throws: DatasetError.self) { try CSVReader.read(at: url, schema: schema) }
        #expect(error.code == .wrongColumnCount)
        #expect(error.line == 3)
        #expect(error.description.contains("short-row.csv"))
        #expect(error.description.contains("line 3"))
        #expect(error.description.contains("expected 3 columns, got 2"))
    }

    @Test func csvNonNumericValue() throws {
        let url = try TestFiles.write("id,age\nx,61\ny,sixty\n", name: "ages.csv")
        let schema = CSVSchema([.init("id", .categorical), .init("age", .numeric, allowsMissing: true)])
        let error = try #require(throws: DatasetError.self) { try CSVReader.read(at: url, schema: schema) }
        #expect(error.code == .invalidValue)
        #expect(error.line == 3)
        #expect(error.description.contains("ages.csv"))
        #expect(error.description.contains("line 3"))
        #expect(error.description.contains("'age'"))
        #expect(error.description.contains("'sixty'"))
    }

    @Test func csvMissingWhereNotAllowed() throws {
        let url = try TestFiles.write("n\n1\n?\n", name: "counts.csv")
        let error = try #require(throws: DatasetError.self) { try CSVReader.read(at: url, schema: CSVSchema([.init("n", .integer)])) }
        #expect(error.code == .invalidValue)
        #expect(error.line == 3)
    }

    @Test func csvEmptyFile() throws {
        let url = try TestFiles.write("", name: "nothing.csv")
        let error = try #require(throws: DatasetError.self) { try CSVReader.read(at: url, schema: CSVSchema([.init("a", .numeric)])) }
        #expect(error.code == .emptyFile)
        #expect(error.description.contains("nothing.csv"))
    }

    @Test func csvMissingHeaderColumn() throws {
        let url = try TestFiles.write("age,sex\n1,2\n", name: "no-chol.csv")
        let schema = CSVSchema([.init("age", .numeric), .init("chol", .numeric)])
        let error = try #require(throws: DatasetError.self) { try CSVReader.read(at: url, schema: schema) }
        #expect(error.code == .missingColumn)
        #expect(error.line == 1)
        #expect(error.description.contains("no-chol.csv"))
        #expect(error.description.contains("'chol'"))
    }

    @Test func csvUnclosedQuote() throws {
        let url = try TestFiles.write("a,b\n1,\"open\n", name: "quote.csv")
        let schema = CSVSchema([.init("a", .numeric), .init("b", .categorical)])
        let error = try #require(throws: DatasetError.self) { try CSVReader.read(at: url, schema: schema) }
        #expect(error.code == .invalidFormat)
        #expect(error.line == 2)
    }

    @Test func textEmptyFile() throws {
        let url = try TestFiles.write("", name: "empty.txt")
        let error = try #require(throws: DatasetError.self) { try TextReader.readString(at: url) }
        #expect(error.code == .emptyFile)
        #expect(error.description.contains("empty.txt"))
    }

    @Test func textInvalidUTF8() throws {
        let url = try TestFiles.write(Array("ok\nfine é\n".utf8) + [0x61, 0xC3, 0x28], name: "latin.txt")
        let error = try #require(throws: DatasetError.self) { try TextReader.readString(at: url) }
        #expect(error.code == .invalidEncoding)
        #expect(error.offset == 12)
        #expect(error.line == 3)
        #expect(error.description.contains("latin.txt"))
        #expect(error.description.contains("offset 12"))
    }

    @Test(arguments: [
        ([0xC0, 0x80] as [UInt8], 0),  // overlong NUL
        ([0x41, 0xED, 0xA0, 0x80], 1),  // surrogate
        ([0xF4, 0x90, 0x80, 0x80], 0),  // above U+10FFFF
        ([0x41, 0x42, 0xE2, 0x82], 2),  // cut sequence
        ([0xFF], 0),
    ])
    func utf8Validator(bytes: [UInt8], badOffset: Int) {
        #expect(TextReader.firstInvalidUTF8Offset(bytes) == badOffset)
    }

    @Test func utf8ValidatorAcceptsValidText() {
        #expect(TextReader.firstInvalidUTF8Offset(Array("héllo wörld — 漢字 🎭".utf8)) == nil)
    }
}
