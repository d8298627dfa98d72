@testable import FedCrypto
import Testing

@Suite struct PrimeField61Tests {
    let p = PrimeField61.modulus

    // Hand-checkable: 2^61 ≡ 1, so 2^60 · 2 = 2^61 ≡ 1 and (p − 1)² = (−1)² = 1.
    @Test func handCheckedProducts() {
        let two = PrimeField61(exactly: 2)!, half = PrimeField61(exactly: 1 << 60)!
        #expect((two * half).value == 1)
        let minusOne = PrimeField61(exactly: p - 1)!
        #expect((minusOne * minusOne).value == 1)
        #expect((minusOne + two).value == 1)
        #expect((PrimeField61.zero - PrimeField61.one).value == p - 1)
        #expect(PrimeField61(exactly: p) == nil)
        #expect(PrimeField61(reducing: UInt64.max).value == UInt64.max % p)
    }

    // Fast multiply vs the UInt128 reference on seeded random pairs plus edge values.
    @Test func multiplyMatchesReference() throws {
        var rng = try ChaCha20RandomNumberGenerator(seed: [UInt8](repeating: 9, count: 32))
        var values: [UInt64] = [0, 1, 2, p - 1, p - 2, 1 << 60, (1 << 60) - 1, 1 << 32, (1 << 32) - 1]
        for _ in 0..<2000 { values.append(rng.uniform(below: p)) }
        for (i, a) in values.enumerated() {
            let b = values[(i * 7 + 3) % values.count]
            let x = PrimeField61(exactly: a)!, y = PrimeField61(exactly: b)!
            #expect(x * y == PrimeField61.referenceProduct(x, y))
            #expect((x + y).value == UInt64((UInt128(a) + UInt128(b)) % UInt128(p)))
        }
    }

    @Test func inverseTimesSelfIsOne() throws {
        var rng = try ChaCha20RandomNumberGenerator(seed: [UInt8](repeating: 4, count: 32))
        for _ in 0..<200 {
            let a = PrimeField61(exactly: 1 + rng.uniform(below: p - 1))!
            #expect(a * a.inverse! == .one)
        }
        #expect(PrimeField61.zero.inverse == nil)
    }
}
