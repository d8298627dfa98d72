/// One round's global metrics; a metric that was not measured is `nil`.
public struct ReportRound: Sendable, Equatable {
    /// The round number.
    public var round: Int
    /// The global model's accuracy after the round, in [0, 1].
    public var accuracy: Double?
    /// The global model's loss after the round.
    public var loss: Double?
    /// The privacy budget ε spent up to and including this round.
    public var epsilon: Double?

    /// Creates a record.
    /// - Parameters:
    ///   - round: The round number.
    ///   - accuracy: Accuracy after the round, if measured.
    ///   - loss: Loss after the round, if measured.
    ///   - epsilon: Cumulative ε, if accounted.
    public init(round: Int, accuracy: Double? = nil, loss: Double? = nil, epsilon: Double? = nil) {
        self.round = round
        self.accuracy = accuracy
        self.loss = loss
        self.epsilon = epsilon
    }
}
