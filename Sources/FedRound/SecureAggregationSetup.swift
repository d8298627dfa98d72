import FedSecureAggregation
import Foundation

/// The server's first message to a node in a secure-aggregation round: the round's SecAgg+
/// configuration (participants, graph, threshold, ring), the node's own id in it, and how to
/// quantize its update. JSON, checked on decoding.
public struct SecureAggregationSetup: Sendable, Codable, Equatable {
    public var federationID: String
    public var round: UInt64
    public var participants: [UInt64]
    public var degree: Int
    public var threshold: Int
    public var bitWidth: Int
    public var vectorLength: Int
    public var graphSeed: [UInt8]
    /// The recipient's id among `participants`.
    public var node: UInt64
    /// The quantizer: clipping range c and weight cap.
    public var clippingRange: Float
    public var maxWeight: Int

    /// Creates a setup for `node` from a configuration and the quantizer.
    public init(configuration c: SecureAggregationConfiguration, node: UInt64, quantizer: UpdateQuantizer) {
        federationID = c.federationID
        round = c.roundID
        participants = c.participants
        degree = c.degree
        threshold = c.threshold
        bitWidth = c.bitWidth
        vectorLength = c.vectorLength
        graphSeed = c.graphSeed
        self.node = node
        clippingRange = quantizer.clippingRange
        maxWeight = quantizer.maxWeight
    }

    /// The bytes sent to the node.
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return Array((try? encoder.encode(self)) ?? Data())
    }

    /// Decodes and checks a setup.
    /// - Throws: `RoundError.invalidConfiguration` naming the source when the bytes are not a
    ///   setup, or the configuration or quantizer they describe is invalid.
    public init(decoding bytes: [UInt8], source: String) throws {
        do {
            self = try JSONDecoder().decode(SecureAggregationSetup.self, from: Data(bytes))
        } catch {
            throw RoundError(.invalidConfiguration, source: source, "expected a secure-aggregation setup (JSON): \(error)")
        }
        guard participants.contains(node) else {
            throw RoundError(.invalidConfiguration, source: source, "the recipient's id \(node) is not among the \(participants.count) participants")
        }
    }

    /// The SecAgg+ configuration it describes.
    public func configuration() throws -> SecureAggregationConfiguration {
        try SecureAggregationConfiguration(federationID: federationID, roundID: round, participants: participants, degree: degree,
                                           threshold: threshold, bitWidth: bitWidth, vectorLength: vectorLength, graphSeed: graphSeed)
    }

    /// The quantizer it describes.
    public func quantizer() throws -> UpdateQuantizer {
        try UpdateQuantizer(nodeCount: participants.count, bitWidth: bitWidth, clippingRange: clippingRange, maxWeight: maxWeight)
    }
}
