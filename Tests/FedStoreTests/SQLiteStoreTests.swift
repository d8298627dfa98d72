import Dispatch
import FedModels
import Foundation
import Testing

@testable import FedStore

/// What only the SQLite store has: WAL, pragmas, opening bad files, schema versions, readers
/// while a write is in progress.
@Suite struct SQLiteStoreTests {
    @Test func walModeForeignKeysAndFullSync() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("state.sqlite").path
            let store = try SQLiteCoordinatorStore(path: path)
            defer { try? store.close() }
            #expect(try await store.pragma("journal_mode") == "wal")
            #expect(try await store.pragma("foreign_keys") == "1")
            #expect(try await store.writerPragma("synchronous") == "2")  // FULL
            #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        }
    }

    @Test func foreignKeysAreEnforced() async throws {
        try await withStore(.sqlite) { store in
            let sqlite = try #require(store as? SQLiteCoordinatorStore)
            let error = await storeError {
                try await sqlite.executeForTesting(
                    "INSERT INTO rounds (runID, round, version, checkpointSHA256, metricsJSON, participants, completedAt) "
                        + "VALUES ('r9', 1, 1, '\(String(repeating: "a", count: 64))', '{}', '[]', 0)")
            }
            #expect(error?.code == .database)
            #expect(error?.message.contains("FOREIGN KEY") == true, "\(error.map { "\($0)" } ?? "")")
        }
    }

    @Test func aFileThatIsNotSQLiteIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("notes.txt").path
            let text = Data(String(repeating: "these are not the bytes of a database\n", count: 200).utf8)
            try text.write(to: URL(fileURLWithPath: path))
            let error = await storeError { _ = try SQLiteCoordinatorStore(path: path) }
            #expect(error?.code == .notADatabase, "\(error.map { "\($0)" } ?? "no error")")
            #expect(error?.source == path)
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == text)  // left as it was
        }
    }

    @Test func aMissingFolderIsReported() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("no/such/folder/state.sqlite").path
            let error = await storeError { _ = try SQLiteCoordinatorStore(path: path) }
            #expect(error?.code == .cannotOpen, "\(error.map { "\($0)" } ?? "no error")")
            #expect(error?.source == path)
        }
    }

    @Test func aDatabaseFromANewerSchemaIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("state.sqlite").path
            let store = try SQLiteCoordinatorStore(path: path)
            try await store.executeForTesting("INSERT INTO grdb_migrations (identifier) VALUES ('v2')")
            try store.close()
            for readOnly in [false, true] {
                let error = await storeError { _ = try SQLiteCoordinatorStore(path: path, readOnly: readOnly) }
                #expect(error?.code == .newerSchema, "\(error.map { "\($0)" } ?? "no error")")
                #expect(error?.source == path)
                #expect(error?.message.contains("[\"v2\"]") == true)
            }
        }
    }

    @Test func someoneElsesDatabaseIsRefused() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("other.sqlite").path
            let store = try SQLiteCoordinatorStore(path: path)
            try await store.executeForTesting("DELETE FROM grdb_migrations")  // tables, but no FedData schema
            try store.close()
            let error = await storeError { _ = try SQLiteCoordinatorStore(path: path) }
            #expect(error?.code == .notAStateDatabase, "\(error.map { "\($0)" } ?? "no error")")
        }
    }

    @Test func readOnlyStoreReadsAndRefusesWrites() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("state.sqlite").path
            let missing = await storeError { _ = try SQLiteCoordinatorStore(path: path, readOnly: true) }
            #expect(missing?.code == .cannotOpen, "\(missing.map { "\($0)" } ?? "no error")")

            let writer = try SQLiteCoordinatorStore(path: path)
            defer { try? writer.close() }
            try await writer.createRun(Sample.run())
            try await writer.commitSample(1)
            let reader = try SQLiteCoordinatorStore(path: path, readOnly: true)
            defer { try? reader.close() }
            #expect(reader.isReadOnly)
            #expect(try await reader.rounds(runID: "r1") == writer.rounds(runID: "r1"))
            #expect(try await reader.latestCheckpoint(runID: "r1")?.parameters == Sample.parameters(1))
            let refused = await storeError { try await reader.commitSample(2) }
            #expect(refused?.code == .database && refused?.source == path, "\(refused.map { "\($0)" } ?? "no error")")
            try await writer.commitSample(2)
            #expect(try await reader.run(id: "r1")?.lastCompletedRound == 2)  // sees the writer's new commits
        }
    }

    /// While round 3's transaction is open (held at its last stage), readers in this store and
    /// in a second, read-only store see rounds 1 and 2 only; after the commit, all three.
    @Test func readersSeeCommittedRoundsWhileAWriteIsInProgress() async throws {
        try await withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("state.sqlite").path
            let store = try SQLiteCoordinatorStore(path: path)
            defer { try? store.close() }
            try await store.createRun(Sample.run())
            try await store.commitSample(1)
            try await store.commitSample(2)

            let (entered, signalEntered) = AsyncStream<Void>.makeStream()
            let release = DispatchSemaphore(value: 0)  // waited on GRDB's writer queue, not a Swift task
            async let third: RoundRecord = {
                defer { signalEntered.finish() }  // a commit that fails early must not leave the test waiting
                return try await store.commitRound(
                    runID: "r1", round: 3, version: 3, parameters: Sample.parameters(3), strategyState: [:], metricsJSON: "{}",
                    participants: [], at: Sample.time(3),
                    fault: { stage in
                        if stage == .afterRunUpdate {
                            signalEntered.yield()
                            release.wait()
                        }
                    })
            }()
            var iterator = entered.makeAsyncIterator()
            _ = await iterator.next()

            do {
                #expect(try await store.rounds(runID: "r1").map(\.round) == [1, 2])
                #expect(try await store.run(id: "r1")?.lastCompletedRound == 2)
                #expect(try await store.latestCheckpoint(runID: "r1")?.parameters == Sample.parameters(2))
                let watcher = try SQLiteCoordinatorStore(path: path, readOnly: true)
                defer { try? watcher.close() }
                #expect(try await watcher.rounds(runID: "r1").map(\.round) == [1, 2])
            } catch {
                release.signal()
                throw error
            }
            release.signal()
            #expect(try await third.round == 3)
            #expect(try await store.rounds(runID: "r1").map(\.round) == [1, 2, 3])
        }
    }
}
