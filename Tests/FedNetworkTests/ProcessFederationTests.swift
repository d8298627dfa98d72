import FedCoordinator
import FedModels
import FedNode
import FedStore
import Foundation
import Synchronization
import Testing

/// The `feddata` executable built beside this test bundle.
var feddataExecutable: URL {
    get throws {
        let dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [dir, dir.deletingLastPathComponent()] {
            let url = candidate.appendingPathComponent("feddata")
            if FileManager.default.isExecutableFile(atPath: url.path) { return url }
        }
        throw ProcessTestError("the feddata executable is not beside the test bundle in \(dir.path); run `swift build` first")
    }
}

struct ProcessTestError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// A child process whose standard output lines are collected as they come.
final class Child: Sendable {
    let process: Process
    private let output = LineBuffer()
    let errorFile: URL

    init(_ arguments: [String], logDir: URL, label: String) throws {
        process = Process()
        process.executableURL = try feddataExecutable
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        errorFile = logDir.appendingPathComponent("\(label).stderr")
        _ = FileManager.default.createFile(atPath: errorFile.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errorFile)
        let output = self.output
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            guard !data.isEmpty else {
                handle.readabilityHandler = nil  // end of output
                return
            }
            output.add(data)
        }
        try process.run()
    }

    var lines: [String] { output.lines }
    var stderr: String { (try? String(contentsOf: errorFile, encoding: .utf8)) ?? "" }

    /// Waits for the process to exit (polling; at most `limit`), returning its status.
    func wait(limit: Duration = .seconds(120)) async throws -> Int32 {
        let deadline = ContinuousClock.now + limit
        while process.isRunning {
            if ContinuousClock.now > deadline {
                process.terminate()
                throw ProcessTestError("\(process.arguments?.first ?? "feddata") did not exit within \(limit); stderr:\n\(stderr)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        try await Task.sleep(for: .milliseconds(50))  // let the last output arrive
        return process.terminationStatus
    }

    func kill9() {
        _ = Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }
}

/// Lines of a child's output, collected from its pipe's handler thread.
final class LineBuffer: Sendable {
    private let state = Mutex<(lines: [String], partial: String)>(([], ""))

    func add(_ data: Data) {
        state.withLock { s in
            s.partial += String(decoding: data, as: UTF8.self)
            while let nl = s.partial.firstIndex(of: "\n") {
                s.lines.append(String(s.partial[..<nl]))
                s.partial = String(s.partial[s.partial.index(after: nl)...])
            }
        }
    }

    var lines: [String] { state.withLock { $0.lines } }
}

/// A free TCP port on loopback (bound and released; the OS does not hand it out again at once).
func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = 0
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    var len = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &addr) { p in
        p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
    }
    guard bound else { throw ProcessTestError("could not bind a loopback port") }
    return Int(UInt16(bigEndian: addr.sin_port))
}

