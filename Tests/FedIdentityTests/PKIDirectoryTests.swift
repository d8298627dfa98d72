import Foundation
import Testing
import X509

@testable import FedIdentity

@Suite struct PKIDirectoryTests {
    @Test func initCreatesTheDirectoryAndWritesTheCA() throws {
        try withTemporaryDirectory { dir in
            let pki = PKIDirectory(path: dir + "/nested/pki")
            let ca = try pki.initialize(federation: "acme")
            #expect(FileManager.default.fileExists(atPath: dir + "/nested/pki/ca.pem"))
            #expect(FileManager.default.fileExists(atPath: dir + "/nested/pki/ca-key.pem"))
            let loaded = try pki.loadCA()
            #expect(loaded.certificate == ca.certificate)
            #expect(loaded.privateKey == ca.privateKey)
            #expect(loaded.federation == "acme")
            #expect(try permissions(pki.path) == 0o700)
            #expect(try hiddenFiles(in: pki.path).isEmpty)
        }
    }

    @Test func initTwiceIsRefusedUnlessForced() throws {
        try withTemporaryDirectory { dir in
            let pki = PKIDirectory(path: dir)
            let first = try pki.initialize()
            let error = try #require(identityError { try pki.initialize() })
            #expect(error.code == .alreadyExists)
            #expect(error.source == dir + "/ca.pem")
            #expect(error.message.contains("already holds a federation CA"))
            #expect(error.message.contains("--force"))
            #expect(try pki.loadCA().certificate == first.certificate)
            let second = try pki.initialize(force: true)
            #expect(second.certificate != first.certificate)
            #expect(try pki.loadCA().certificate == second.certificate)
            #expect(try hiddenFiles(in: dir).isEmpty)
        }
    }

    @Test func initRefusesALoneCAKeyToo() throws {
        try withTemporaryDirectory { dir in
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try "x".write(toFile: dir + "/ca-key.pem", atomically: false, encoding: .utf8)
            let error = try #require(identityError { try PKIDirectory(path: dir).initialize() })
            #expect(error.code == .alreadyExists)
            #expect(error.source == dir + "/ca-key.pem")
        }
    }

    @Test func keysAre0600AndCertificates0644() throws {
        try withTemporaryDirectory { dir in
            let pki = PKIDirectory(path: dir)
            let ca = try pki.initialize()
            try pki.save(ca.issueNode(name: "hospital-a"))
            #expect(try permissions(dir + "/ca-key.pem") == 0o600)
            #expect(try permissions(dir + "/hospital-a-key.pem") == 0o600)
            #expect(try permissions(dir + "/ca.pem") == 0o644)
            #expect(try permissions(dir + "/hospital-a.pem") == 0o644)
        }
    }

    @Test func issuedCredentialsRoundTripAndVerify() throws {
        try withTemporaryDirectory { dir in
            let pki = PKIDirectory(path: dir)
            let ca = try pki.initialize(federation: "acme")
            let issued = try ca.issueNode(name: "hospital-a")
            try pki.save(issued)
            try pki.save(ca.issueCoordinator())
            let loaded = try pki.loadCredentials(name: "hospital-a")
            #expect(loaded.certificate == issued.certificate)
            #expect(loaded.privateKey == issued.privateKey)
            #expect(try pki.loadCA().verify(loaded.certificate).name == "hospital-a")
            #expect(try pki.nodeNames() == ["coordinator", "hospital-a"])
        }
    }

    @Test func issueWithoutACANamesCaPem() throws {
        try withTemporaryDirectory { dir in
            let pki = PKIDirectory(path: dir)
            let error = try #require(identityError { _ = try pki.loadCA() })
            #expect(error.code == .missingFile)
            #expect(error.source == dir + "/ca.pem")
            #expect(error.message.contains("feddata ca init"))
        }
    }

    @Test func missingNodeCertificateNamesTheFileAndTheCommand() throws {
        try withTemporaryDirectory { dir in
            let pki = PKIDirectory(path: dir)
            try pki.initialize()
            let error = try #require(identityError { _ = try pki.loadCertificate(name: "hospital-z") })
            #expect(error.code == .missingFile)
            #expect(error.source == dir + "/hospital-z.pem")
            #expect(error.message.contains("feddata ca issue"))
        }
    }

    /// Each corruption of `hospital-a.pem` and the error that names it.
    static let corruptions: [(text: String, code: IdentityError.Code)] = [
        ("hello, world\n", .notPEM),
        ("", .notPEM),
        ("-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n", .notPEM),
        ("-----BEGIN CERTIFICATE-----\nAAECAwQF\n-----END CERTIFICATE-----\n", .notACertificate),
        ("-----BEGIN PUBLIC KEY-----\nAAECAwQF\n-----END PUBLIC KEY-----\n", .notACertificate),
    ]

