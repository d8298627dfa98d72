import Testing
import FedTensor

@Suite("Initializer")
struct InitializerTests {
    @Test("uniform draws lie in [-bound, bound), are reproducible and centered")
    func uniform() {
        var a = SeededRandom(seed: 1)
        var b = SeededRandom(seed: 1)
        let x = Initializer.uniform(shape: [100, 100], bound: 0.3, rng: &a)
        #expect(x == Initializer.uniform(shape: [100, 100], bound: 0.3, rng: &b))
        #expect(x.shape == [100, 100])
        #expect(x.scalars.allSatisfy { $0 >= -0.3 && $0 < 0.3 })
        let mean = x.scalars.reduce(0, +) / Float(x.count)
        let variance = x.scalars.reduce(0) { $0 + $1 * $1 } / Float(x.count)
        #expect(abs(mean) < 0.01)
        #expect(abs(variance - 0.09 / 3) < 0.002)  // U(±b) has variance b²/3
        #expect(x.scalars.max()! > 0.29 && x.scalars.min()! < -0.29)
    }

    @Test("Glorot and He bounds", arguments: [(4, 6), (784, 200), (25, 800)])
    func bounds(fanIn: Int, fanOut: Int) {
        var rng = SeededRandom(seed: 2)
        let glorot = Initializer.glorotUniform(shape: [fanIn, fanOut], fanIn: fanIn, fanOut: fanOut, rng: &rng)
        let glorotBound = (6 / Float(fanIn + fanOut)).squareRoot()
        #expect(glorot.scalars.allSatisfy { abs($0) <= glorotBound })
        #expect(glorot.scalars.contains { abs($0) > 0.9 * glorotBound })
        let he = Initializer.heUniform(shape: [fanIn, fanOut], fanIn: fanIn, rng: &rng)
        let heBound = (6 / Float(fanIn)).squareRoot()
        #expect(he.scalars.allSatisfy { abs($0) <= heBound })
        #expect(he.scalars.contains { abs($0) > 0.9 * heBound })
    }

    @Test("zeros, and fans of dense and convolution weights")
    func zerosAndFans() {
        #expect(Initializer.zeros(shape: [3, 2]) == Tensor(zeros: [3, 2]))
        #expect(Initializer.fans(of: [784, 200]) == (784, 200))
        #expect(Initializer.fans(of: [5, 5, 32, 64]) == (800, 1600))
        #expect(Initializer.fans(of: [10]) == (10, 10))
    }
}
