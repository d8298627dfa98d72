import Foundation
import Testing
@testable import FedWorkloads

/// The TOML subset of `ConfigFile`: every value kind, tables, arrays over lines, the typed
/// getters, and one case per error rule with its line (and column).
@Suite struct ConfigFileTests {
    @Test func everyValueKind() throws {
        let text = #"""
        # top-level keys
        name = "fed \"data\"\tv1\n\\ \u00e9 \U0001F600"
        path = 'C:\temp\no-escapes "here"'
        empty = ""
        answer = 42
        plus = +17
        minus = -5
        zero = 0
        big = 1_000_000
        half = 0.5
        small = -3e-4
        avogadro = 6.02E23
        exp = 1e5
        grouped = 1_000.25
        yes = true
        no = false
        numbers = [1, 2, 3]
        mixed = ["a", 1, 2.5, false, [1, 'b'], []]
        nothing = []
        """#
        let c = try ConfigFile.parse(text: text, source: "kinds.toml")
        #expect(try c.string("name") == "fed \"data\"\tv1\n\\ é 😀")
        #expect(try c.string("path") == #"C:\temp\no-escapes "here""#)
        #expect(try c.string("empty") == "")
        #expect(try c.int("answer") == 42)
        #expect(try c.int("plus") == 17)
        #expect(try c.int("minus") == -5)
        #expect(try c.int("zero") == 0)
        #expect(try c.int("big") == 1_000_000)
        #expect(try c.double("half") == 0.5)
        #expect(try c.double("small") == -3e-4)
        #expect(try c.double("avogadro") == 6.02e23)
        #expect(c.value("exp") == .float(100_000))
        #expect(try c.double("grouped") == 1000.25)
        #expect(try c.double("answer") == 42)  // an integer reads as a number too
        #expect(try c.bool("yes") == true)
        #expect(try c.bool("no") == false)
        #expect(c.value("numbers") == .array([.integer(1), .integer(2), .integer(3)]))
        #expect(c.value("mixed") == .array([.string("a"), .integer(1), .float(2.5), .boolean(false),
                                            .array([.integer(1), .string("b")]), .array([])]))
        #expect(try c.strings("nothing") == [])
        #expect(c.keys == ["name", "path", "empty", "answer", "plus", "minus", "zero", "big", "half", "small", "avogadro",
                           "exp", "grouped", "yes", "no", "numbers", "mixed", "nothing"])
        #expect(c.entry("answer") == ConfigFile.Entry(value: .integer(42), line: 5, column: 1))
        // Absent keys are nil, whatever the getter.
        #expect(try c.int("missing") == nil)
        #expect(try c.string("server.listen") == nil)
        #expect(try c.strings("missing") == nil)
    }

    @Test func nestedTablesAndArraysOverLines() throws {
        let text = """
        rounds = 20   # trailing comment

        [server]
        listen = "0.0.0.0:7070"
        allowed = [
          "hospital-a",   # one per line
          # a comment line inside the array
          "hospital-b",
        ]

        [server.tls]
        enabled = true
          indented_key = 'x'

        [a.b.c]
        deep = 1
        [a]
        shallow = 2
        """
        let c = try ConfigFile.parse(text: text, source: "coordinator.toml")
        #expect(try c.int("rounds") == 20)
        #expect(try c.string("server.listen") == "0.0.0.0:7070")
        #expect(try c.strings("server.allowed") == ["hospital-a", "hospital-b"])
        #expect(try c.bool("server.tls.enabled") == true)
        #expect(try c.string("server.tls.indented_key") == "x")
        #expect(try c.int("a.b.c.deep") == 1)
        #expect(try c.int("a.shallow") == 2)
        #expect(c.tables == ["server", "server.tls", "a.b.c", "a"])
        #expect(c.keys == ["rounds", "server.listen", "server.allowed", "server.tls.enabled", "server.tls.indented_key",
                           "a.b.c.deep", "a.shallow"])
        #expect(c.entry("server.tls.indented_key")?.line == 13)
        #expect(c.entry("server.tls.indented_key")?.column == 3)
        #expect(c.unknownKeys(allowed: ["rounds", "server.listen", "server.allowed", "server.tls.enabled"])
                == ["server.tls.indented_key", "a.b.c.deep", "a.shallow"])
        #expect(c.unknownKeys(allowed: Set(c.keys)).isEmpty)
    }

    @Test func crlfLineEndingsAndEmptyText() throws {
        let c = try ConfigFile.parse(text: "a = 1\r\n[t]\r\nb = 'x'\r\n", source: "crlf.toml")
        #expect(try c.int("a") == 1)
        #expect(try c.string("t.b") == "x")
        #expect(c.entry("t.b")?.line == 3)
        let empty = try ConfigFile.parse(text: "# nothing but a comment\n\n", source: "empty.toml")
        #expect(empty.keys.isEmpty)
    }

    @Test func wrongTypeNamesFileKeyAndLine() throws {
        let text = """
        # coordinator
        [server]
        listen = 7070
        rounds = "20"
        strategies = ["fedavg", 3]
        rate = true
        """
        let c = try ConfigFile.parse(text: text, source: "coordinator.toml")
        let e = try #require(throws: ConfigFileError.self) { try c.int("server.rounds") }
        #expect(e.code == .wrongType)
        #expect(e.description == "coordinator.toml: 'server.rounds' (line 4): expected an integer, found a string")
        let listen = try #require(throws: ConfigFileError.self) { try c.string("server.listen") }
        #expect(listen.description == "coordinator.toml: 'server.listen' (line 3): expected a string, found an integer")
        let list = try #require(throws: ConfigFileError.self) { try c.strings("server.strategies") }
        #expect(list.description == "coordinator.toml: 'server.strategies' (line 5): expected an array of strings, found an integer at position 1")
        let notList = try #require(throws: ConfigFileError.self) { try c.strings("server.listen") }
        #expect(notList.description.hasSuffix("expected an array of strings, found an integer"))
        let rate = try #require(throws: ConfigFileError.self) { try c.double("server.rate") }
        #expect(rate.description == "coordinator.toml: 'server.rate' (line 6): expected a number, found a boolean")
        let flag = try #require(throws: ConfigFileError.self) { try c.bool("server.listen") }
        #expect(flag.description.hasSuffix("expected a boolean, found an integer"))
    }

    /// One row per error rule: the text, the expected code, line and column, and a fragment
    /// of the message.
    static let errorCases: [(text: String, code: ConfigFileError.Code, line: Int, column: Int, fragment: String)] = [
        ("a = 1\nb = 2\na = 3", .duplicateKey, 3, 1, "duplicate key 'a': first defined on line 1"),
        ("[s]\nx = 1\n[s]\ny = 2", .duplicateKey, 3, 1, "table [s] is defined twice: first on line 1"),
        ("[s]\nx = 1\n\n[s.x]", .duplicateKey, 4, 1, "'s.x' is already a value (line 2)"),
        ("a = 1\n[a.b]", .duplicateKey, 2, 1, "'a' is already a value (line 1)"),
        ("[a.b]\nx = 1\n[a]\nb = 2", .duplicateKey, 4, 1, "key 'a.b' is already a table"),
        ("x = 1\nname = \"abc", .invalidValue, 2, 8, "expected a closing \" before the end of the file (unterminated string)"),
        ("name = \"abc\nnext = 1", .invalidValue, 1, 8, "expected a closing \" before the end of the line (unterminated string)"),
        ("\n\nname = 'abc\n", .invalidValue, 3, 8, "expected a closing ' before the end of the line"),
        ("s = \"a\\qb\"", .invalidValue, 1, 7, "found '\\q'"),
        ("s = \"\\u12G4\"", .invalidValue, 1, 6, "expected 4 hexadecimal digits after '\\u', found 'G'"),
        ("s = \"\\uD800\"", .invalidValue, 1, 6, "a surrogate"),
        ("s = \"tab\u{01}\"", .invalidValue, 1, 9, "control character U+0001"),
        ("rounds 5", .invalidSyntax, 1, 8, "expected '=' after the key 'rounds', found '5'"),
        ("x = abc", .invalidValue, 1, 5, "found 'abc' (strings need quotes)"),
        ("x = 1.2.3", .invalidValue, 1, 5, "found '1.2.3'"),
        ("x = .5", .invalidValue, 1, 5, "found '.5'"),
        ("x = 5.", .invalidValue, 1, 5, "found '5.'"),
        ("x = 01", .invalidValue, 1, 5, "without leading zeros, found '01'"),
        ("x = 1__0", .invalidValue, 1, 5, "found '1__0'"),
        ("x = _1", .invalidValue, 1, 5, "found '_1'"),
        ("x = 0x1F", .invalidValue, 1, 5, "found '0x1F'"),
        ("x = 99999999999999999999", .invalidValue, 1, 5, "expected an integer in"),
        ("x = 1e999", .invalidValue, 1, 5, "expected a finite float, found '1e999'"),
        ("x = 1 2", .invalidSyntax, 1, 7, "expected the end of the line after the value of 'x', found '2'"),
        ("[t] x = 1", .invalidSyntax, 1, 5, "expected the end of the line after the table header [t], found 'x'"),
        ("x = [1, 2,\n  3\n", .invalidValue, 3, 1, "expected ']' to close the array opened on line 1, column 5, found the end of the file"),
        ("x = [1 2]", .invalidSyntax, 1, 8, "expected ',' or ']' after an array element, found '2'"),
        ("x = [,]", .invalidValue, 1, 6, "expected a value or ']' in the array, found ','"),
        ("x = [1,,2]", .invalidValue, 1, 8, "found ','"),
        ("x =", .invalidValue, 1, 4, "expected a value (a string, integer, float, boolean or array), found the end of the file"),
        ("x = \ny = 1", .invalidValue, 1, 5, "found the end of the line"),
        ("x = # comment", .invalidValue, 1, 5, "found '#'"),
        ("x = {a = 1}", .unsupported, 1, 5, "inline tables"),
        ("[[servers]]", .unsupported, 1, 1, "arrays of tables"),
        ("a.b = 1", .unsupported, 1, 2, "dotted keys are not supported"),
        ("\"a\" = 1", .unsupported, 1, 1, "quoted keys are not supported"),
        ("x = \"\"\"abc\"\"\"", .unsupported, 1, 5, "multi-line strings"),
        ("x = '''abc'''", .unsupported, 1, 5, "multi-line literal strings"),
        ("x = 1979-05-27", .unsupported, 1, 5, "dates and times are not supported"),
        ("x = 07:32:00", .unsupported, 1, 5, "dates and times are not supported"),
        ("[a", .invalidSyntax, 1, 3, "expected '.' or ']' in the table header, found the end of the file"),
        ("[]", .invalidSyntax, 1, 2, "expected a bare key (letters, digits, _ or -) in a table header, found ']'"),
        ("[a.]", .invalidSyntax, 1, 4, "in a table header, found ']'"),
        ("= 5", .invalidSyntax, 1, 1, "in a key = value line, found '='"),
        ("a = 1\rb = 2", .invalidSyntax, 1, 6, "lone carriage return"),
    ]

    @Test(arguments: errorCases)
    func errorNamesFileLineAndColumn(_ row: (text: String, code: ConfigFileError.Code, line: Int, column: Int, fragment: String)) {
        do {
            _ = try ConfigFile.parse(text: row.text, source: "bad.toml")
            Issue.record("parsed \(row.text.debugDescription)")
        } catch let e as ConfigFileError {
            #expect(e.code == row.code, "\(e)")
            #expect(e.line == row.line, "\(e)")
            #expect(e.column == row.column, "\(e)")
            #expect(e.description.hasPrefix("bad.toml, line \(row.line), column \(row.column): "), "\(e)")
            #expect(e.description.contains(row.fragment), "\(e)")
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func loadNamesTheFile() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("ConfigFileTests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }

        let good = folder.appendingPathComponent("node.toml")
        try Data("\u{FEFF}[node]\ndata = './heart-hungary.csv'\n".utf8).write(to: good)
        let c = try ConfigFile.load(from: good)
        #expect(try c.string("node.data") == "./heart-hungary.csv")
        #expect(c.source == good.path)

        let bad = folder.appendingPathComponent("coordinator.toml")
        try Data("[server]\nrounds = 3\nrounds = 4\n".utf8).write(to: bad)
        let e = try #require(throws: ConfigFileError.self) { try ConfigFile.load(from: bad) }
        #expect(e.description.hasPrefix("\(bad.path), line 3, column 1: duplicate key 'server.rounds'"))

        let binary = folder.appendingPathComponent("binary.toml")
        try Data([0x61, 0x20, 0x3D, 0x20, 0xFF]).write(to: binary)
        let encoding = try #require(throws: ConfigFileError.self) { try ConfigFile.load(from: binary) }
        #expect(encoding.code == .invalidEncoding)
        #expect(encoding.description.contains("binary.toml"))

        let missing = try #require(throws: ConfigFileError.self) { try ConfigFile.load(from: folder.appendingPathComponent("absent.toml")) }
        #expect(missing.code == .unreadableFile)
        #expect(missing.description.contains("absent.toml"))
    }
}
