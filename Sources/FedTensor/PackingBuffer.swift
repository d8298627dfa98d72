import Synchronization

/// A 64-byte-aligned scratch area for packed GEMM panels, reused across calls.
///
/// Safety of `@unchecked Sendable`: the mutable storage (`base`, `capacity`) is only reached
/// inside `PackingBuffer.withBuffer`, which pops the buffer from the `Mutex`-guarded free list
/// before calling its body and pushes it back afterwards. So at most one thread uses a buffer at
/// a time, and the mutex orders one user's writes before the next user's reads.
final class PackingBuffer: @unchecked Sendable {
    private var base: UnsafeMutableRawPointer?
    private var capacity = 0

    /// At most this many idle buffers are kept (a few per thread).
    private static let keep = 16
    private static let free = Mutex<[PackingBuffer]>([])

    /// Returns storage for at least `count` floats, valid until the next call or the buffer's
    /// return to the pool. Contents are unspecified.
    func floats(_ count: Int) -> UnsafeMutablePointer<Float> {
        if count > capacity || base == nil {
            base?.deallocate()
            let newCapacity = max(count, capacity * 3 / 2, 1024)
            let raw = UnsafeMutableRawPointer.allocate(
                byteCount: newCapacity * MemoryLayout<Float>.stride, alignment: 64)
            raw.bindMemory(to: Float.self, capacity: newCapacity)
            base = raw
            capacity = newCapacity
        }
        return base!.assumingMemoryBound(to: Float.self)
    }

    deinit { base?.deallocate() }

    /// Runs `body` with a buffer that no other thread uses meanwhile.
    static func withBuffer<R>(_ body: (PackingBuffer) -> R) -> R {
        let buffer = free.withLock { $0.popLast() } ?? PackingBuffer()
        defer {
            free.withLock { buffers in
                if buffers.count < keep { buffers.append(buffer) }
            }
        }
        return body(buffer)
    }
}
