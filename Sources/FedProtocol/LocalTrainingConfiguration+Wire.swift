import FedRound

extension LocalTrainingConfiguration {
    /// The configuration as a wire message. Values a wire field cannot hold are clamped (a
    /// negative epoch count becomes 0), and the receiver rejects them; `validate()` first.
    public var wireConfig: Feddata_V1_TrainingConfig {
        var config = Feddata_V1_TrainingConfig()
        config.localEpochs = UInt32(clamping: localEpochs)
        config.batchSize = UInt32(clamping: batchSize)
        config.learningRate = learningRate
        config.instructions = instructions
        return config
    }

    /// A configuration from a wire message, with its ranges checked.
    /// - Parameters:
    ///   - wire: the message.
    ///   - source: the task it came with, e.g. `task r3-hospital-a`.
    /// - Throws: `WireError.invalidField` naming the field (`local_epochs`, `batch_size`,
    ///   `learning_rate`), with the `RoundError` from `validate()` as the cause;
    ///   `.nonFinite` naming an instruction that is NaN or infinite.
    public init(wire: Feddata_V1_TrainingConfig, source: String) throws {
        self.init(localEpochs: Int(wire.localEpochs), batchSize: Int(wire.batchSize), learningRate: wire.learningRate,
                  instructions: try WireDecoding.finite(wire.instructions, field: "training config instructions", source: source))
        do {
            try validate()
        } catch let error as RoundError {
            let field = ["local epochs": "local_epochs", "batch size": "batch_size", "learning rate": "learning_rate"][error.source] ?? error.source
            throw WireError(.invalidField, source: source, "training config \(field): \(error.message)", cause: error)
        }
    }
}
