import FedTensor

/// The models known by name to the command line and to federations.
public enum ModelZoo {
    /// The valid model names.
    public static let names = ["logreg", "2nn", "cnn", "char-lstm"]

    /// Builds the named model for a dataset's input shape and class count.
    /// - Throws: `ModelError.unknownName` listing the valid names, or
    ///   `ModelError.incompatibleInput` when the model cannot take this input.
    public static func make(_ name: String, inputShape: [Int], classCount: Int) throws -> any Model {
        switch name {
        case "logreg":
            return LogisticRegression(inputShape: inputShape, classCount: classCount)
        case "2nn":
            return MLP.twoNN(inputShape: inputShape, classCount: classCount)
        case "cnn":
            guard inputShape.count == 3, inputShape[0] >= 4, inputShape[1] >= 4 else {
                throw ModelError(.incompatibleInput, source: "--model cnn", "the CNN needs image inputs [H, W, C]; this dataset's samples have shape \(inputShape)")
            }
            return FedAvgCNN(inputShape: inputShape, classCount: classCount)
        case "char-lstm":
            guard inputShape.count == 1 else {
                throw ModelError(.incompatibleInput, source: "--model char-lstm", "the character LSTM needs sequences of character indices; this dataset's samples have shape \(inputShape)")
            }
            return CharLSTM(vocabularySize: classCount, sequenceLength: inputShape[0])
        default:
            throw ModelError(.unknownName, source: "--model \(name)", "unknown model; expected one of: \(names.joined(separator: ", "))")
        }
    }
}
