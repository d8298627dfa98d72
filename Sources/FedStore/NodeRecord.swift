import Foundation

/// A node that registered with the coordinator, keyed by its name.
public struct NodeRecord: Sendable, Equatable {
    /// The node's name (the primary key; from its certificate's subject).
    public var name: String
    /// The fingerprint of the certificate it last registered with (e.g. SHA-256 hex of the DER).
    public var certificateFingerprint: String
    /// When it first registered.
    public var firstSeen: Date
    /// When it last registered.
    public var lastSeen: Date
    /// How many times it has registered.
    public var registrations: Int

    /// Creates a node record.
    /// - Parameters:
    ///   - name: the node's name.
    ///   - certificateFingerprint: its certificate's fingerprint.
    ///   - firstSeen: when it first registered.
    ///   - lastSeen: when it last registered.
    ///   - registrations: how many times it registered.
    public init(name: String, certificateFingerprint: String, firstSeen: Date, lastSeen: Date, registrations: Int) {
        self.name = name
        self.certificateFingerprint = certificateFingerprint
        self.firstSeen = firstSeen
        self.lastSeen = lastSeen
        self.registrations = registrations
    }
}
