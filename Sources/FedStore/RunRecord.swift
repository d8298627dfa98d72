import Foundation

/// The state of a federated run.
public enum RunStatus: String, Sendable, Equatable, CaseIterable {
    /// Rounds are being (or will be) committed; a coordinator that died leaves its run here,
    /// and `--resume` continues it.
    case running
    /// All rounds completed. Final: a finished run takes no more rounds or status changes.
    case finished
    /// The run stopped with an error. It can be set back to `running` to resume it.
    case failed
}

/// One federated run: what was configured, how far it got, and whether it is still going.
public struct RunRecord: Sendable, Equatable {
    /// The run's identifier, unique in the store (e.g. `r1` or a UUID).
    public var id: String
    /// The run's configuration as canonical JSON text. Opaque to the store.
    public var configuration: String
    /// The model's name in the zoo, e.g. `mlp`.
    public var modelName: String
    /// The number of scalars in the model's parameters; every checkpoint must have exactly this many.
    public var parameterCount: Int
    /// The number of rounds the run is configured for; rounds past it are refused.
    public var totalRounds: Int
    /// The run's seed (stored as the `Int64` with the same bit pattern).
    public var seed: UInt64
    /// When the run was created.
    public var createdAt: Date
    /// Whether the run is running, finished or failed.
    public var status: RunStatus
    /// The last round whose checkpoint is committed; 0 before any.
    public var lastCompletedRound: Int
    /// When the run became `finished` or `failed`; `nil` while running.
    public var finishedAt: Date?

    /// Creates a run record. A new run (for `CoordinatorStore.createRun(_:)`) is `running`,
    /// has completed no rounds and has no `finishedAt`: the defaults.
    /// - Parameters:
    ///   - id: the run's unique identifier.
    ///   - configuration: the configuration as canonical JSON text.
    ///   - modelName: the model's name.
    ///   - parameterCount: the number of scalars in the model (> 0).
    ///   - totalRounds: the number of rounds configured (≥ 1).
    ///   - seed: the run's seed.
    ///   - createdAt: when the run was created.
    ///   - status: the status (default `running`).
    ///   - lastCompletedRound: the last committed round (default 0).
    ///   - finishedAt: when the run finished or failed (default `nil`).
    public init(
        id: String, configuration: String, modelName: String, parameterCount: Int, totalRounds: Int,
        seed: UInt64, createdAt: Date, status: RunStatus = .running, lastCompletedRound: Int = 0,
        finishedAt: Date? = nil
    ) {
        self.id = id
        self.configuration = configuration
        self.modelName = modelName
        self.parameterCount = parameterCount
        self.totalRounds = totalRounds
        self.seed = seed
        self.createdAt = createdAt
        self.status = status
        self.lastCompletedRound = lastCompletedRound
        self.finishedAt = finishedAt
    }
}
