import FedNode
import FedProtocol
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import SwiftProtobuf
import Testing

/// A hand-driven node for protocol tests: it speaks the wire protocol one call at a time and can
/// send what no well-behaved node would (cut, reordered, oversized, NaN, replayed, malformed).
struct ManualNode {
    let transport: HTTP2ClientTransport.Posix
    let metadata: Metadata

    /// A node with a client certificate (or none, or a plaintext one naming itself).
    init(port: Int, tls: NodeTLS?, insecureName: String? = nil, certificateless caPEM: String? = nil) throws {
        let security: HTTP2ClientTransport.Posix.TransportSecurity
        if let caPEM {
            security = .tls { $0.trustRoots = .certificates([.bytes(Array(caPEM.utf8), format: .pem)]) }
        } else if let tls {
            security = .mTLS(certificateChain: [.bytes(Array(tls.certificatePEM.utf8), format: .pem)],
                             privateKey: .bytes(Array(tls.privateKeyPEM.utf8), format: .pem)) {
                $0.trustRoots = .certificates([.bytes(Array(tls.caPEM.utf8), format: .pem)])
            }
        } else {
            security = .plaintext
        }
        transport = try HTTP2ClientTransport.Posix(target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: security)
        metadata = insecureName.map { [PeerAuthenticationHeader.name: .string($0)] } ?? [:]
    }

    /// Runs `body` with a connected client.
    func run<T: Sendable>(_ body: (Client) async throws -> T) async throws -> T {
        try await withGRPCClient(transport: transport) { grpc in
            try await body(Client(grpc: Feddata_V1_Federation.Client(wrapping: grpc), metadata: metadata))
        }
    }

    struct Client {
        let grpc: Feddata_V1_Federation.Client<HTTP2ClientTransport.Posix>
        let metadata: Metadata
        var options: CallOptions {
            var o = CallOptions.defaults
            o.timeout = .seconds(20)
            return o
        }

        func register(parameterCount: Int, version: UInt32 = WireProtocol.version, features: Int = 13) async throws -> Feddata_V1_RegisterResponse {
            var r = Feddata_V1_RegisterRequest()
            r.protocolVersion = version
            r.dataSpec = Feddata_V1_ModelSpec(name: "", inputShape: [features], classCount: 2, parameterCount: 0)
            r.trainingSamples = 10
            r.agent = "manual-test-node"
            return try await grpc.register(r, metadata: metadata, options: options)
        }

        func pollTask() async throws -> Feddata_V1_Task {
            while true {
                var p = Feddata_V1_PollWorkRequest()
                p.waitMs = 2000
                let r = try await grpc.pollWork(p, metadata: metadata, options: options)
                if r.hasTask { return r.task }
                if r.runFinished { throw CancellationError() }
            }
        }

        func download(_ task: Feddata_V1_Task, maxChunkBytes: Int = WireProtocol.maxChunkBytes) async throws -> [Float] {
            var d = Feddata_V1_DownloadRequest()
            d.taskID = task.taskID
            return try await grpc.downloadParameters(d, metadata: metadata, options: options) { response in
                var a = try ParameterAssembler(expectedCount: Int(task.parameterCount), chunkCount: Int(task.chunkCount),
                                               maxChunkBytes: maxChunkBytes, sha256: Array(task.parametersSha256),
                                               maximumCount: Int(task.parameterCount), source: "test download")
                for try await c in response.messages { try a.append(c) }
                return try a.finish()
            }
        }

        /// Sends exactly `messages` as one SubmitUpdate stream.
        func submit(_ messages: [Feddata_V1_UpdateMessage]) async throws -> Feddata_V1_SubmitResponse {
            try await grpc.submitUpdate(metadata: metadata, options: options) { writer in
                for m in messages { try await writer.write(m) }
            }
        }

        /// Sends raw bytes that are not a protobuf message as one SubmitUpdate stream.
        func submitGarbage(_ bytes: [UInt8]) async throws {
            let request = StreamingClientRequest<Feddata_V1_UpdateMessage>(metadata: metadata) { writer in
                try await writer.write(Feddata_V1_UpdateMessage())
            }
            _ = try await grpc.submitUpdate(request: request, serializer: RawBytes(bytes: bytes), deserializer: ProtobufDeserializerForTests(),
                                            options: options) { try $0.message }
        }
    }
}

/// Writes fixed bytes in place of any message: malformed protobuf on the wire.
struct RawBytes: MessageSerializer {
    let bytes: [UInt8]
    func serialize<Bytes: GRPCContiguousBytes>(_ message: Feddata_V1_UpdateMessage) throws -> Bytes { Bytes(bytes) }
}

/// Decodes a SubmitResponse.
struct ProtobufDeserializerForTests: MessageDeserializer {
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> Feddata_V1_SubmitResponse {
        try serializedMessageBytes.withUnsafeBytes { try Feddata_V1_SubmitResponse(serializedBytes: Array($0)) }
    }
}

/// Update-stream messages built by hand.
enum Craft {
    static func header(task: Feddata_V1_Task, parameterCount: Int, chunkCount: Int, samples: UInt64 = 10) -> Feddata_V1_UpdateMessage {
        var h = Feddata_V1_UpdateHeader()
        h.taskID = task.taskID
        h.round = task.round
        h.parameterCount = UInt64(parameterCount)
        h.chunkCount = UInt32(chunkCount)
        h.sampleCount = samples
        h.metrics = ["train_loss": 0.5]
        var m = Feddata_V1_UpdateMessage()
        m.header = h
        return m
    }

    static func chunks(_ values: [Float], maxChunkBytes: Int) -> [Feddata_V1_UpdateMessage] {
        (0..<ParameterChunks.chunkCount(parameterCount: values.count, maxChunkBytes: maxChunkBytes)).map { i in
            var m = Feddata_V1_UpdateMessage()
            m.chunk = ParameterChunks.chunk(i, of: values, maxChunkBytes: maxChunkBytes)
            return m
        }
    }

    static func chunk(index: UInt32, bytes: [UInt8]) -> Feddata_V1_UpdateMessage {
        var c = Feddata_V1_ParameterChunk()
        c.index = index
        c.data = Data(bytes)
        var m = Feddata_V1_UpdateMessage()
        m.chunk = c
        return m
    }
}
