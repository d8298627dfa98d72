import Foundation

/// A content-addressed blob: a safetensors file stored once under the SHA-256 of its bytes.
/// Model checkpoints and strategy states are both stored this way; rounds that produce
/// identical bytes share one blob.
public struct Checkpoint: Sendable, Equatable {
    /// The SHA-256 of `bytes`, 64 lowercase hex digits.
    public var sha256: String
    /// The safetensors file (as written by `SafeTensors.encode(_:metadata:)`, without metadata).
    public var bytes: [UInt8]
    /// When these bytes were first stored.
    public var createdAt: Date

    /// Creates a checkpoint record.
    /// - Parameters:
    ///   - sha256: the hex SHA-256 of `bytes`.
    ///   - bytes: the safetensors file.
    ///   - createdAt: when it was first stored.
    public init(sha256: String, bytes: [UInt8], createdAt: Date) {
        self.sha256 = sha256
        self.bytes = bytes
        self.createdAt = createdAt
    }
}
