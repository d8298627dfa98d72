/// An error from FedModels: a bad model file, a parameter set that does not fit the model,
/// or an unknown model name. It names the source (file, peer, argument) and what was expected.
public struct ModelError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What kind of failure this is.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        /// Parameter names or shapes differ from the model's.
        public static let shapeMismatch = Code(raw: "shape mismatch")
        /// A parameter holds NaN or ±Inf.
        public static let nonFinite = Code(raw: "non-finite value")
        /// A safetensors file is malformed (header, offsets, dtype, truncation).
        public static let malformedFile = Code(raw: "malformed file")
        /// A file could not be read or written.
        public static let io = Code(raw: "i/o error")
        /// A model or option name is not known.
        public static let unknownName = Code(raw: "unknown name")
        /// The model cannot take this dataset's input.
        public static let incompatibleInput = Code(raw: "incompatible input")
        public var description: String { raw }
    }

    /// The kind of failure.
    public var code: Code
    /// The file, peer or argument the bad input came from.
    public var source: String
    /// What was expected and what was found.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, source: String, _ message: String) {
        self.code = code
        self.source = source
        self.message = message
    }

    public var description: String { "\(source): \(code): \(message)" }
}
