/// One FEMNIST writer (a NIST form id such as `f3313_11`) and the contiguous ranges of
/// training and test images that they wrote: the natural FEMNIST client.
public struct FEMNISTWriter: Sendable, Hashable {
    /// The writer id.
    public var id: String
    /// The LEAF shard the writer came from.
    public var leafShard: Int
    /// The writer's images in the training set.
    public var train: Range<Int>
    /// The writer's images in the test set.
    public var test: Range<Int>

    /// Creates a writer record.
    public init(id: String, leafShard: Int, train: Range<Int>, test: Range<Int>) {
        self.id = id
        self.leafShard = leafShard
        self.train = train
        self.test = test
    }
}
