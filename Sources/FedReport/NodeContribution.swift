/// A node's contribution value under one valuation method (e.g. GTG-Shapley, leave-one-out).
public struct NodeContribution: Sendable, Equatable {
    /// The node's name.
    public var node: String
    /// The method's name.
    public var method: String
    /// The value (in utility units, e.g. accuracy points; may be negative).
    public var value: Double

    /// Creates a contribution.
    /// - Parameters:
    ///   - node: The node's name.
    ///   - method: The valuation method.
    ///   - value: The node's value.
    public init(node: String, method: String, value: Double) {
        self.node = node
        self.method = method
        self.value = value
    }
}
