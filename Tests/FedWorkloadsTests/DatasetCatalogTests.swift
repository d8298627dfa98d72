import FedDatasets
import FedModels
import FedTensor
import Testing
@testable import FedWorkloads

@Suite struct DatasetCatalogTests {
    @Test func unknownDatasetListsTheValidNames() {
        do {
            _ = try DatasetCatalog.load("cifar10")
            Issue.record("loaded an unknown dataset")
        } catch let e as WorkloadError {
            #expect(e.description.contains("cifar10"))
            #expect(e.description.contains("mnist, femnist, shakespeare, heart-disease"))
        } catch { Issue.record("\(error)") }
    }

    @Test func heartDiseaseIsSplitInsideEachHospitalAndStandardised() throws {
        let d = try DatasetCatalog.load("heart-disease")
        #expect(d.train.count + d.test.count == 920)
        #expect(d.sampleShape == [13])
        #expect(d.classCount == 2)
        let natural = try #require(d.naturalPartition)
        #expect(natural.map(\.id) == ["cleveland", "hungary", "switzerland", "va_long_beach"])
        // 80% of 303, 294, 123, 200, rounded.
        #expect(natural.map(\.count) == [242, 235, 98, 160])
        #expect(natural.flatMap(\.indices).sorted() == Array(0..<d.train.count))
        // Standardised training features: every column has mean ≈ 0, and no NaN is left.
        let batch = d.train.batch(ArraySlice(0..<d.train.count))
        #expect(batch.inputs.isFinite)
        for c in 0..<13 {
            var sum = 0.0
            for r in 0..<d.train.count { sum += Double(batch.inputs.scalars[r * 13 + c]) }
            #expect(abs(sum / Double(d.train.count)) < 1e-3)
        }
    }

    @Test func sampleSubsetIsSeededAndDistinct() throws {
        let d = try DatasetCatalog.load("heart-disease")
        var a = SeededRandom(seed: 5), b = SeededRandom(seed: 5)
        let s1 = SampleSubset(d.train, limit: 100, rng: &a)
        let s2 = SampleSubset(d.train, limit: 100, rng: &b)
        #expect(s1.indices == s2.indices)
        #expect(Set(s1.indices).count == 100)
        #expect(s1.batch(ArraySlice([0, 1])) == d.train.batch(ArraySlice([s1.indices[0], s1.indices[1]])))
    }

    /// Logistic regression on the 4 hospitals learns: test accuracy well above the majority
    /// class (55% disease in the test split) after a few epochs.
    @Test func centralTrainingOnHeartDiseaseLearns() throws {
        let d = try DatasetCatalog.load("heart-disease")
        let model = LogisticRegression(inputShape: [13], classCount: 2)
        var config = TrainingDefaults.configuration(dataset: "heart-disease", model: "logreg")
        config.epochs = 5
        var epochs = 0
        let result = CentralTraining.run(model: model, train: d.train, test: d.test, configuration: config, epochEnded: { _ in epochs += 1 })
        #expect(epochs == 5)
        #expect(result.epochs.last!.test.accuracy > 0.75)
        #expect(result.epochs.last!.trainLoss < result.epochs.first!.trainLoss)
        // Same seed, same result.
        let again = CentralTraining.run(model: model, train: d.train, test: d.test, configuration: config)
        #expect(again.parameters == result.parameters)
    }

    @Test func cosineScheduleEndsAtZero() {
        #expect(LearningRateSchedule.cosine.rate(base: 0.1, step: 0, totalSteps: 10) == 0.1)
        #expect(abs(LearningRateSchedule.cosine.rate(base: 0.1, step: 5, totalSteps: 10) - 0.05) < 1e-7)
        #expect(LearningRateSchedule.cosine.rate(base: 0.1, step: 10, totalSteps: 10) < 1e-8)
        #expect(LearningRateSchedule.constant.rate(base: 0.1, step: 7, totalSteps: 10) == 0.1)
    }
}
