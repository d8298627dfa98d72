import Crypto
import CryptoExtras
import Foundation

/// The fast ChaCha20 keystream: swift-crypto's `Insecure.ChaCha20CTR` (BoringSSL's
/// `CRYPTO_chacha_20`, SIMD assembly chosen at run time: SSSE3/AVX2 on x86-64, NEON on arm64)
/// applied to zero bytes, one chunk of ``chunkBlocks`` blocks per call with an advancing 32-bit
/// block counter. Its slow twin is ``ChaCha20Core/referenceBlock(counter:)`` (RFC 8439 §2.3 word
/// by word); the tests compare them over many lengths and counters.
struct ChaCha20Keystream: Sendable {
    /// Blocks per call: 1024 blocks = 64 KiB (fits in L2, so the caller's pass over the chunk
    /// reads it from cache; large enough that the per-call allocation is negligible).
    static let chunkBlocks = 1024
    /// Bytes per call.
    static let chunkByteCount = chunkBlocks * ChaCha20.blockByteCount
    /// The plaintext: XOR with zeros yields the keystream itself.
    static let zeros = [UInt8](repeating: 0, count: chunkByteCount)

    let key: SymmetricKey
    let nonce: Insecure.ChaCha20CTR.Nonce

    /// - Throws: ``FedCryptoError`` (`invalidLength`) for a key other than 32 bytes or a nonce other than 12.
    init(key: [UInt8], nonce: [UInt8], source: String) throws {
        guard key.count == ChaCha20.keyByteCount else {
            throw FedCryptoError(.invalidLength, source: source, "expected a 32-byte ChaCha20 key, got \(key.count) bytes")
        }
        guard nonce.count == ChaCha20.nonceByteCount else {
            throw FedCryptoError(.invalidLength, source: source, "expected a 12-byte ChaCha20 nonce, got \(nonce.count) bytes")
        }
        self.key = SymmetricKey(data: key)
        do {
            self.nonce = try Insecure.ChaCha20CTR.Nonce(data: nonce)
        } catch {
            throw FedCryptoError(.invalidLength, source: source, "swift-crypto rejected the 12-byte ChaCha20 nonce", cause: error)
        }
    }

    /// Calls `body` with consecutive pieces of the keystream, starting at block `firstCounter`,
    /// until `byteCount` bytes have been passed: every piece but the last holds ``chunkByteCount``
    /// bytes (a whole number of blocks), so piece j starts at byte j · ``chunkByteCount``. The
    /// pointer is valid only inside `body`. The caller has checked that the blocks stay within the
    /// 32-bit counter.
    func forEachChunk(firstCounter: UInt32, byteCount: Int, _ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        var done = 0
        var counter = firstCounter
        while done < byteCount {
            let n = min(Self.chunkByteCount, byteCount - done)
            try withChunk(counter: counter, byteCount: n, body)
            done += n
            counter &+= UInt32(truncatingIfNeeded: Self.chunkBlocks)
        }
    }

    /// Calls `body` with `byteCount` (≤ ``chunkByteCount``) keystream bytes starting at block
    /// `counter`; the pointer is valid only inside `body`.
    func withChunk<R>(counter: UInt32, byteCount: Int, _ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        precondition(byteCount >= 0 && byteCount <= Self.chunkByteCount, "ChaCha20Keystream: at most one chunk per call")
        // Counter(offset:) never throws; encrypt throws only for a key that is not 256 bits (checked in init).
        let data = try! Insecure.ChaCha20CTR.encrypt(Self.zeros[0..<byteCount], using: key, counter: .init(offset: counter), nonce: nonce)
        return try data.withUnsafeBytes { try body($0) }
    }
}