    @Test(arguments: corruptions)
    func corruptedCertificateNamesTheFile(text: String, code: IdentityError.Code) throws {
        try withTemporaryDirectory { dir in
            let pki = PKIDirectory(path: dir)
            let ca = try pki.initialize()
            try pki.save(ca.issueNode(name: "hospital-a"))
            try text.write(toFile: dir + "/hospital-a.pem", atomically: false, encoding: .utf8)
            let error = try #require(identityError { _ = try pki.loadCertificate(name: "hospital-a") })
            #expect(error.code == code)
            #expect(error.source == dir + "/hospital-a.pem")
            #expect(error.message.contains("expected a certificate") || error.message.contains("X.509"))
        }
    }

    @Test func keyFileHoldingACertificateIsNotAPrivateKey() throws {
        try withTemporaryDirectory { dir in
            let pki = PKIDirectory(path: dir)
            try pki.initialize()
            try FileManager.default.removeItem(atPath: dir + "/ca-key.pem")
            try FileManager.default.copyItem(atPath: dir + "/ca.pem", toPath: dir + "/ca-key.pem")
            let error = try #require(identityError { _ = try pki.loadCA() })
            #expect(error.code == .notAPrivateKey)
            #expect(error.source == dir + "/ca-key.pem")
        }
    }

    @Test func swappedKeysAreReportedAsMismatches() throws {
        try withTemporaryDirectory { dir in
            let pki = PKIDirectory(path: dir)
            let ca = try pki.initialize()
            try pki.save(ca.issueNode(name: "a"))
            try pki.save(ca.issueNode(name: "b"))
            try FileManager.default.removeItem(atPath: dir + "/a-key.pem")
            try FileManager.default.copyItem(atPath: dir + "/b-key.pem", toPath: dir + "/a-key.pem")
            let node = try #require(identityError { _ = try pki.loadCredentials(name: "a") })
            #expect(node.code == .keyMismatch)
            #expect(node.source == dir + "/a-key.pem")
            try FileManager.default.removeItem(atPath: dir + "/ca-key.pem")
            try FileManager.default.copyItem(atPath: dir + "/b-key.pem", toPath: dir + "/ca-key.pem")
            let root = try #require(identityError { _ = try pki.loadCA() })
            #expect(root.code == .keyMismatch)
            #expect(root.source == dir + "/ca-key.pem")
        }
    }

    @Test func reissuingIsRefusedUnlessForcedAndLeavesNothingBehind() throws {
        try withTemporaryDirectory { dir in
            let pki = PKIDirectory(path: dir)
            let ca = try pki.initialize()
            let first = try ca.issueNode(name: "hospital-a")
            try pki.save(first)
            let error = try #require(identityError { try pki.save(ca.issueNode(name: "hospital-a")) })
            #expect(error.code == .alreadyExists)
            #expect(error.source == dir + "/hospital-a.pem")
            #expect(try pki.loadCertificate(name: "hospital-a") == first.certificate)
            #expect(try hiddenFiles(in: dir).isEmpty)
            let second = try ca.issueNode(name: "hospital-a")
            try pki.save(second, force: true)
            #expect(try pki.loadCredentials(name: "hospital-a").certificate == second.certificate)
            #expect(try hiddenFiles(in: dir).isEmpty)
        }
    }

    /// A pair of files whose second one cannot be placed: the first is removed again and no
    /// temporary file is left (nothing half-written).
    @Test func failedPairWriteRollsBackAndLeavesNoTemporaryFiles() throws {
        try withTemporaryDirectory { dir in
            let pki = PKIDirectory(path: dir)
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try "old".write(toFile: dir + "/second.pem", atomically: false, encoding: .utf8)
            let error = try #require(identityError {
                try pki.writeFiles([(dir + "/first.pem", "one", 0o600), (dir + "/second.pem", "two", 0o644)], replace: false)
            })
            #expect(error.code == .alreadyExists)
            #expect(error.source == dir + "/second.pem")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["second.pem"])
            #expect(try String(contentsOfFile: dir + "/second.pem", encoding: .utf8) == "old")
        }
    }

    @Test func writeIntoAMissingDirectoryFailsCleanly() throws {
        try withTemporaryDirectory { dir in
            let error = try #require(identityError { _ = try PKIDirectory.stage("x", beside: dir + "/nope/ca.pem", mode: 0o600) })
            #expect(error.code == .fileSystem)
            #expect(error.source == dir + "/nope/ca.pem")
            #expect(!FileManager.default.fileExists(atPath: dir))
        }
    }

    @Test func aFileWhereTheDirectoryShouldBeIsAnError() throws {
        try withTemporaryDirectory { dir in
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            try "x".write(toFile: dir + "/pki", atomically: false, encoding: .utf8)
            let error = try #require(identityError { try PKIDirectory(path: dir + "/pki").initialize() })
            #expect(error.code == .fileSystem)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["pki"])
        }
    }
}
