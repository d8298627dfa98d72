import FedDatasets
import FedSimulation
import FedTensor
import FedWorkloads
import Foundation
import Testing
@testable import FedNode

/// A node's local data: schemas (built-in and JSON files, each malformed case), reading a CSV
/// with a schema, the seeded hold-out split, standardisation on training rows only, the
/// per-hospital files, and shares of bundled datasets.
@Suite struct LocalDataTests {
    // MARK: Schemas

    @Test func builtInHeartDiseaseSchema() throws {
        let s = DataSchema.heartDisease
        try s.validate()
        #expect(s.origin == "heart-disease")
        #expect(s.features == HeartDisease.featureNames)
        #expect(s.labelColumn == "num")
        #expect(s.labelEncoding == .positiveAbove(0))
        #expect(s.zeroIsMissing == ["chol"])
        #expect(s.missingMarkers == ["", "?"])
        #expect(s.droppedColumns == ["hospital"])
        #expect(s.classCount == 2)
        #expect(s.inputShape == [13])
        #expect(DataSchema.builtInNames == ["heart-disease"])
        #expect(DataSchema.named("heart-disease") == s)
        #expect(DataSchema.named("mnist") == nil)
        #expect(try DataSchema.resolve("heart-disease") == s)
        // The CSV reader's view: 13 numeric features that may be missing, then the label.
        #expect(s.csvSchema.columns.map(\.name) == HeartDisease.featureNames + ["num"])
        #expect(s.csvSchema.columns.last == CSVSchema.Column("num", .numeric, allowsMissing: false))
    }

    @Test func schemaFileFromTheDocsParses() throws {
        let folder = try Self.temporaryFolder()
        let url = folder.appendingPathComponent("heart.json")
        try Data("""
        {"label": {"column": "num", "positive_above": 0},
         "features": ["age","sex","cp","trestbps","chol","fbs","restecg","thalach","exang","oldpeak","slope","ca","thal"],
         "missing": ["", "?"], "zero_is_missing": ["chol"], "categorical_drop": ["hospital"]}
        """.utf8).write(to: url)
        var expected = DataSchema.heartDisease
        expected.origin = url.path
        #expect(try DataSchema.load(from: url) == expected)
        // `--schema <path>`: a path that is not a built-in name is read as a file.
        #expect(try DataSchema.resolve(url.path) == expected)
    }

    @Test func schemaRoundTripsThroughJSON() throws {
        let folder = try Self.temporaryFolder()
        let original = try DataSchema(
            origin: "digits", labelColumn: "digit", labelEncoding: .classes(10), features: ["p0", "p1", "p2"],
            missingMarkers: ["NA"], zeroIsMissing: ["p1"], droppedColumns: ["writer", "notes"])
        for schema in [original, DataSchema.heartDisease] {
            let url = folder.appendingPathComponent("\(schema.origin).json")
            try schema.write(to: url)
            var expected = schema
            expected.origin = url.path
            #expect(try DataSchema.load(from: url) == expected)
        }
        let text = String(decoding: try original.jsonData(), as: UTF8.self)
        #expect(text.contains("\"classes\" : 10"))  // whole numbers are written as integers
        #expect(!text.contains("positive_above"))
    }

