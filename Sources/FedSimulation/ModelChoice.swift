import FedDatasets
import FedModels

/// The model a simulation trains: a model-zoo name (built for the dataset's sample shape and
/// class count) or a ready model value.
public enum ModelChoice: Sendable {
    /// A `ModelZoo` name: `logreg`, `2nn`, `cnn`, `char-lstm`.
    case named(String)
    /// A model value (any architecture conforming to `Model`).
    case custom(any Model)

    /// The model for `data`.
    /// - Throws: `ModelError` for an unknown name or an input the model cannot take; a
    ///   `SimulationError` when a custom model's input shape or class count differ from the data's.
    public func resolve(for data: any SampleSource) throws -> any Model {
        switch self {
        case .named(let name):
            return try ModelZoo.make(name, inputShape: data.sampleShape, classCount: data.classCount)
        case .custom(let model):
            guard model.inputShape == data.sampleShape, model.classCount >= data.classCount else {
                throw SimulationError(.invalidConfiguration, source: "model \(model.name)",
                                      "the model takes inputs \(model.inputShape) into \(model.classCount) classes; the data has samples \(data.sampleShape) in \(data.classCount) classes")
            }
            return model
        }
    }
}
