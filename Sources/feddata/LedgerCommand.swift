import ArgumentParser
import FedLedger
import FedNode
import FedStore
import FedWorkloads
import Foundation

/// `feddata ledger checkpoint|key|verify`: the run's verifiable log, read from a state file.
struct LedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ledger",
        abstract: "Read and verify a run's ledger (RFC 9162 Merkle log with C2SP signed checkpoints).",
        subcommands: [Checkpoint.self, Key.self, Verify.self])

    /// Which run of which state file.
    struct Source: ParsableArguments {
        @Option(help: "The state file (SQLite) of a coordinator or of `feddata simulate --state`.") var state: String = ""
        @Option(help: "The run (default: the latest run in the state file).") var run: String?

        func open() async throws -> (store: SQLiteCoordinatorStore, runID: String) {
            guard FileManager.default.fileExists(atPath: state) else {
                throw WorkloadError(source: "--state \(state)", "no such file; expected a state file written by the coordinator or simulate --state")
            }
            let store = try SQLiteCoordinatorStore(path: state, readOnly: true)
            if let run {
                guard try await store.run(id: run) != nil else {
                    throw WorkloadError(source: "--run \(run)", "no such run in \(state); runs: \(try await store.runs().map(\.id).joined(separator: ", "))")
                }
                return (store, run)
            }
            guard let latest = try await store.latestRun() else { throw WorkloadError(source: "--state \(state)", "the state file holds no run") }
            return (store, latest.id)
        }
    }

    struct Checkpoint: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the latest signed checkpoint (a C2SP signed note).")
        @OptionGroup var source: Source

        func run() async throws {
            let (store, runID) = try await source.open()
            guard let last = try await store.ledgerCheckpoints(runID: runID).last else {
                throw WorkloadError(source: "ledger of run \(runID)", "has no checkpoint yet")
            }
            print(last.signedNote, terminator: "")
        }
    }

    struct Key: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the verifier key (signed-note format: <name>+<key hash>+<base64>).")
        @OptionGroup var source: Source

        func run() async throws {
            let (store, runID) = try await source.open()
            guard let key = try await StoredLedgerVerification.verifierKey(store: store, runID: runID) else {
                throw WorkloadError(source: "ledger of run \(runID)", "has no key; the run was recorded without a ledger")
            }
            print(key)
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Verify a whole ledger offline: every entry, every checkpoint signature, root and consistency. Exits 1 on failure.")
        @OptionGroup var source: Source
        @Option(help: "The verifier key published earlier (default: the one in the state file; give it to detect a replaced key).")
        var key: String?
        @Option(help: "Verify a live coordinator's ledger instead (host:port), fetched over the wire protocol as a node.")
        var coordinator: String?
        @OptionGroup var tls: TLSOptions
        @Flag(help: "Print one JSON object.") var json = false

        func run() async throws {
            if let coordinator { return try await verifyLive(coordinator) }
            guard !source.state.isEmpty else { throw ValidationError("expected --state FILE or --coordinator HOST:PORT") }
            let (store, runID) = try await source.open()
            let report = try await StoredLedgerVerification.verify(store: store, runID: runID, verifierKey: key)
            if json {
                emit(JSONLine(["run": .string(runID), "ok": .bool(report.isOK), "entries": .integer(report.entryCount),
                               "checkpoints": .integer(report.checkpointCount), "failures": .array(report.failures.map { .string($0.description) })]))
            } else {
                print("ledger of run \(runID): \(report)")
            }
            if !report.isOK { throw ExitCode(1) }
        }
    }
}

extension LedgerCommand.Verify {
    /// Fetches the whole ledger from a coordinator and verifies it against its latest checkpoint.
    func verifyLive(_ endpoint: String) async throws {
        let parts = endpoint.split(separator: ":")
        guard parts.count == 2, let port = Int(parts[1]) else {
            throw ValidationError("--coordinator \(endpoint): expected host:port")
        }
        let material = try tls.material(config: nil, defaultName: nil)
        let connection = NodeAgent.Connection(
            host: String(parts[0]), port: port,
            tls: material.map { NodeTLS(certificatePEM: $0.certificate, privateKeyPEM: $0.key, caPEM: $0.ca) },
            insecureName: material == nil ? (tls.name ?? "ledger-verifier") : nil)
        let snapshot = try await LedgerFetch.fetch(connection)
        let report = LedgerVerifier.verify(
            entries: snapshot.entries.enumerated().map { StoredLedgerEntry(index: UInt64($0.offset), bytes: $0.element) },
            signedCheckpoints: [snapshot.signedCheckpoint], verifierKey: key ?? snapshot.verifierKey)
        if json {
            emit(JSONLine(["coordinator": .string(endpoint), "ok": .bool(report.isOK), "entries": .integer(report.entryCount),
                           "checkpoints": .integer(report.checkpointCount), "failures": .array(report.failures.map { .string($0.description) })]))
        } else {
            print("ledger of \(endpoint): \(report)")
        }
        if !report.isOK { throw ExitCode(1) }
    }
}
