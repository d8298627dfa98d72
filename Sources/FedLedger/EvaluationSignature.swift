/// The numbers a node signs for an evaluation result (`LedgerEvaluation.signedMessage`'s
/// metrics): `loss`, `accuracy` and `samples`, so node and coordinator sign and check the same bytes.
public enum EvaluationSignature {
    /// The signed metrics of an evaluation.
    public static func metrics(loss: Double, accuracy: Double, samples: Int) -> [String: Double] {
        ["loss": loss, "accuracy": accuracy, "samples": Double(samples)]
    }
}
