/// The one error type of `FedStore`: a refused write (a round out of order, a run that is not
/// running, parameters of the wrong size or with non-finite values), a damaged checkpoint, or a
/// database that cannot be opened or used. It names its source (the database path, or the run
/// and round it concerns) and what was expected.
///
/// ```
/// run r1 round 5: out of order: expected round 4 (the run has completed 3 rounds)
/// /var/fed/state.sqlite: not a database: the file is not an SQLite database (file is not a database)
/// ```
public struct StoreError: Error, CustomStringConvertible {
    /// What kind of problem this is. An open set of codes (new codes can be added without
    /// breaking `switch` statements elsewhere); compare with `==`.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        /// A short machine-readable name, e.g. `"outOfOrder"`.
        public let name: String

        /// Creates a code; prefer the predefined static codes.
        public init(_ name: String) { self.name = name }

        /// The code's name.
        public var description: String { name }

        /// The path exists but is not an SQLite database (or is encrypted or damaged beyond its header).
        public static let notADatabase = Code("notADatabase")
        /// The database file (or its folder) could not be opened or created.
        public static let cannotOpen = Code("cannotOpen")
        /// The database was written by a newer FedData: it records migrations this build does not know.
        public static let newerSchema = Code("newerSchema")
        /// The database is SQLite but does not hold FedData coordinator state (other tables, or an
        /// unmigrated file opened read-only).
        public static let notAStateDatabase = Code("notAStateDatabase")
        /// Any other SQLite or GRDB failure (disk full, read-only file, busy…); `cause` holds it.
        public static let database = Code("database")
        /// A stored row cannot be read back (unknown status, participants that are not JSON…).
        public static let corruptRecord = Code("corruptRecord")
        /// A checkpoint blob does not hash to its address, or is not a valid safetensors file.
        public static let corruptCheckpoint = Code("corruptCheckpoint")
        /// The run (or checkpoint) does not exist.
        public static let notFound = Code("notFound")
        /// A run with this id already exists.
        public static let duplicate = Code("duplicate")
        /// A record or argument is malformed (empty id, negative count, metrics that are not a JSON object…).
        public static let invalidInput = Code("invalidInput")
        /// The round is not the one after the run's last completed round (or is past its last round).
        public static let outOfOrder = Code("outOfOrder")
        /// The run is not `running`, so rounds cannot be committed to it.
        public static let runNotRunning = Code("runNotRunning")
        /// The status change is not allowed (a finished run is final).
        public static let invalidStatusChange = Code("invalidStatusChange")
        /// The parameters do not have the run's number of scalars.
        public static let parameterMismatch = Code("parameterMismatch")
        /// A parameter or strategy-state value is NaN or infinite.
        public static let nonFinite = Code("nonFinite")
        /// The initial checkpoint was already committed with different content.
        public static let conflict = Code("conflict")
    }

    /// What kind of problem this is.
    public var code: Code
    /// The database path, or the run and round the problem concerns, e.g. `run r1 round 5`.
    public var source: String
    /// What was expected and what was found.
    public var message: String
    /// The underlying error (a GRDB `DatabaseError`, a `ModelError`…), if any.
    public var cause: (any Error)?

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind of problem.
    ///   - source: the database path, or the run and round concerned.
    ///   - message: what was expected and what was found.
    ///   - cause: an underlying error, if any.
    public init(_ code: Code, source: String, _ message: String, cause: (any Error)? = nil) {
        self.code = code
        self.source = source
        self.message = message
        self.cause = cause
    }

    /// `source: code: message[ (cause)]`.
    public var description: String {
        "\(source): \(code): \(message)" + (cause.map { " (\($0))" } ?? "")
    }
}
