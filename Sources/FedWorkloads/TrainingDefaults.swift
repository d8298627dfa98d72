/// Default hyperparameters for central training of each (dataset, model) pair, chosen so that
/// the accuracy targets are met with the default epochs (see the README's numbers).
public enum TrainingDefaults {
    /// The default configuration; the command line overrides single fields.
    public static func configuration(dataset: String, model: String) -> TrainingConfiguration {
        switch (dataset, model) {
        case ("heart-disease", _):
            return TrainingConfiguration(epochs: 20, batchSize: 16, optimizer: .sgd(learningRate: 0.05, momentum: 0.9, weightDecay: 1e-4))
        case ("shakespeare", _):
            return TrainingConfiguration(epochs: 1, batchSize: 32, optimizer: .adam(learningRate: 2e-3, weightDecay: 0))
        case (_, "cnn"):
            return TrainingConfiguration(epochs: 3, batchSize: 32, optimizer: .sgd(learningRate: 0.02, momentum: 0.9, weightDecay: 0), schedule: .cosine)
        case (_, "logreg"):
            return TrainingConfiguration(epochs: 5, batchSize: 32, optimizer: .sgd(learningRate: 0.05, momentum: 0.9, weightDecay: 0))
        default:  // 2nn on images: 98.2% on MNIST after 5 epochs (97.5% with a constant rate)
            return TrainingConfiguration(epochs: 5, batchSize: 32, optimizer: .sgd(learningRate: 0.05, momentum: 0.9, weightDecay: 0),
                                         schedule: .cosine)
        }
    }
}
