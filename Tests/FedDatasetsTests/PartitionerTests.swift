import FedTensor
import Testing
@testable import FedDatasets

/// Every index in `0..<n` appears in exactly one partition.
func coversExactlyOnce(_ parts: [ClientPartition], _ n: Int) -> Bool {
    parts.flatMap(\.indices).sorted() == Array(0..<n)
}

@Suite struct PartitionerTests {
    /// 12 samples, labels 0,0,0,0,1,1,1,1,2,2,2,2.
    static let twelve: [Int32] = (0..<12).map { Int32($0 / 4) }

    @Test func iidDealsEqually() throws {
        var rng = SeededRandom(seed: 7)
        let parts = try IIDPartitioner(clientCount: 3).partition(labels: Self.twelve, rng: &rng)
        #expect(parts.map(\.id) == ["client-0", "client-1", "client-2"])
        #expect(parts.map(\.count) == [4, 4, 4])
        #expect(coversExactlyOnce(parts, 12))
        var rng2 = SeededRandom(seed: 7)
        let uneven = try IIDPartitioner(clientCount: 5).partition(sampleCount: 12, rng: &rng2)
        #expect(uneven.map(\.count) == [3, 3, 2, 2, 2])
    }

    @Test func shardsByHand() throws {
        // 3 clients × 2 shards = 6 shards of 2: {0,1} {2,3} {4,5} {6,7} {8,9} {10,11} by label order.
        var rng = SeededRandom(seed: 3)
        let parts = try ShardPartitioner(clientCount: 3, shardsPerClient: 2).partition(labels: Self.twelve, rng: &rng)
        #expect(coversExactlyOnce(parts, 12))
        for p in parts {
            #expect(p.count == 4)
            // Each client holds two whole shards: pairs (2k, 2k+1).
            #expect(p.indices.allSatisfy { p.indices.contains($0 ^ 1) })
        }
    }

    @Test func shardSortIsStableByLabel() throws {
        // Labels out of order: sorting must keep index order within a label.
        let labels: [Int32] = [1, 0, 1, 0]
        var rng = SeededRandom(seed: 0)
        let parts = try ShardPartitioner(clientCount: 2, shardsPerClient: 1).partition(labels: labels, rng: &rng)
        #expect(Set(parts.map(\.indices)) == [[1, 3], [0, 2]])
    }

    @Test func naturalByKeyInFirstAppearanceOrder() throws {
        let parts = NaturalPartitioner().partition(keys: ["b", "a", "b", "c", "a"])
        #expect(parts == [
            ClientPartition(id: "b", indices: [0, 2]), ClientPartition(id: "a", indices: [1, 4]),
            ClientPartition(id: "c", indices: [3]),
        ])
        let ranged = try NaturalPartitioner().partition(ranges: [("w1", 0..<2), ("w2", 2..<5)])
        #expect(ranged.map(\.indices) == [[0, 1], [2, 3, 4]])
        #expect(throws: DatasetError.self) { try NaturalPartitioner().partition(ranges: [("w1", 0..<3), ("w2", 2..<5)]) }
    }

    @Test func dirichletCoversAndRespectsMinimumSize() throws {
        var rng = SeededRandom(seed: 11)
        let parts = try DirichletPartitioner(clientCount: 3, alpha: 0.5).partition(labels: Self.twelve, rng: &rng)
        #expect(parts.count == 3)
        #expect(parts.allSatisfy { $0.count >= 1 })
        #expect(coversExactlyOnce(parts, 12))
    }

    @Test(arguments: [
        ("iid", IIDPartitioner(clientCount: 13) as any Partitioner, "clientCount"),
        ("iid-zero", IIDPartitioner(clientCount: 0), "clientCount"),
        ("shards", ShardPartitioner(clientCount: 5, shardsPerClient: 2), "shardCount"),
        ("shards-zero", ShardPartitioner(clientCount: 3, shardsPerClient: 0), "shardsPerClient"),
        ("alpha0", DirichletPartitioner(clientCount: 3, alpha: 0), "alpha"),
        ("alpha-", DirichletPartitioner(clientCount: 3, alpha: -1), "alpha"),
        ("dirichlet", DirichletPartitioner(clientCount: 13, alpha: 1), "clientCount"),
    ])
    func impossibleConfigurations(name: String, partitioner: any Partitioner, parameter: String) throws {
        var rng = SeededRandom(seed: 1)
        let error = try #require(throws: DatasetError.self) { try partitioner.partition(labels: PartitionerTests.twelve, rng: &rng) }
        #expect(error.code == .invalidParameter)
        #expect(error.source == parameter)
        #expect(error.description.contains("expected"))
    }

    @Test func dirichletGivesUpWhenMinimumCannotBeMet() throws {
        // Two samples of one class and α tiny: a client nearly always gets both.
        var rng = SeededRandom(seed: 1)
        let p = DirichletPartitioner(clientCount: 2, alpha: 0.001, minSamplesPerClient: 1, maxAttempts: 5)
        let error = try #require(throws: DatasetError.self) { try p.partition(labels: [0, 0], rng: &rng) }
        #expect(error.code == .invalidParameter)
        #expect(error.description.contains("5 attempts"))
    }

    @Test(arguments: ["iid", "dirichlet", "shards"])
    func sameSeedSameSplitOtherSeedOtherSplit(kind: String) throws {
        let labels: [Int32] = (0..<600).map { Int32($0 % 10) }
        let partitioner: any Partitioner = switch kind {
        case "iid": IIDPartitioner(clientCount: 6)
        case "dirichlet": DirichletPartitioner(clientCount: 6, alpha: 0.5)
        default: ShardPartitioner(clientCount: 6, shardsPerClient: 2)
        }
        var a = SeededRandom(seed: 42), b = SeededRandom(seed: 42), c = SeededRandom(seed: 43)
        let pa = try partitioner.partition(labels: labels, rng: &a)
        let pb = try partitioner.partition(labels: labels, rng: &b)
        let pc = try partitioner.partition(labels: labels, rng: &c)
        #expect(pb == pa)
        #expect(pc != pa)
        #expect(coversExactlyOnce(pa, 600))
    }
}