/// A coordinator and 4 node **processes** on loopback with mutual TLS, each node with one
/// hospital's CSV file: the final model equals the in-process simulation of the same federation
/// and seed; killing the coordinator with SIGKILL and resuming it gives that same model.
extension NetworkFederations {
@Suite(.serialized, .timeLimit(.minutes(10))) struct ProcessFederationTests {
    struct Setup {
        let tmp: TemporaryDirectory
        let data: [String: LocalData]
        let files: URL
        let pki: URL
    }

    func setup() throws -> Setup {
        let tmp = try TemporaryDirectory()
        let files = tmp.url.appendingPathComponent("data")
        try FileManager.default.createDirectory(at: files, withIntermediateDirectories: true)
        let data = try HeartFederation.localData(in: files)
        let pki = tmp.url.appendingPathComponent("pki")
        try TestPKI(nodes: HeartFederation.names).write(to: pki)
        return Setup(tmp: tmp, data: data, files: files, pki: pki)
    }

    func coordinatorArguments(_ s: Setup, port: Int, rounds: Int, extra: [String] = []) -> [String] {
        ["coordinator", "--listen", "127.0.0.1:\(port)", "--pki", s.pki.path, "--name", "coordinator",
         "--dataset", "heart-disease", "--model", "logreg", "--rounds", "\(rounds)", "--nodes", "4", "--batch", "16", "--lr", "0.05",
         "--seed", "7", "--state", s.tmp.url.appendingPathComponent("state.db").path,
         "--save", s.tmp.url.appendingPathComponent("final.safetensors").path, "--json", "--heartbeat-interval", "0.2",
         "--heartbeat-timeout", "5", "--min-available", "4"] + extra
    }

    func startNodes(_ s: Setup, port: Int) throws -> [Child] {
        try HeartFederation.names.map { name in
            try Child(["node", "--coordinator", "127.0.0.1:\(port)", "--pki", s.pki.path, "--name", name,
                       "--data", s.files.appendingPathComponent(LocalData.hospitalFileName(name)).path, "--schema", "heart-disease",
                       "--exit-when-done", "--json"], logDir: s.tmp.url, label: name)
        }
    }

    func finalModel(_ s: Setup) throws -> [Float] {
        try SafeTensors.load(from: s.tmp.url.appendingPathComponent("final.safetensors")).parameters.flattened()
    }

    @Test func coordinatorAndFourNodeProcessesEqualTheSimulation() async throws {
        let s = try setup()
        defer { s.tmp.cleanup() }
        let port = try freePort()
        let coordinator = try Child(coordinatorArguments(s, port: port, rounds: 10), logDir: s.tmp.url, label: "coordinator")
        let nodes = try startNodes(s, port: port)
        #expect(try await coordinator.wait() == 0, "\(coordinator.stderr)")
        for n in nodes { #expect(try await n.wait() == 0, "\(n.stderr)") }
        let reference = try await HeartFederation.inProcessReference(HeartFederation.configuration(rounds: 10), data: s.data)
        #expect(try finalModel(s) == reference)
        #expect(coordinator.lines.filter { $0.contains("\"event\":\"round\"") }.count == 10)
        // Each node reports what it sent: 10 updates of 28 floats and 10 evaluations, far below its data.
        for n in nodes {
            let summary = try #require(n.lines.last)
            let bytes = try #require((try JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any])?["bytes_sent"] as? Int)
            #expect(bytes < 10 * 28 * 4 + 12_000, "\(summary)")
        }
    }

    @Test func coordinatorKilledWithSIGKILLResumesToTheSameModel() async throws {
        let s = try setup()
        defer { s.tmp.cleanup() }
        let port = try freePort()
        let rounds = 60
        let first = try Child(coordinatorArguments(s, port: port, rounds: rounds), logDir: s.tmp.url, label: "coordinator-1")
        let nodes = try startNodes(s, port: port)
        // Kill it as soon as 3 rounds are reported: mid-run, at whatever point it has reached.
        let deadline = ContinuousClock.now + .seconds(120)
        while first.lines.filter({ $0.contains("\"event\":\"round\"") }).count < 3 {
            guard first.process.isRunning, ContinuousClock.now < deadline else {
                throw ProcessTestError("the coordinator stopped or stalled before round 3; stderr:\n\(first.stderr)")
            }
            try await Task.sleep(for: .milliseconds(5))
        }
        first.kill9()
        #expect(first.process.terminationReason == .uncaughtSignal)
        // The nodes keep retrying; a new coordinator on the same address resumes the run.
        let second = try Child(coordinatorArguments(s, port: port, rounds: rounds, extra: ["--resume"]), logDir: s.tmp.url, label: "coordinator-2")
        #expect(try await second.wait() == 0, "\(second.stderr)")
        for n in nodes { #expect(try await n.wait() == 0, "\(n.stderr)") }
        let summary = try #require(second.lines.last)
        let fields = try #require(try JSONSerialization.jsonObject(with: Data(summary.utf8)) as? [String: Any])
        let resumedAfter = try #require(fields["resumed_after_round"] as? Int)
        #expect(resumedAfter >= 2 && resumedAfter < rounds, "\(summary)")
        let reference = try await HeartFederation.inProcessReference(HeartFederation.configuration(rounds: rounds), data: s.data)
        #expect(try finalModel(s) == reference)
        // The store holds every round exactly once, across both coordinator processes.
        let store = try SQLiteCoordinatorStore(path: s.tmp.url.appendingPathComponent("state.db").path)
        let run = try #require(try await store.latestRun())
        #expect(run.status == .finished)
        #expect(try await store.rounds(runID: run.id).map(\.round) == Array(1...rounds))
    }
}
}
