import GRPCCore
import SwiftProtobuf
import Testing
@testable import FedProtocol

@Suite struct WireProtocolTests {
    let source = "registration of node hospital-a"

    @Test func sameVersionNegotiates() throws {
        try WireProtocol.negotiate(nodeVersion: WireProtocol.version, source: source)
        #expect(WireProtocol.version == 1)
    }

    @Test func newerNodeAsksToUpgradeTheCoordinator() {
        let error = expectWireError(.versionMismatch, source: source, "node speaks wire protocol v2", "coordinator speaks v1",
                                    "upgrade the coordinator (the older side)") {
            try WireProtocol.negotiate(nodeVersion: 2, coordinatorVersion: 1, source: source)
        }
        #expect(error?.rpcError.code == .failedPrecondition)
    }

    @Test func olderNodeAsksToUpgradeTheNode() {
        expectWireError(.versionMismatch, source: source, "node speaks wire protocol v1", "coordinator speaks v2",
                        "upgrade the node agent (the older side)") {
            try WireProtocol.negotiate(nodeVersion: 1, coordinatorVersion: 2, source: source)
        }
    }

    @Test func missingVersionIsNamed() {
        expectWireError(.versionMismatch, source: source, "sent no protocol version", "upgrade the node agent") {
            try WireProtocol.negotiate(nodeVersion: 0, source: source)
        }
    }

    @Test func malformedProtobufIsRefused() {
        #expect(throws: (any Error).self) { try Feddata_V1_UpdateMessage(serializedBytes: [0xFF, 0xFF, 0xFF] as [UInt8]) }
        let error = expectWireError(.malformed, source: source, "3 bytes are not a valid feddata.v1.UpdateMessage") {
            _ = try WireDecoding.decode(Feddata_V1_UpdateMessage.self, from: [0xFF, 0xFF, 0xFF] as [UInt8], source: source)
        }
        #expect(error?.cause != nil)
    }

    @Test func wellFormedProtobufDecodes() throws {
        var message = Feddata_V1_UpdateMessage()
        message.part = .chunk(ParameterChunks([1, 2]).first!)
        let bytes: [UInt8] = try message.serializedBytes()
        #expect(try WireDecoding.decode(Feddata_V1_UpdateMessage.self, from: bytes, source: source) == message)
    }

    @Test func badDataBecomesInvalidArgumentWithTheSameText() {
        let error = WireError(.nonFinite, source: "update stream of task t from node n", "parameter 5 (in chunk 1) is nan")
        let rpc = error.rpcError
        #expect(rpc.code == .invalidArgument)
        #expect(rpc.message == "update stream of task t from node n: non-finite value: parameter 5 (in chunk 1) is nan")
        #expect(rpc.cause is WireError)
        #expect(RPCError(WireError(.specMismatch, source: source, "x")).code == .failedPrecondition)
    }

    @Test func announcedChunkLimits() throws {
        #expect(try WireProtocol.chunkLimit(announced: 0, source: source) == 1 << 20)
        #expect(try WireProtocol.chunkLimit(announced: 16, source: source) == 16)
        expectWireError(.invalidField, source: source, "max_chunk_bytes", "got 3") { _ = try WireProtocol.chunkLimit(announced: 3, source: source) }
        expectWireError(.invalidField, source: source, "got 4194304") { _ = try WireProtocol.chunkLimit(announced: 4 << 20, source: source) }
    }

    @Test func modelSpecMismatchNamesEveryField() {
        let federation = Feddata_V1_ModelSpec(name: "cnn", inputShape: [28, 28, 1], classCount: 10, parameterCount: 1000)
        let node = Feddata_V1_ModelSpec(name: "2nn", inputShape: [13], classCount: 2, parameterCount: 999)
        expectWireError(.specMismatch, source: source, "name: got \"2nn\", expected \"cnn\"", "input_shape: got [13], expected [28, 28, 1]",
                        "class_count: got 2, expected 10", "parameter_count: got 999, expected 1000") {
            try WireProtocol.check(node, against: federation, source: source)
        }
    }

    @Test func modelSpecUnsetNameAndCountAreNotCompared() throws {
        let federation = Feddata_V1_ModelSpec(name: "logreg", inputShape: [13], classCount: 2, parameterCount: 28)
        try WireProtocol.check(Feddata_V1_ModelSpec(name: "", inputShape: [13], classCount: 2, parameterCount: 0),
                               against: federation, source: source)
        try WireProtocol.check(federation, against: federation, source: source)
        let error = expectWireError(.specMismatch, source: source, "class_count: got 3, expected 2") {
            try WireProtocol.check(Feddata_V1_ModelSpec(name: "", inputShape: [13], classCount: 3, parameterCount: 0),
                                   against: federation, source: source)
        }
        #expect(error?.message.contains("name") == false)
    }
}
