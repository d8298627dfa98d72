import FedProtocol
import Foundation

/// The wire header of a task the registry hands out (its parameters follow as a chunk stream).
enum WireTask {
    static func header(for a: NodeRegistry.Assignment, maxChunkBytes: Int, runID: String) -> Feddata_V1_Task {
        var t = Feddata_V1_Task()
        t.taskID = a.taskID
        t.kind = switch a.kind {
        case .train: .train
        case .evaluate: .evaluate
        case .secureAggregation: .secureAggregation
        }
        if let stage = a.stage {
            t.secureAggregationStage = UInt32(stage.rawValue)
            t.secureAggregationPayload = Data(a.payload)
        }
        t.runID = runID
        t.round = UInt64(a.round)
        t.version = UInt64(a.version)
        t.parameterCount = UInt64(a.parameters.count)
        t.chunkCount = UInt32(ParameterChunks.chunkCount(parameterCount: a.parameters.count, maxChunkBytes: maxChunkBytes))
        t.parametersSha256 = Data(a.parametersSHA256)
        if let c = a.configuration { t.config = c.wireConfig }
        t.nodeSeed = a.nodeSeed
        return t
    }
}
