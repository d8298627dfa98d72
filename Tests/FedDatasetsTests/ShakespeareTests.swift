import Foundation
import FedTensor
import Testing
@testable import FedDatasets

@Suite struct ShakespeareTests {
    /// Parsed once for the suite (about a second in debug).
    static let dataset: ShakespeareDataset = try! ShakespeareDataset.load(
        completeWorks: FedBundledDataURL.file("shakespeare/shakespeare_complete_works.txt.gz"))

    @Test func roleTableEqualsGoldenTSV() throws {
        let tsv = try String(contentsOf: FedBundledDataURL.file("shakespeare/leaf_clients_by_role.tsv"), encoding: .utf8)
        var rows = tsv.split(separator: "\n", omittingEmptySubsequences: true).map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        #expect(rows.removeFirst() == ["client_id", "play", "character", "n_lines", "n_chars_normalized", "n_samples"])
        let roles = Self.dataset.roles
        #expect(rows.count == 1_145)
        #expect(roles.count == rows.count)
        let ours = roles.map { [$0.clientID, $0.play, $0.character, "\($0.fragmentCount)", "\($0.text.count)", "\($0.sampleCount)"] }
        for (i, (mine, golden)) in zip(ours, rows).enumerated() where mine != golden {
            Issue.record("row \(i + 2): expected \(golden), found \(mine)")
        }
        #expect(ours == rows)
    }

    @Test func totals() {
        let d = Self.dataset
        #expect(Set(d.roles.map(\.play)).count == 36)
        #expect(d.clientRoles.count == 1_130)
        #expect(d.sampleCount == 4_226_206)
        let hamlet = d.roles.first { $0.clientID == "THE_TRAGEDY_OF_HAMLET__PRINCE_OF_DENMARK_HAM" }
        #expect(hamlet?.sampleCount == 66_903)
        #expect(d.roles.map(\.sampleCount).max() == 66_903)
    }

    @Test func alphabetHasLEAFsEightySymbols() {
        #expect(ShakespeareAlphabet.count == 80)
        #expect(ShakespeareAlphabet.index(of: UInt8(ascii: "\n")) == 0)
        #expect(ShakespeareAlphabet.index(of: UInt8(ascii: " ")) == 1)
        #expect(ShakespeareAlphabet.index(of: UInt8(ascii: "0")) == 11)
        #expect(ShakespeareAlphabet.index(of: UInt8(ascii: "A")) == 25)
        #expect(ShakespeareAlphabet.index(of: UInt8(ascii: "a")) == 53)
        #expect(ShakespeareAlphabet.index(of: UInt8(ascii: "}")) == 79)
        #expect(ShakespeareAlphabet.index(of: UInt8(ascii: "*")) == -1)
        #expect(ShakespeareAlphabet.character(at: 25) == "A")
    }

    @Test func samplesAreSlidingWindows() throws {
        let d = Self.dataset
        let r = try #require(d.clientRoles.first)
        let text = d.roles[r].text
        let batch = d.batch(role: r, offsets: [0, 5])
        #expect(batch.count == 2)
        #expect(batch.indices.count == 160)
        #expect(batch.indices[0..<80].map { ShakespeareAlphabet.character(at: $0) } == text[0..<80].map { Character(Unicode.Scalar($0)) })
        #expect(batch.labels[0] == ShakespeareAlphabet.index(of: text[80]))
        #expect(batch.indices[80] == ShakespeareAlphabet.index(of: text[5]))
        #expect(batch.labels[1] == ShakespeareAlphabet.index(of: text[85]))
        #expect(batch.inputTensor().shape == [2, 80])
        // Normalised text has no newlines and no double spaces.
        #expect(!text.contains(0x0A))
        #expect(!zip(text, text.dropFirst()).contains { $0 == 0x20 && $1 == 0x20 })
    }

    @Test func roleTextsStayInsideTheAlphabet() {
        // The characters outside LEAF's alphabet (*, |, _, <, …) occur only in lines the
        // rules drop, so no sample ever has index −1.
        for role in Self.dataset.roles {
            #expect(role.text.allSatisfy { ShakespeareAlphabet.index(of: $0) >= 0 }, "\(role.clientID)")
        }
    }

    @Test func outOfAlphabetIndexIsConfigurable() {
        let text = Array(String(repeating: "a", count: 80).utf8) + Array("*".utf8)
        var d = ShakespeareDataset(roles: [ShakespeareRole(clientID: "P_R", play: "P", character: "R", fragmentCount: 3, text: text)])
        #expect(d.batch(role: 0, offsets: [0]).labels == [-1])
        d.outOfAlphabetIndex = 1
        #expect(d.batch(role: 0, offsets: [0]).labels == [1])
        #expect(d.batch(role: 0, offsets: [0]).indices == [Int32](repeating: 53, count: 80))
    }

    @Test func leafSampleSplit() {
        let d = Self.dataset
        let splits = d.split(trainFraction: 0.8)
        for s in splits {
            let n = d.roles[s.role].sampleCount
            let nTrain = n == 2 ? 1 : max(1, Int(0.8 * Double(n)))
            #expect(s.train == 0..<nTrain)
            #expect(s.test == (nTrain + 79)..<n)
            #expect(!s.test.isEmpty)
        }
        // Roles too small for a test part after the 79-sample gap are dropped.
        #expect(splits.count < d.clientRoles.count)
        #expect(splits.allSatisfy { d.roles[$0.role].sampleCount >= 2 })
        // The 80/20 rule by hand: n = 100 → train 0..<80, test 159..<100 = empty → dropped;
        // HAMLET's HAM: n = 66,903 → train 53,522, test from 53,601.
        let ham = splits.first { $0.clientID == "THE_TRAGEDY_OF_HAMLET__PRINCE_OF_DENMARK_HAM" }!
        #expect(ham.train == 0..<53_522 && ham.test == 53_601..<66_903)
        #expect(ham.leafReportedTestCount == 66_903 - 53_522)
    }

    @Test func shuffledBatchesOverATrainingRange() {
        let d = Self.dataset
        let s = d.split()[0]
        var rng = SeededRandom(seed: 9)
        var iterator = d.makeBatches(role: s.role, offsets: s.train, batchSize: 32, rng: &rng)
        #expect(iterator.batchCount == (s.train.count + 31) / 32)
        #expect(Set(iterator.order) == Set(s.train))
        var batch = CharacterBatch(indices: [], labels: [], sequenceLength: 80)
        var seen = 0
        while iterator.next(into: &batch) { seen += batch.count }
        #expect(seen == s.train.count)
    }
}
