/// One client's LEAF `-t sample` train/test split (Shakespeare's split is not random).
///
/// For a role with n ≥ 2 samples, n_train = max(1, ⌊p·n⌋) (1 when n = 2); train is samples
/// `0..<n_train`, test is `n_train + 79 ..< n`, so that no test window overlaps the text of a
/// training window. Roles whose test part is empty are left out of the split.
public struct ShakespeareClientSplit: Sendable, Hashable {
    /// The role's client id.
    public let clientID: String
    /// The role's position in `ShakespeareDataset.roles`.
    public let role: Int
    /// The training sample offsets.
    public let train: Range<Int>
    /// The test sample offsets.
    public let test: Range<Int>

    /// Creates a split.
    public init(clientID: String, role: Int, train: Range<Int>, test: Range<Int>) {
        self.clientID = clientID
        self.role = role
        self.train = train
        self.test = test
    }

    /// The test-sample count LEAF records, n − n_train (it ignores the 79-sample gap).
    public var leafReportedTestCount: Int { test.upperBound - train.count }
}