    /// One malformed schema per rule: the JSON, the path the error names (nil: the whole
    /// file) and a fragment of the message.
    static let malformedSchemas: [(json: String, path: String?, fragment: String)] = [
        ("{", nil, "found text that is not valid JSON"),
        ("[]", nil, "expected an object, found an array"),
        (#"{"features": ["a"]}"#, "label", "expected this key, found it missing"),
        (#"{"label": "y", "features": ["a"]}"#, "label", "expected an object, found a string"),
        (#"{"label": {"classes": 2}, "features": ["a"]}"#, "label.column", "expected this key, found it missing"),
        (#"{"label": {"column": 3, "classes": 2}, "features": ["a"]}"#, "label.column", "expected a string, found a number"),
        (#"{"label": {"column": "", "classes": 2}, "features": ["a"]}"#, "label.column", "expected a column name"),
        (#"{"label": {"column": "y"}, "features": ["a"]}"#, "label", "found neither"),
        (#"{"label": {"column": "y", "classes": 2, "positive_above": 0}, "features": ["a"]}"#, "label", "found both"),
        (#"{"label": {"column": "y", "classes": 2.5}, "features": ["a"]}"#, "label.classes", "expected an integer, found 2.5"),
        (#"{"label": {"column": "y", "classes": true}, "features": ["a"]}"#, "label.classes", "expected an integer, found a boolean"),
        (#"{"label": {"column": "y", "classes": 1}, "features": ["a"]}"#, "label.classes", "expected an integer ≥ 2, found 1"),
        (#"{"label": {"column": "y", "positive_above": "0"}, "features": ["a"]}"#, "label.positive_above", "expected a number, found a string"),
        (#"{"label": {"column": "y", "positive_above": 0, "colum": "z"}, "features": ["a"]}"#, "label.colum", "unknown key"),
        (#"{"label": {"column": "y", "classes": 2}}"#, "features", "expected this key, found it missing"),
        (#"{"label": {"column": "y", "classes": 2}, "features": "a"}"#, "features", "expected an array of strings, found a string"),
        (#"{"label": {"column": "y", "classes": 2}, "features": ["a", 2]}"#, "features[1]", "expected a string, found a number"),
        (#"{"label": {"column": "y", "classes": 2}, "features": []}"#, "features", "expected at least one feature column"),
        (#"{"label": {"column": "y", "classes": 2}, "features": ["a", "a"]}"#, "features[1]", "found 'a' again"),
        (#"{"label": {"column": "y", "classes": 2}, "features": ["a", "y"]}"#, "features[1]", "found the label column 'y'"),
        (#"{"label": {"column": "y", "classes": 2}, "features": ["a"], "missing": true}"#, "missing", "expected an array of strings, found a boolean"),
        (#"{"label": {"column": "y", "classes": 2}, "features": ["a"], "zero_is_missing": ["b"]}"#, "zero_is_missing", "found 'b', which is not in \"features\""),
        (#"{"label": {"column": "y", "classes": 2}, "features": ["a"], "categorical_drop": ["a"]}"#, "categorical_drop[0]", "neither a feature nor the label"),
        (#"{"label": {"column": "y", "classes": 2}, "feature": ["a"]}"#, "feature", "unknown key; expected one of \"label\", \"features\""),
    ]

    @Test(arguments: malformedSchemas)
    func malformedSchemaNamesFileAndPath(_ row: (json: String, path: String?, fragment: String)) throws {
        let url = try Self.temporaryFolder().appendingPathComponent("bad-schema.json")
        try Data(row.json.utf8).write(to: url)
        let e = try #require(throws: NodeDataError.self) { try DataSchema.load(from: url) }
        #expect(e.code == .invalidSchema)
        #expect(e.path == row.path, "\(e)")
        let prefix = url.path + (row.path.map { ": \"\($0)\": " } ?? ": ")
        #expect(e.description.hasPrefix(prefix), "\(e)")
        #expect(e.description.contains(row.fragment), "\(e)")
    }

    @Test func unknownSchemaNameOrMissingFile() throws {
        let e = try #require(throws: NodeDataError.self) { try DataSchema.resolve("heart-diseas") }
        #expect(e.code == .unknownSchema)
        #expect(e.description.contains("--schema heart-diseas"))
        #expect(e.description.contains("heart-disease"))
        let unreadable = try #require(throws: NodeDataError.self) {
            try DataSchema.load(from: URL(fileURLWithPath: "/nonexistent/schema.json"))
        }
        #expect(unreadable.code == .invalidSchema)
        #expect(unreadable.description.hasPrefix("/nonexistent/schema.json: expected a readable schema file"))
    }

    // MARK: Reading a CSV with a schema

    @Test func csvMissingASchemaColumnNamesFileAndSchema() throws {
        let url = try Self.write("age,sex,num\n63,1,0\n", name: "no-chol.csv")
        let e = try #require(throws: NodeDataError.self) { try LocalData.read(csv: url, schema: .heartDisease) }
        #expect(e.code == .missingColumn)
        #expect(e.line == 1)
        #expect(e.description.hasPrefix("\(url.path), line 1: schema heart-disease needs a column the file lacks"))
        #expect(e.description.contains("'cp'"))  // the first schema column absent from the header
    }

    @Test func csvReaderErrorsNameFileAndLine() throws {
        let schema = try DataSchema(origin: "s", labelColumn: "y", labelEncoding: .classes(3), features: ["a", "b"])
        // A bad number in a feature: the reader's error, unchanged.
        let badNumber = try Self.write("a,b,y\n1,2,0\n1,x,1\n", name: "bad-number.csv")
        let e1 = try #require(throws: DatasetError.self) { try LocalData.read(csv: badNumber, schema: schema) }
        #expect(e1.code == .invalidValue)
        #expect(e1.description.hasPrefix("\(badNumber.path), line 3: "))
        // A missing label.
        let noLabel = try Self.write("a,b,y\n1,2,\n", name: "no-label.csv")
        let e2 = try #require(throws: DatasetError.self) { try LocalData.read(csv: noLabel, schema: schema) }
        #expect(e2.description.hasPrefix("\(noLabel.path), line 2: "))
        // A class outside 0..<3.
        let badClass = try Self.write("a,b,y\n1,2,0\n3,4,2\n5,6,3\n", name: "bad-class.csv")
        let e3 = try #require(throws: NodeDataError.self) { try LocalData.read(csv: badClass, schema: schema) }
        #expect(e3.code == .invalidData)
        #expect(e3.description == "\(badClass.path), line 4: column 'y': expected a class in 0..<3, found 3")
    }

    @Test func csvFeaturesInSchemaOrderWithMissingValues() throws {
        // Columns in another order than the schema's, an ignored column, missing markers, a
        // zero that means missing, and a binarised label.
        let url = try Self.write("""
        note,b,y,a
        x,5,0.5,1
        y,NA,2,0
        z,-1,7.25,?
        """, name: "order.csv")
        let schema = try DataSchema(origin: "s", labelColumn: "y", labelEncoding: .positiveAbove(1.5), features: ["a", "b"],
                                    missingMarkers: ["NA", "?"], zeroIsMissing: ["a"], droppedColumns: ["note"])
        let d = try LocalData.read(csv: url, schema: schema)
        #expect(d.featureShape == [2])
        #expect(d.classCount == 2)
        #expect(d.labels == [0, 1, 1])
        #expect(d.features.map(\.bitPattern) == [1, 5, Float.nan, .nan, .nan, -1].map(\.bitPattern))
    }

    // MARK: Hold-out split and standardisation

    @Test func holdOutIsSeededDisjointAndCovering() throws {
        let a = try LocalData.holdOut(count: 50, evaluationFraction: 0.2, seed: 7)
        let b = try LocalData.holdOut(count: 50, evaluationFraction: 0.2, seed: 7)
        let c = try LocalData.holdOut(count: 50, evaluationFraction: 0.2, seed: 8)
        #expect(a == b)
        #expect(a.evaluation != c.evaluation)
        for split in [a, c] {
            #expect(split.evaluation.count == 10)
            #expect(split.train.count == 40)
            #expect(Set(split.train).isDisjoint(with: split.evaluation))
            #expect((split.train + split.evaluation).sorted() == Array(0..<50))
            #expect(split.train == split.train.sorted() && split.evaluation == split.evaluation.sorted())
        }
        // Rounding, and the least of each side.
        #expect(try LocalData.holdOut(count: 294, evaluationFraction: 0.2, seed: 1).evaluation.count == 59)  // 58.8
        #expect(try LocalData.holdOut(count: 2, evaluationFraction: 0.2, seed: 1).evaluation.count == 1)
        #expect(try LocalData.holdOut(count: 3, evaluationFraction: 0.9, seed: 1).train.count == 1)
        #expect(try LocalData.holdOut(count: 1, evaluationFraction: 0, seed: 1) == ([0], []))
    }

    @Test(arguments: [(-0.1, 10), (1.0, 10), (Double.nan, 10)])
    func holdOutRejectsABadFraction(_ fraction: Double, _ count: Int) throws {
        let e = try #require(throws: NodeDataError.self) { try LocalData.holdOut(count: count, evaluationFraction: fraction, seed: 1) }
        #expect(e.code == .invalidParameter)
        #expect(e.source == "evaluationFraction")
    }

    @Test func tooFewRowsNamesTheFile() throws {
        let url = try Self.write("a,y\n1,0\n", name: "one-row.csv")
        let schema = try DataSchema(origin: "s", labelColumn: "y", labelEncoding: .classes(2), features: ["a"])
        let e = try #require(throws: NodeDataError.self) { try LocalData.load(csv: url, schema: schema, seed: 1) }
        #expect(e.code == .invalidData)
        #expect(e.description == "\(url.path): expected at least 2 data rows (20% held out for evaluation), found 1")
        // With nothing held out, one row is enough.
        let all = try LocalData.load(csv: url, schema: schema, evaluationFraction: 0, seed: 1)
        #expect(all.train.count == 1 && all.evaluation.count == 0)
    }

    /// Four rows, one held out (seed 3 holds out the last row). By hand, from the three
    /// training rows only: x = 1, 2, 3 has mean 2 and population s.d. √(2/3) ≈ 0.8165;
    /// y = 10, missing, 30 has mean 20 and s.d. 10. Had the held-out row (x = 100) been used,
    /// the mean of x would be 26.5.
    @Test func standardizationUsesOnlyTrainingRows() throws {
        let url = try Self.write("x,y,label\n1,10,0\n2,,1\n3,30,0\n100,?,1\n", name: "four-rows.csv")
        let schema = try DataSchema(origin: "s", labelColumn: "label", labelEncoding: .classes(2), features: ["x", "y"])
        #expect(try LocalData.holdOut(count: 4, evaluationFraction: 0.25, seed: 3) == ([0, 1, 2], [3]))
        let data = try LocalData.load(csv: url, schema: schema, evaluationFraction: 0.25, seed: 3)
        let s = try #require(data.standardizer)
        #expect(s.means == [2, 20])
        #expect(abs(s.standardDeviations[0] - 0.816_496_6) < 1e-6)
        #expect(s.standardDeviations[1] == 10)
        let sd = Float(0.816_496_6)
        // Training rows: x → (x − 2) / sd; y → (y − 20) / 10, the missing y → the mean → 0.
        let train: [Float] = [-1 / sd, -1, 0, 0, 1 / sd, 1]
        for (got, want) in zip(data.train.features, train) { #expect(abs(got - want) < 1e-5) }
        #expect(data.train.labels == [0, 1, 0])
        // The held-out row, with the training statistics: (100 − 2) / sd ≈ 120.025; missing y → 0.
        #expect(abs(data.evaluation.features[0] - 98 / sd) < 1e-3)
        #expect(data.evaluation.features[1] == 0)
        #expect(data.evaluation.labels == [1])
        #expect(data.inputShape == [2])
        #expect(data.classCount == 2)
        #expect(data.source == url.path)
    }

    // MARK: Hospital files

    @Test func hospitalFilesMatchTheCombinedFile() throws {
        let folder = try Self.temporaryFolder().appendingPathComponent("hospitals")  // created by the writer
        let files = try LocalData.writeHospitalFiles(to: folder)
        #expect(files.map(\.lastPathComponent) == ["heart-cleveland.csv", "heart-hungary.csv", "heart-switzerland.csv", "heart-va_long_beach.csv"])
        let combined = try HeartDisease.load(csv: LocalData.bundledHeartDiseaseFile)
        let originalHeader = try String(contentsOf: LocalData.bundledHeartDiseaseFile, encoding: .utf8).split(separator: "\n").first
        for (file, hospital) in zip(files, combined.partitions) {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(text.split(separator: "\n").first == originalHeader)
            // The same raw features (NaN included, bit for bit) and labels as the combined file's rows.
            let own = try LocalData.read(csv: file, schema: .heartDisease)
            let expected = combined.dataset.subset(indices: hospital.indices)
            #expect(own.count == hospital.count)
            #expect(own.labels == expected.labels)
            #expect(own.features.map(\.bitPattern) == expected.features.map(\.bitPattern))
            #expect(own.featureShape == [13] && own.classCount == 2)
        }
        #expect(files.map { (try? LocalData.read(csv: $0, schema: .heartDisease).count) ?? 0 } == [303, 294, 123, 200])
        // No temporary files are left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == files.map(\.lastPathComponent).sorted())
    }

    /// The equivalence that matters: `--data heart-hungary.csv --schema heart-disease` gives
    /// exactly the Hungary rows of `HeartDisease.load`, then splits and standardises them locally.
    @Test func hungaryNodeEqualsHungaryRowsOfTheCombinedFile() throws {
        let folder = try Self.temporaryFolder()
        try LocalData.writeHospitalFiles(to: folder)
        let hungaryFile = folder.appendingPathComponent("heart-hungary.csv")
        let combined = try HeartDisease.load(csv: LocalData.bundledHeartDiseaseFile)
        let hungary = try #require(combined.partitions.first { $0.id == "hungary" })
        let raw = combined.dataset.subset(indices: hungary.indices)
        let own = try LocalData.read(csv: hungaryFile, schema: try DataSchema.resolve("heart-disease"))
        #expect(own.features.map(\.bitPattern) == raw.features.map(\.bitPattern))
        #expect(own.labels == raw.labels)
        #expect(own.features.contains { $0.isNaN })  // Hungary has missing values to impute

        let node = try LocalData.load(csv: hungaryFile, schema: .heartDisease, seed: 42)
        #expect(node.train.count == 235 && node.evaluation.count == 59)
        #expect(node.inputShape == [13] && node.classCount == 2)
        #expect(!node.train.features.contains { $0.isNaN } && !node.evaluation.features.contains { $0.isNaN })
        // The node's statistics are its own training rows' statistics.
        let split = try LocalData.holdOut(count: 294, evaluationFraction: 0.2, seed: 42)
        #expect(node.standardizer == Standardizer.fit(on: raw, indices: split.train))
        #expect(node.train.labels == split.train.map { raw.labels[$0] })
    }

    @Test func hospitalFilesRejectAnUnknownHospital() throws {
        let url = try Self.write("hospital,age,num\ncleveland,63,0\nmars,40,1\n", name: "mars.csv")
        let e = try #require(throws: NodeDataError.self) { try LocalData.writeHospitalFiles(from: url, to: try Self.temporaryFolder()) }
        #expect(e.code == .invalidData)
        #expect(e.description.hasPrefix("\(url.path), line 3: column 'hospital'"))
    }

    // MARK: Bundled datasets

    @Test func evaluationSlicesAreContiguousAndCover() {
        #expect((0..<3).map { LocalData.evaluationSlice(count: 10, nodes: 3, nodeIndex: $0) } == [0..<4, 4..<7, 7..<10])
        #expect((0..<10).map { LocalData.evaluationSlice(count: 10_000, nodes: 10, nodeIndex: $0).count } == Array(repeating: 1000, count: 10))
        #expect(LocalData.evaluationSlice(count: 10_000, nodes: 10, nodeIndex: 3) == 3000..<4000)
    }

    @Test func bundledHeartDiseaseNaturalGivesEachNodeItsHospital() throws {
        let catalog = try DatasetCatalog.load("heart-disease")
        let natural = try #require(catalog.naturalPartition)
        let test = try #require(catalog.test as? LabeledDataset)
        let train = try #require(catalog.train as? LabeledDataset)
        for i in 0..<4 {
            let node = try LocalData.bundled(dataset: "heart-disease", partition: "natural", nodes: 4, nodeIndex: i, seed: 1)
            #expect(node.train == train.subset(indices: natural[i].indices))
            #expect(node.evaluation == test.subset(indices: Array(LocalData.evaluationSlice(count: test.count, nodes: 4, nodeIndex: i))))
            #expect(node.source.contains(HeartDisease.hospitalNames[i]))
            #expect(node.standardizer == nil)
        }
        // Node 1 is Hungary: 235 training rows; the 185 test rows cut 47, 46, 46, 46.
        let hungary = try LocalData.bundled(dataset: "heart-disease", partition: "natural", nodes: 4, nodeIndex: 1, seed: 1)
        #expect(hungary.train.count == 235 && hungary.evaluation.count == 46)
    }

    static let badShares: [(partition: String, nodes: Int, nodeIndex: Int, source: String)] = [
        ("iid", 0, 0, "nodes"),
        ("iid", 4, 4, "nodeIndex"),
        ("iid", 4, -1, "nodeIndex"),
        ("natural", 3, 0, "nodes"),  // heart-disease has 4 natural clients
    ]

    @Test(arguments: badShares)
    func bundledRejectsAnImpossibleShare(_ row: (partition: String, nodes: Int, nodeIndex: Int, source: String)) throws {
        let e = try #require(throws: NodeDataError.self) {
            try LocalData.bundled(dataset: "heart-disease", partition: row.partition, nodes: row.nodes, nodeIndex: row.nodeIndex, seed: 1)
        }
        #expect(e.code == .invalidParameter)
        #expect(e.source == row.source, "\(e)")
    }

    @Test func bundledRejectsAnUnknownPartitionOrDataset() throws {
        #expect(throws: SimulationError.self) {
            try LocalData.bundled(dataset: "heart-disease", partition: "bogus", nodes: 4, nodeIndex: 0, seed: 1)
        }
        #expect(throws: WorkloadError.self) {
            try LocalData.bundled(dataset: "cifar", partition: "iid", nodes: 4, nodeIndex: 0, seed: 1)
        }
    }

    @Test func bundledHeartDiseaseIIDSharesAreDisjoint() throws {
        let shares = try (0..<3).map { try LocalData.bundled(dataset: "heart-disease", partition: "iid", nodes: 3, nodeIndex: $0, seed: 9) }
        let catalog = try DatasetCatalog.load("heart-disease")
        let partitions = try PartitionScheme.iid.partition(catalog.train, nodes: 3, seed: 9)
        #expect(partitions.flatMap(\.indices).sorted() == Array(0..<catalog.train.count))
        let train = try #require(catalog.train as? LabeledDataset)
        for (share, p) in zip(shares, partitions) { #expect(share.train == train.subset(indices: p.indices)) }
        #expect(shares.map(\.evaluation.count).reduce(0, +) == catalog.test.count)
    }

    /// MNIST, IID, node 3 of 10: 6,000 training images (the simulator's share for that seed)
    /// and test images 3,000..<4,000.
    @Test func bundledMNISTIIDNodeThreeOfTen() throws {
        let node = try LocalData.bundled(dataset: "mnist", partition: "iid", nodes: 10, nodeIndex: 3, seed: 7)
        #expect(node.inputShape == [28, 28, 1])
        #expect(node.classCount == 10)
        #expect(node.train.count == 6000)
        #expect(node.evaluation.count == 1000)
        let catalog = try DatasetCatalog.load("mnist")
        let train = try #require(catalog.train as? LabeledDataset)
        let test = try #require(catalog.test as? LabeledDataset)
        let share = try PartitionScheme.iid.partition(train, nodes: 10, seed: 7)[3]
        #expect(node.train.labels == share.indices.map { train.labels[$0] })
        #expect(node.train.features(of: 17) == train.features(of: share.indices[17]))
        #expect(node.evaluation.labels == Array(test.labels[3000..<4000]))
        #expect(node.evaluation.features(of: 0) == test.features(of: 3000))
    }

    // MARK: Helpers

    static func temporaryFolder() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("LocalDataTests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    static func write(_ text: String, name: String) throws -> URL {
        let url = try temporaryFolder().appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url
    }
}
