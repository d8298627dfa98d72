/// A deterministic generator driven by the ChaCha20 keystream of a 32-byte seed: both sides of a
/// protocol expand the same public seed into the same choices (e.g. the permutation of a
/// secure-aggregation graph). It is a cryptographic PRG, but *seeded*: never use it for secrets;
/// those come from ``SecureRandom``.
public struct ChaCha20RandomNumberGenerator: RandomNumberGenerator, Sendable {
    let core: ChaCha20Core
    var buffer: [UInt32] = []
    var position = 0
    var counter: UInt32 = 0

    /// Creates a generator from a 32-byte seed and a 12-byte nonce naming the purpose.
    /// - Throws: ``FedCryptoError`` for a wrong seed or nonce length.
    public init(seed: [UInt8], nonce: [UInt8] = [UInt8](repeating: 0, count: 12)) throws {
        core = try ChaCha20Core(key: seed, nonce: nonce, source: "ChaCha20RandomNumberGenerator")
    }

    /// The next 64 bits of keystream (two little-endian words, low first).
    public mutating func next() -> UInt64 {
        if position + 2 > buffer.count {
            buffer = core.referenceBlock(counter: counter)
            counter &+= 1
            position = 0
        }
        let v = UInt64(buffer[position]) | UInt64(buffer[position + 1]) << 32
        position += 2
        return v
    }

    /// A uniform integer in 0 ..< `bound` by rejection sampling (exactly uniform, and stable: it does
    /// not depend on the standard library's `random(in:)` algorithm, so every build agrees).
    /// - Parameter bound: the exclusive upper bound, > 0.
    public mutating func uniform(below bound: UInt64) -> UInt64 {
        precondition(bound > 0, "ChaCha20RandomNumberGenerator.uniform: bound must be > 0")
        let limit = UInt64.max - (UInt64.max % bound) // accept values < limit (a multiple of bound)
        while true {
            let v = next()
            if v < limit || limit == 0 { return v % bound }
        }
    }
}
