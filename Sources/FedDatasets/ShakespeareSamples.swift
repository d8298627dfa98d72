import FedTensor

/// A flat, indexable view of some Shakespeare samples: a list of (role, offset range)
/// segments numbered one after another. Use it to train on the LEAF train (or test) parts of
/// many roles as one `SampleSource`; inputs are `[B, 80]` character indices stored as `Float`.
public struct ShakespeareSamples: SampleSource {
    /// The dataset the samples are drawn from (its roles' texts are shared, not copied).
    public let dataset: ShakespeareDataset
    /// The segments, in numbering order.
    public let segments: [(role: Int, offsets: Range<Int>)]
    private let starts: [Int]  // starts[i] = global index of segments[i]'s first sample

    /// Creates a view over `segments` of `dataset`. Characters outside LEAF's alphabet are
    /// mapped to the space (index 1) so that every index is a valid embedding row.
    public init(dataset: ShakespeareDataset, segments: [(role: Int, offsets: Range<Int>)]) {
        var d = dataset
        d.outOfAlphabetIndex = 1
        self.dataset = d
        self.segments = segments
        var starts: [Int] = []
        var total = 0
        for s in segments {
            starts.append(total)
            total += s.offsets.count
        }
        self.starts = starts + [total]
    }

    /// The LEAF training (or test) parts of the given client splits.
    public init(dataset: ShakespeareDataset, splits: [ShakespeareClientSplit], part: KeyPath<ShakespeareClientSplit, Range<Int>>) {
        self.init(dataset: dataset, segments: splits.map { ($0.role, $0[keyPath: part]) })
    }

    public var count: Int { starts.last ?? 0 }
    public var sampleShape: [Int] { [ShakespeareDataset.sequenceLength] }
    public var classCount: Int { ShakespeareAlphabet.count }

    /// The segment and offset of a global sample index (binary search).
    func locate(_ index: Int) -> (role: Int, offset: Int) {
        precondition(index >= 0 && index < count, "ShakespeareSamples: index \(index) outside 0..<\(count)")
        var lo = 0, hi = segments.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if starts[mid] <= index { lo = mid } else { hi = mid - 1 }
        }
        return (segments[lo].role, segments[lo].offsets.lowerBound + index - starts[lo])
    }

    public func batch(_ indices: ArraySlice<Int>) -> Batch {
        let length = ShakespeareDataset.sequenceLength
        var inputs = [Float]()
        inputs.reserveCapacity(indices.count * length)
        var labels = [Int32]()
        labels.reserveCapacity(indices.count)
        for i in indices {
            let (role, offset) = locate(i)
            let b = dataset.batch(role: role, offsets: CollectionOfOne(offset))
            for v in b.indices { inputs.append(Float(v)) }
            labels.append(b.labels[0])
        }
        return Batch(inputs: Tensor(shape: [indices.count, length], scalars: inputs), labels: labels)
    }

    public func label(at index: Int) -> Int32 {
        let (role, offset) = locate(index)
        return dataset.batch(role: role, offsets: CollectionOfOne(offset)).labels[0]
    }
}
