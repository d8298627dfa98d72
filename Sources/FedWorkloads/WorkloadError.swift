/// An error in choosing or configuring a workload: an unknown dataset, model or option value.
/// It names the option and lists what is valid.
public struct WorkloadError: Error, CustomStringConvertible, Sendable, Equatable {
    /// The option or input at fault, e.g. `--dataset cifar`.
    public var source: String
    /// What was expected and what was found.
    public var message: String

    /// Creates an error.
    public init(source: String, _ message: String) {
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(message)" }
}
