/// Cryptographic randomness from the operating system's CSPRNG (`getrandom` on Linux).
///
/// This is a different type from the seeded, reproducible generators used for ML randomness, so the
/// two cannot be confused: keys, Shamir coefficients and self-mask seeds come only from here.
public enum SecureRandom {
    /// `count` uniformly random bytes from the system CSPRNG.
    /// - Parameter count: the number of bytes (≥ 0).
    public static func bytes(_ count: Int) -> [UInt8] {
        precondition(count >= 0, "SecureRandom.bytes: count must be ≥ 0")
        var generator = SystemRandomNumberGenerator()
        var out = [UInt8]()
        out.reserveCapacity(count + 8)
        while out.count < count {
            withUnsafeBytes(of: generator.next().littleEndian) { out.append(contentsOf: $0) }
        }
        return Array(out.prefix(count))
    }

    /// A uniformly random 64-bit word from the system CSPRNG.
    public static func word() -> UInt64 {
        var generator = SystemRandomNumberGenerator()
        return generator.next()
    }
}
