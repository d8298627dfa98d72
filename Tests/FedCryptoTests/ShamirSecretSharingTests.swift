@testable import FedCrypto
import Testing

@Suite struct ShamirSecretSharingTests {
    func secret(_ k: UInt8) -> [UInt8] { (0..<32).map { UInt8(truncatingIfNeeded: Int($0) * 37 + Int(k)) } }

    // Hand-checkable: t = 2 makes f(x) = s + a·x a line, so any two points give s.
    @Test func allFFSecretRoundTrips() throws {
        let s = [UInt8](repeating: 0xFF, count: 32)
        let shares = try ShamirSecretSharing.split(secret: s, threshold: 2, points: [1, 2, 3])
        #expect(try ShamirSecretSharing.reconstruct([shares[2], shares[0]], threshold: 2, source: "test") == s)
    }

    // Any t of n reconstruct (every t-subset for small n; random subsets of the rest).
    @Test(arguments: [(1, 3), (2, 3), (3, 5), (4, 7), (7, 10)])
    func anyTOfNReconstruct(t: Int, n: Int) throws {
        let s = secret(UInt8(t * 10 + n))
        let shares = try ShamirSecretSharing.split(secret: s, threshold: t, points: (1...n).map { UInt32($0) })
        func subsets(_ k: Int, from start: Int) -> [[Int]] {
            if k == 0 { return [[]] }
            guard start < n else { return [] }
            return subsets(k - 1, from: start + 1).map { [start] + $0 } + subsets(k, from: start + 1)
        }
        for subset in subsets(t, from: 0) {
            #expect(try ShamirSecretSharing.reconstruct(subset.map { shares[$0] }, threshold: t, source: "test") == s)
        }
    }

    @Test func fewerThanTSharesAreRefused() throws {
        let shares = try ShamirSecretSharing.split(secret: secret(1), threshold: 4, points: [1, 2, 3, 4, 5])
        let error = #expect(throws: FedCryptoError.self) {
            try ShamirSecretSharing.reconstruct(Array(shares.prefix(3)), threshold: 4, source: "b of node 9")
        }
        #expect(error?.code == .tooFewShares)
        #expect(error?.source == "b of node 9")
    }

    // t − 1 shares are consistent with every secret: for any candidate secret c, the polynomial
    // through (0, c) and the t − 1 shares gives a t-th share with which reconstruction yields c.
    @Test func tMinusOneSharesDoNotDetermineTheSecret() throws {
        let t = 4
        let shares = try ShamirSecretSharing.split(secret: secret(2), threshold: t, points: [1, 2, 3, 4, 5, 6])
        let known = Array(shares.prefix(t - 1))
        for candidate in [secret(3), [UInt8](repeating: 0, count: 32), secret(200)] {
            let zero = ShamirShare(x: 0, limbs: ShamirSecretSharing.limbs(of: candidate))
            // Evaluate the degree-(t−1) polynomial through (0, candidate) and the known shares at x = 6.
            let y6 = ShamirSecretSharing.interpolate([zero] + known, at: 6)
            let forged = ShamirShare(x: 6, limbs: y6)
            #expect(try ShamirSecretSharing.reconstruct(known + [forged], threshold: t, source: "test") == candidate)
        }
    }

    @Test func badInputsAreErrors() throws {
        let shares = try ShamirSecretSharing.split(secret: secret(4), threshold: 2, points: [1, 2, 3])
        #expect(throws: FedCryptoError.self) { try ShamirSecretSharing.split(secret: [1, 2, 3], threshold: 2, points: [1, 2]) }
        #expect(throws: FedCryptoError.self) { try ShamirSecretSharing.split(secret: secret(4), threshold: 3, points: [1, 2]) }
        #expect(throws: FedCryptoError.self) { try ShamirSecretSharing.split(secret: secret(4), threshold: 2, points: [0, 2]) }
        #expect(throws: FedCryptoError.self) { try ShamirSecretSharing.split(secret: secret(4), threshold: 2, points: [2, 2]) }
        #expect(throws: FedCryptoError.self) { try ShamirSecretSharing.reconstruct([shares[0], shares[0]], threshold: 2, source: "dup") }
        // A share corrupted by 2^60 moves the reconstructed limb 0 by −λ·2^60 = ∓2^60 (λ_2 = −1 for
        // points 1, 2), far outside 56 bits: refused rather than a wrong secret. (A small corruption
        // can give a valid-looking wrong secret; the protocol catches that with the commitment and
        // public-key checks.)
        var bad = shares[1]
        bad.limbs[0] = bad.limbs[0] + PrimeField61(exactly: 1 << 60)!
        #expect(throws: FedCryptoError.self) { try ShamirSecretSharing.reconstruct([shares[0], bad], threshold: 2, source: "bad") }
    }

    @Test func shareEncodingRoundTripsAndRejectsGarbage() throws {
        let share = try ShamirSecretSharing.split(secret: secret(5), threshold: 2, points: [7, 8])[0]
        let bytes = share.encoded()
        #expect(bytes.count == 44)
        #expect(try ShamirShare(decoding: bytes, source: "s") == share)
        #expect(throws: FedCryptoError.self) { try ShamirShare(decoding: Array(bytes.prefix(43)), source: "short") }
        var tooBig = bytes
        for i in 4..<12 { tooBig[i] = 0xFF }
        #expect(throws: FedCryptoError.self) { try ShamirShare(decoding: tooBig, source: "limb ≥ p") }
        var zeroX = bytes
        zeroX[0] = 0
        #expect(throws: FedCryptoError.self) { try ShamirShare(decoding: zeroX, source: "x = 0") }
    }

    // Coefficients are uniform in [0, p): with a seeded generator, all 61-bit draws equal to p are skipped.
    @Test func uniformElementRejectsP() {
        struct Fixed: RandomNumberGenerator {
            var values: [UInt64]
            mutating func next() -> UInt64 { values.removeFirst() }
        }
        var g = Fixed(values: [PrimeField61.modulus, UInt64.max, 5])
        #expect(ShamirSecretSharing.uniformElement(using: &g).value == 5)
    }
}
