import FedFusion
import Testing

/// Two rounds of each adaptive server optimizer (Reddi et al. 2021, Algorithm 2), with
/// η = 1, β₁ = 0.5 and τ chosen so that every √v is exact:
/// m ← β₁m + (1 − β₁)Δ; v per rule from v₀ = τ²; w ← w + η·m/(√v + τ).
@Suite struct ServerOptimizerTests {
    /// Round 1 fuses to (1, −1): [0, 0] and [2, −2] with one sample each.
    let roundOne = [update("a", [0, 0]), update("b", [2, -2])]

    @Test func fedAdagradTwoRounds() throws {
        // τ = 0.75, v₀ = 0.5625.
        var strategy = try FedAdagrad(serverLearningRate: 1, beta1: 0.5, tau: 0.75)
        var global: [Float] = [0, 0]
        // round 1, Δ = (1, −1): m = (0.5, −0.5); v = 0.5625 + 1 = 1.5625 = 1.25²;
        // w = ±0.5/(1.25 + 0.75) = (0.25, −0.25)
        runRound(&strategy, roundOne, global: &global, round: 1)
        #expect(strategy.firstMoment == [0.5, -0.5])
        #expect(strategy.secondMoment == [1.5625, 1.5625])
        #expect(global == [0.25, -0.25])
        // round 2, Δ = (3, 0) ([3, 0] alone): m = (0.25 + 1.5, −0.25 + 0) = (1.75, −0.25);
        // v = (1.5625 + 9, 1.5625) = (10.5625 = 3.25², 1.5625);
        // w += (1.75/(3.25 + 0.75), −0.25/(1.25 + 0.75)) = (0.4375, −0.125) → (0.6875, −0.375)
        runRound(&strategy, [update("a", [3, 0])], global: &global, round: 2)
        #expect(strategy.firstMoment == [1.75, -0.25])
        #expect(strategy.secondMoment == [10.5625, 1.5625])
        #expect(global == [0.6875, -0.375])
    }

    @Test func fedAdamTwoRounds() throws {
        // β₂ = 0.5, τ = 1, v₀ = 1.
        var strategy = try FedAdam(serverLearningRate: 1, beta1: 0.5, beta2: 0.5, tau: 1)
        var global: [Float] = [0, 0]
        // round 1, Δ = (1, −1): m = (0.5, −0.5); v = 0.5·1 + 0.5·1 = (1, 1);
        // w = ±0.5/(1 + 1) = (0.25, −0.25)
        runRound(&strategy, roundOne, global: &global, round: 1)
        #expect(strategy.firstMoment == [0.5, -0.5])
        #expect(strategy.secondMoment == [1, 1])
        #expect(global == [0.25, -0.25])
        // round 2, Δ = ((5 + 2·8)/3, (0 + 2·(−1.5))/3) = (7, −1):
        // m = (0.25 + 3.5, −0.25 − 0.5) = (3.75, −0.75); v = (0.5 + 24.5, 0.5 + 0.5) = (25, 1);
        // w += (3.75/(5 + 1), −0.75/(1 + 1)) = (0.625, −0.375) → (0.875, −0.625)
        runRound(&strategy, [update("a", [5, 0], n: 1), update("b", [8, -1.5], n: 2)], global: &global, round: 2)
        #expect(strategy.firstMoment == [3.75, -0.75])
        #expect(strategy.secondMoment == [25, 1])
        #expect(global == [0.875, -0.625])
    }

    @Test func fedYogiTwoRounds() throws {
        // β₂ = 0.5, τ = 1, v₀ = 1; v ← v − 0.5·Δ²·sign(v − Δ²).
        var strategy = try FedYogi(serverLearningRate: 1, beta1: 0.5, beta2: 0.5, tau: 1)
        var global: [Float] = [0, 0]
        // round 1, Δ = (1, −1): v − Δ² = 0, sign 0, so v stays (1, 1); m = (0.5, −0.5);
        // w = (0.25, −0.25)
        runRound(&strategy, roundOne, global: &global, round: 1)
        #expect(strategy.secondMoment == [1, 1])
        #expect(global == [0.25, -0.25])
        // round 2, Δ = (4, −1): v₀: 1 − 0.5·16·sign(1 − 16) = 1 + 8 = 9; v₁: 1 − 0.5·1·sign(0) = 1;
        // m = (0.25 + 2, −0.25 − 0.5) = (2.25, −0.75);
        // w += (2.25/(3 + 1), −0.75/(1 + 1)) = (0.5625, −0.375) → (0.8125, −0.625)
        runRound(&strategy, [update("a", [4, -1])], global: &global, round: 2)
        #expect(strategy.firstMoment == [2.25, -0.75])
        #expect(strategy.secondMoment == [9, 1])
        #expect(global == [0.8125, -0.625])
        // round 3, Δ = (2, 0): v₀ − Δ² = 5 > 0, so v₀ shrinks: 9 − 0.5·4 = 7 (Adam would give 6.5)
        runRound(&strategy, [update("a", [2, 0])], global: &global, round: 3)
        #expect(strategy.secondMoment == [7, 1])
    }

    @Test func defaultsAreThePapers() throws {
        let adam = try FedAdam()
        #expect(adam.serverLearningRate == 1e-2 && adam.beta1 == 0.9 && adam.beta2 == 0.99 && adam.tau == 1e-3)
        let yogi = try FedYogi()
        #expect(yogi.serverLearningRate == 1e-2 && yogi.beta1 == 0.9 && yogi.beta2 == 0.99 && yogi.tau == 1e-3)
        let adagrad = try FedAdagrad()
        #expect(adagrad.serverLearningRate == 1e-2 && adagrad.beta1 == 0.9 && adagrad.tau == 1e-3)
        // v starts at τ²: one round of Δ = 0 leaves v = τ² (Adagrad adds 0).
        var strategy = adagrad
        var global: [Float] = [0]
        strategy.apply(fused: [0], to: &global, round: 1, failures: [])
        #expect(strategy.secondMoment == [1e-3 * 1e-3])
        #expect(global == [0])
    }
}
