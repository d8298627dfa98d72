import FedTensor

/// The name and shape of one trainable tensor of a model.
public struct ParameterSpec: Sendable, Equatable {
    /// A dotted name such as `fc1.weight` (the key in safetensors files).
    public var name: String
    /// The tensor's shape. Weights of dense layers are stored `[in, out]`.
    public var shape: [Int]

    /// Creates a parameter description.
    public init(name: String, shape: [Int]) {
        self.name = name
        self.shape = shape
    }

    /// The number of scalars in the tensor.
    public var count: Int { shape.reduce(1, *) }
}

/// A model's parameters: named, ordered tensors. This is what federated fusion moves
/// between parties, what checkpoints store, and what safetensors files hold.
public struct ModelParameters: Sendable, Equatable {
    /// The parameter names, in model order.
    public private(set) var names: [String]
    /// The tensors, parallel to `names`.
    public var tensors: [Tensor]

    /// Creates a parameter set from parallel names and tensors.
    /// - Precondition: the arrays have equal length and the names are unique.
    public init(names: [String], tensors: [Tensor]) {
        precondition(names.count == tensors.count, "ModelParameters: \(names.count) names for \(tensors.count) tensors")
        precondition(Set(names).count == names.count, "ModelParameters: duplicate names in \(names)")
        self.names = names
        self.tensors = tensors
    }

    /// Zero tensors shaped like `specs`.
    public init(zerosLike specs: [ParameterSpec]) {
        self.init(names: specs.map(\.name), tensors: specs.map { Tensor(zeros: $0.shape) })
    }

    /// The names and shapes of the tensors.
    public var specs: [ParameterSpec] {
        zip(names, tensors).map { ParameterSpec(name: $0, shape: $1.shape) }
    }

    /// The total number of scalars.
    public var scalarCount: Int { tensors.reduce(0) { $0 + $1.count } }

    /// The tensor with the given name, if any.
    public subscript(name: String) -> Tensor? {
        guard let i = names.firstIndex(of: name) else { return nil }
        return tensors[i]
    }

    /// All scalars concatenated in model order (the flat vector fusion works on).
    public func flattened() -> [Float] {
        var out = [Float]()
        out.reserveCapacity(scalarCount)
        for t in tensors { out.append(contentsOf: t.scalars) }
        return out
    }

    /// Parameters shaped like `specs`, filled from a flat vector in model order.
    /// - Throws: `ModelError` if the vector's length does not match the specs.
    public init(flat: [Float], specs: [ParameterSpec], source: String = "flat vector") throws {
        let expected = specs.reduce(0) { $0 + $1.count }
        guard flat.count == expected else {
            throw ModelError(.shapeMismatch, source: source, "expected \(expected) scalars for \(specs.count) tensors, got \(flat.count)")
        }
        var tensors: [Tensor] = []
        var offset = 0
        for s in specs {
            tensors.append(Tensor(shape: s.shape, scalars: Array(flat[offset..<offset + s.count])))
            offset += s.count
        }
        self.init(names: specs.map(\.name), tensors: tensors)
    }

    /// Checks that these parameters fit `specs` exactly (same names, order, shapes) and are finite.
    /// - Throws: `ModelError` naming `source`, the first offending tensor and what was expected.
    public func validate(against specs: [ParameterSpec], source: String) throws {
        guard names.count == specs.count else {
            throw ModelError(.shapeMismatch, source: source, "expected \(specs.count) tensors (\(specs.map(\.name).joined(separator: ", "))), got \(names.count)")
        }
        for (i, s) in specs.enumerated() {
            guard names[i] == s.name else {
                throw ModelError(.shapeMismatch, source: source, "tensor \(i): expected name '\(s.name)', got '\(names[i])'")
            }
            guard tensors[i].shape == s.shape else {
                throw ModelError(.shapeMismatch, source: source, "tensor '\(s.name)': expected shape \(s.shape), got \(tensors[i].shape)")
            }
            if let bad = tensors[i].scalars.firstIndex(where: { !$0.isFinite }) {
                throw ModelError(.nonFinite, source: source, "tensor '\(s.name)': element \(bad) is \(tensors[i].scalars[bad]); expected finite values")
            }
        }
    }
}
