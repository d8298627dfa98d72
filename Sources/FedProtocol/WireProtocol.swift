/// What the node and the coordinator agree on when a node registers: the wire-protocol version,
/// the largest chunk, and the model.
public enum WireProtocol {
    /// The wire-protocol version this build speaks (`Protos/feddata.proto`).
    public static let version: UInt32 = 1

    /// The default largest parameter chunk, in bytes (1 MiB: 262,144 floats), well under gRPC's
    /// 4 MiB default message limit. A model of any size moves as many such chunks.
    public static let maxChunkBytes = 1 << 20

    /// The largest chunk limit a peer may announce (3 MiB), so that a chunk message still fits
    /// under gRPC's 4 MiB default message limit with room for framing.
    public static let largestAllowedChunkBytes = 3 << 20

    /// Checks that the node's and the coordinator's protocol versions are the same. Either side
    /// can call it: the coordinator with the version in `RegisterRequest`, the node with the one
    /// in `RegisterResponse`.
    /// - Parameters:
    ///   - nodeVersion: the version the node speaks (0: the node sent none).
    ///   - coordinatorVersion: the version the coordinator speaks (default this build's).
    ///   - source: the registration, e.g. `registration of node hospital-a`.
    /// - Throws: `WireError.versionMismatch` stating both versions and which side to upgrade.
    public static func negotiate(nodeVersion: UInt32, coordinatorVersion: UInt32 = version,
                                 source: String = "registration") throws {
        if nodeVersion == coordinatorVersion { return }
        let message: String
        if nodeVersion == 0 {
            message = "the node sent no protocol version (protocol_version 0), the coordinator speaks v\(coordinatorVersion): "
                + "the node agent predates version negotiation or is not a FedData node; upgrade the node agent to a release that speaks v\(coordinatorVersion)"
        } else if nodeVersion < coordinatorVersion {
            message = "the node speaks wire protocol v\(nodeVersion), the coordinator speaks v\(coordinatorVersion): "
                + "upgrade the node agent (the older side) to a release that speaks v\(coordinatorVersion)"
        } else {
            message = "the node speaks wire protocol v\(nodeVersion), the coordinator speaks v\(coordinatorVersion): "
                + "upgrade the coordinator (the older side) to a release that speaks v\(nodeVersion), or run a node agent that speaks v\(coordinatorVersion)"
        }
        throw WireError(.versionMismatch, source: source, message)
    }

    /// The chunk limit to use for a value a peer announced (`RegisterResponse.max_chunk_bytes`).
    /// - Parameters:
    ///   - announced: the announced limit in bytes; 0 (unset) means `maxChunkBytes`.
    ///   - source: the message the value came from.
    /// - Returns: the limit in bytes, in 4…`largestAllowedChunkBytes`.
    /// - Throws: `WireError.invalidField` when the value is 1…3 (not even one float) or larger
    ///   than `largestAllowedChunkBytes`.
    public static func chunkLimit(announced: UInt32, source: String) throws -> Int {
        if announced == 0 { return maxChunkBytes }
        guard announced >= 4, Int(announced) <= largestAllowedChunkBytes else {
            throw WireError(.invalidField, source: source,
                            "max_chunk_bytes: expected 4…\(largestAllowedChunkBytes) (or 0 for the default \(maxChunkBytes)), got \(announced)")
        }
        return Int(announced)
    }

    /// Checks a model spec against the federation's, naming every field that differs. Fields
    /// the checked spec leaves unset are not compared: an empty `name` (a node's data spec
    /// leaves the model to the coordinator) and a `parameter_count` of 0 (a node that has not
    /// built the model yet). `input_shape` and `class_count` are always compared.
    /// - Parameters:
    ///   - spec: the spec to check (a node's `data_spec`, or the model in `RegisterResponse`).
    ///   - expected: the spec it must match.
    ///   - source: the registration, e.g. `registration of node hospital-a`.
    /// - Throws: `WireError.specMismatch` listing each differing field with both values.
    public static func check(_ spec: Feddata_V1_ModelSpec, against expected: Feddata_V1_ModelSpec,
                             source: String) throws {
        var differences: [String] = []
        if !spec.name.isEmpty, spec.name != expected.name {
            differences.append("name: got \"\(spec.name)\", expected \"\(expected.name)\"")
        }
        if spec.inputShape != expected.inputShape {
            differences.append("input_shape: got \(spec.inputShape), expected \(expected.inputShape)")
        }
        if spec.classCount != expected.classCount {
            differences.append("class_count: got \(spec.classCount), expected \(expected.classCount)")
        }
        if spec.parameterCount != 0, spec.parameterCount != expected.parameterCount {
            differences.append("parameter_count: got \(spec.parameterCount), expected \(expected.parameterCount)")
        }
        guard differences.isEmpty else {
            throw WireError(.specMismatch, source: source, differences.joined(separator: "; "))
        }
    }
}
