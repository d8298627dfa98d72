import GRDB

/// The SQLite schema of the coordinator's state, as GRDB migrations (recorded in the
/// `grdb_migrations` table). Append migrations ("v2", …); never edit a released one.
///
/// Conventions: times are `REAL` seconds since 2001-01-01 00:00:00 UTC (Foundation's reference
/// date, so `Date` values round-trip exactly; in the `sqlite3` shell,
/// `datetime(createdAt + 978307200, 'unixepoch')` shows them); the seed is the `Int64` with the
/// seed's bit pattern; blobs are safetensors files addressed by the hex SHA-256 of their bytes.
enum SQLiteSchema {
    /// The migrations this build knows, in order.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(sql: """
                CREATE TABLE checkpoints (
                    sha256 TEXT PRIMARY KEY NOT NULL CHECK (length(sha256) = 64),
                    bytes BLOB NOT NULL,
                    createdAt REAL NOT NULL
                );
                CREATE TABLE runs (
                    id TEXT PRIMARY KEY NOT NULL CHECK (id <> ''),
                    configuration TEXT NOT NULL,
                    modelName TEXT NOT NULL,
                    parameterCount INTEGER NOT NULL CHECK (parameterCount >= 1),
                    totalRounds INTEGER NOT NULL CHECK (totalRounds >= 1),
                    seed INTEGER NOT NULL,
                    createdAt REAL NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('running', 'finished', 'failed')),
                    lastCompletedRound INTEGER NOT NULL DEFAULT 0 CHECK (lastCompletedRound BETWEEN 0 AND totalRounds),
                    finishedAt REAL,
                    initialCheckpointSHA256 TEXT REFERENCES checkpoints(sha256),
                    initialStrategyStateSHA256 TEXT REFERENCES checkpoints(sha256)
                );
                CREATE INDEX runs_createdAt ON runs(createdAt);
                CREATE TABLE nodes (
                    name TEXT PRIMARY KEY NOT NULL,
                    certificateFingerprint TEXT NOT NULL,
                    firstSeen REAL NOT NULL,
                    lastSeen REAL NOT NULL,
                    registrations INTEGER NOT NULL CHECK (registrations >= 1)
                );
                CREATE TABLE rounds (
                    runID TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    round INTEGER NOT NULL CHECK (round >= 1),
                    version INTEGER NOT NULL CHECK (version >= 0),
                    checkpointSHA256 TEXT NOT NULL REFERENCES checkpoints(sha256),
                    strategyStateSHA256 TEXT REFERENCES checkpoints(sha256),
                    metricsJSON TEXT NOT NULL,
                    participants TEXT NOT NULL,
                    completedAt REAL NOT NULL,
                    PRIMARY KEY (runID, round)
                );
                CREATE INDEX rounds_checkpointSHA256 ON rounds(checkpointSHA256);
                CREATE INDEX rounds_strategyStateSHA256 ON rounds(strategyStateSHA256);
                """)
        }
        migrator.registerMigration("v2-ledger") { db in
            try db.execute(sql: """
                CREATE TABLE ledger_keys (
                    runID TEXT PRIMARY KEY NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    name TEXT NOT NULL CHECK (name <> ''),
                    seed BLOB NOT NULL CHECK (length(seed) = 32)
                );
                CREATE TABLE ledger_entries (
                    runID TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    idx INTEGER NOT NULL CHECK (idx >= 0),
                    round INTEGER NOT NULL CHECK (round >= 0),
                    kind TEXT NOT NULL,
                    bytes BLOB NOT NULL,
                    leafHash BLOB NOT NULL CHECK (length(leafHash) = 32),
                    PRIMARY KEY (runID, idx)
                );
                CREATE TABLE ledger_checkpoints (
                    runID TEXT NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
                    treeSize INTEGER NOT NULL CHECK (treeSize >= 0),
                    signedNote TEXT NOT NULL,
                    createdAt REAL NOT NULL,
                    PRIMARY KEY (runID, treeSize)
                );
                """)
        }
        return migrator
    }

    /// Whether the database holds tables other than SQLite's and GRDB's own (someone else's file).
    static func hasOtherTables(_ db: Database) throws -> Bool {
        let count = try Int.fetchOne(
            db,
            sql: """
                SELECT count(*) FROM sqlite_master
                WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'grdb_migrations'
                """) ?? 0
        return count > 0
    }
}
