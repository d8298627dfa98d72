import FedTensor
import Testing
@testable import FedModels

@Suite struct ModelTests {
    @Test func parameterCountsMatchThePapers() throws {
        #expect(MLP.twoNN().parameterCount == 199_210)
        #expect(FedAvgCNN().parameterCount == 1_663_370)
        #expect(LogisticRegression(inputShape: [13], classCount: 2).parameterCount == 28)
        // LEAF char LSTM: 80·8 + (8·1024 + 256·1024 + 1024) + (256·1024 + 256·1024 + 1024) + 256·80 + 80.
        #expect(CharLSTM().parameterCount == 640 + 271_360 + 525_312 + 20_560)
    }

    @Test(arguments: ["logreg", "2nn", "cnn"])
    func imageModelsProduceLogitsOfTheRightShape(_ name: String) throws {
        let model = try ModelZoo.make(name, inputShape: [28, 28, 1], classCount: 10)
        var rng = SeededRandom(seed: 1)
        let p = model.initialParameters(rng: &rng)
        try p.validate(against: model.parameterSpecs, source: "init")
        let x = Tensor(shape: [2, 28, 28, 1], scalars: (0..<(2 * 784)).map { _ in rng.nextFloat() })
        #expect(model.predict(x, parameters: p).shape == [2, 10])
    }

    @Test func charLSTMProducesNextCharacterLogits() throws {
        let model = CharLSTM(hiddenSize: 16, sequenceLength: 5)
        var rng = SeededRandom(seed: 2)
        let p = model.initialParameters(rng: &rng)
        let x = Tensor(shape: [3, 5], scalars: (0..<15).map { Float($0 % 80) })
        try model.validateInput(x, source: "batch")
        #expect(model.predict(x, parameters: p).shape == [3, 80])
        #expect(throws: ModelError.self) { try model.validateInput(Tensor(shape: [1, 5], scalars: [0, 1, 2, 3, 80]), source: "batch") }
    }

    @Test func unknownModelNameListsTheValidOnes() {
        do {
            _ = try ModelZoo.make("resnet", inputShape: [28, 28, 1], classCount: 10)
            Issue.record("accepted an unknown model")
        } catch let e as ModelError {
            #expect(e.code == .unknownName)
            #expect(e.description.contains("logreg, 2nn, cnn, char-lstm"))
        } catch { Issue.record("\(error)") }
        #expect(throws: ModelError.self) { try ModelZoo.make("cnn", inputShape: [13], classCount: 2) }
    }

    @Test func validateRejectsWrongShapesAndNaN() {
        let model = MLP.twoNN()
        var rng = SeededRandom(seed: 3)
        var p = model.initialParameters(rng: &rng)
        p.tensors[1].scalars[7] = .nan
        #expect(throws: ModelError.self) { try p.validate(against: model.parameterSpecs, source: "update") }
        let wrong = ModelParameters(zerosLike: MLP(inputShape: [10], hiddenSizes: [3], classCount: 2).parameterSpecs)
        #expect(throws: ModelError.self) { try wrong.validate(against: model.parameterSpecs, source: "update") }
    }

    @Test func flatRoundTrip() throws {
        let model = LogisticRegression(inputShape: [3], classCount: 2)
        let p = ModelParameters(names: ["linear.weight", "linear.bias"],
                                tensors: [Tensor(shape: [3, 2], scalars: [1, 2, 3, 4, 5, 6]), Tensor(shape: [2], scalars: [7, 8])])
        #expect(p.flattened() == [1, 2, 3, 4, 5, 6, 7, 8])
        #expect(try ModelParameters(flat: p.flattened(), specs: model.parameterSpecs) == p)
        #expect(throws: ModelError.self) { try ModelParameters(flat: [1, 2], specs: model.parameterSpecs) }
    }

    /// Training logistic regression on a separable toy problem drives the loss down and the
    /// accuracy to 100%: a check that forward, backward and SGD fit together.
    @Test func trainingReducesTheLoss() {
        let model = LogisticRegression(inputShape: [2], classCount: 2)
        let x = Tensor(shape: [4, 2], scalars: [2, 1, 1, 2, -2, -1, -1, -2])
        let batch = Batch(inputs: x, labels: [0, 0, 1, 1])
        var rng = SeededRandom(seed: 0)
        var trainer = ModelTrainer(model: model, parameters: model.initialParameters(rng: &rng), optimizer: SGD(learningRate: 0.5))
        let first = trainer.step(batch)
        for _ in 0..<50 { trainer.step(batch) }
        let eval = model.evaluate(trainer.parameters, on: [batch])
        #expect(abs(first - 0.6931472) < 1e-5)  // ln 2 at zero weights
        #expect(eval.loss < 0.05)
        #expect(eval.accuracy == 1)
    }
}
