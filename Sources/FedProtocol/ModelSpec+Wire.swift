extension Feddata_V1_ModelSpec {
    /// A model spec: what a node's data and model must be for a federation.
    /// - Parameters:
    ///   - name: the model's name in the zoo (`logreg`, `2nn`, `cnn`, `char-lstm`; empty in a
    ///     node's data spec, where the coordinator decides).
    ///   - inputShape: the shape of one sample, e.g. `[13]` or `[28, 28, 1]` (each ≥ 0).
    ///   - classCount: the number of classes (≥ 0).
    ///   - parameterCount: the model's total number of floats (≥ 0; 0 when not known).
    public init(name: String, inputShape: [Int], classCount: Int, parameterCount: Int) {
        precondition(inputShape.allSatisfy { $0 >= 0 && $0 <= Int(UInt32.max) }, "input shape \(inputShape) out of range")
        precondition(classCount >= 0 && classCount <= Int(UInt32.max), "class count \(classCount) out of range")
        precondition(parameterCount >= 0, "parameter count \(parameterCount) is negative")
        self.init()
        self.name = name
        self.inputShape = inputShape.map { UInt32($0) }
        self.classCount = UInt32(classCount)
        self.parameterCount = UInt64(parameterCount)
    }
}
