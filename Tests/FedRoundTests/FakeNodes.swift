import FedRound

/// An error a fake node throws.
struct FakeNodeError: Error, CustomStringConvertible {
    var description: String { "the fake node's disk is on fire" }
}

/// Fake in-process nodes for engine tests.
enum FakeNodes {
    /// A node that answers every task with a fixed delta and sample count after `delay`
    /// (cancellable), reporting `train_loss` = `loss`.
    static func fixed(_ id: String, delta: [Float], samples: Int, loss: Double = 1, delay: Duration = .zero) -> InProcessChannel {
        InProcessChannel(nodeID: id) { task in
            if delay > .zero { try await Task.sleep(for: delay) }
            return .update(nodeID: id, round: task.round, delta: delta, sampleCount: samples, metrics: ["train_loss": loss])
        }
    }

    /// A node whose reply is built by `reply` from the task.
    static func custom(_ id: String, _ reply: @escaping @Sendable (TrainingTask) async throws -> TrainingReply) -> InProcessChannel {
        InProcessChannel(nodeID: id, train: reply)
    }

    /// A node that always throws `FakeNodeError`.
    static func throwing(_ id: String) -> InProcessChannel {
        InProcessChannel(nodeID: id) { _ in throw FakeNodeError() }
    }

    /// A node that sleeps for an hour (until cancelled), then answers.
    static func slow(_ id: String, delta: [Float]) -> InProcessChannel {
        fixed(id, delta: delta, samples: 1, delay: .seconds(3600))
    }
}

/// A policy for small test federations: every node selected, all at once, quorum as given.
func testPolicy(perRound: Int, quorum: Quorum = .all, concurrency: Int = 8, timeout: Duration? = nil, seed: UInt64 = 1) -> RoundPolicy {
    RoundPolicy(perRound: perRound, training: LocalTrainingConfiguration(localEpochs: 1, batchSize: 10, learningRate: 0.1),
                quorum: quorum, concurrency: concurrency, nodeTimeout: timeout, seed: seed)
}
