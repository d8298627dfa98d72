import Foundation
import Testing
@testable import FedDatasets

@Suite struct GzipTests {
    @Test func plainInputPassesThrough() throws {
        let plain: [UInt8] = Array("not compressed".utf8)
        #expect(try Gzip.decompressIfNeeded(plain, source: "plain") == plain)
    }

    @Test func multiMemberStreamsConcatenate() throws {
        let a = try TestFiles.bundled("mnist/t10k-labels-idx1-ubyte.gz")
        let b = try TestFiles.bundled("femnist/test-labels-idx1-ubyte.gz")
        let da = try Gzip.decompress(a, source: "a"), db = try Gzip.decompress(b, source: "b")
        #expect(da.count == 10_008)
        #expect(db.count == 1_693)
        #expect(try Gzip.decompress(a + b, source: "a+b") == da + db)
        #expect(try Gzip.decompress(a + [0, 0, 0], source: "padded") == da)
    }

    @Test func idxReadsPlainAndGzippedAlike() throws {
        let gz = try TestFiles.bundled("mnist/t10k-labels-idx1-ubyte.gz")
        let plain = try Gzip.decompress(gz, source: "t10k")
        let url = try TestFiles.write(plain, name: "t10k-labels-idx1-ubyte")
        let fromPlain = try IDXReader.readLabels(at: url)
        let fromGzip = try IDXReader.readLabels(at: FedBundledDataURL.file("mnist/t10k-labels-idx1-ubyte.gz"))
        #expect(fromPlain == fromGzip)
        #expect(fromPlain.dimensions == [10_000])
        #expect(fromPlain.bytes.prefix(3) == [7, 2, 1])
    }
}

@Suite struct CSVReaderTests {
    @Test func typedColumnsQuotesAndMissingValues() throws {
        let text = "\u{FEFF}name,score,n,note\r\n\"Smith, J\",1.5,3,\"said \"\"hi\"\"\"\r\n\r\nLee,?,,\"two\nlines\"\r\nKim, 2 ,4,plain\r\n"
        let schema = CSVSchema([
            .init("n", .integer, allowsMissing: true), .init("name", .categorical),
            .init("score", .numeric, allowsMissing: true), .init("note", .categorical),
        ])
        let table = try CSVReader.parse(Array(text.utf8), source: "t.csv", schema: schema)
        #expect(table.rowCount == 3)
        #expect(table.lineNumbers == [2, 4, 6])
        #expect(table.strings("name") == ["Smith, J", "Lee", "Kim"])
        #expect(table.integers("n") == [3, nil, 4])
        let score = table.numeric("score")
        #expect(score[0] == 1.5 && score[1].isNaN && score[2] == 2)
        #expect(table.strings("note") == ["said \"hi\"", "two\nlines", "plain"])
    }

    @Test func headerlessFileIsPositional() throws {
        let schema = CSVSchema([.init("x", .numeric), .init("label", .integer)], hasHeader: false)
        let table = try CSVReader.parse(Array("0.5,1\n-2,0".utf8), source: "p.csv", schema: schema)
        #expect(table.numeric("x") == [0.5, -2])
        #expect(table.integers("label") == [1, 0])
    }

    @Test func integerColumnRejectsFractions() throws {
        let error = try #require(throws: DatasetError.self) {
            try CSVReader.parse(Array("k\n1.5\n".utf8), source: "k.csv", schema: CSVSchema([.init("k", .integer)]))
        }
        #expect(error.code == .invalidValue)
        #expect(error.line == 2)
    }
}

@Suite struct TextReaderTests {
    @Test func readsGzippedText() throws {
        let url = FedBundledDataURL.file("shakespeare/shakespeare_complete_works.txt.gz")
        let bytes = try TextReader.readBytes(at: url)
        #expect(bytes.count == 5_458_199)
        #expect(bytes.filter { $0 == 0x0A }.count == 124_456)
    }
}
