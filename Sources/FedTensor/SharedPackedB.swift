import CFedKernels
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// op(B) packed once per multiply and shared by all its row tasks (a large M split over threads),
/// instead of each task packing all of B for itself. Panels are packed on demand by whichever
/// task needs one first; the others wait for that one panel. Tasks with odd index walk the
/// panels backwards, so two threads pack disjoint halves and meet in the middle.
///
/// The layout matches `GEMMProblem.computeBlock` with one column block: for each depth block
/// `kb` (the even split of K below `kc`), `panels` panels of `kc × nr` floats, zero-padded.
///
/// Safety of `@unchecked Sendable`: each panel has an atomic state, 0 (empty) → 1 (being packed)
/// → 2 (ready). Only the task whose compare-and-swap moved it from 0 to 1 writes that panel's
/// floats; it publishes them with a releasing store of 2, and readers use a panel only after an
/// acquiring load of 2. Waiting never blocks on anything but a panel whose packer is running
/// (packing waits for nothing), so tasks cannot deadlock. The storage outlives the job: the
/// caller owns it until `WorkerPool.run` returns.
final class SharedPackedB: @unchecked Sendable {
    private let base: UnsafeMutablePointer<Float>
    private let states: UnsafeMutablePointer<Atomic<Int>>
    private let k: Int
    private let kBlocks: Int
    private let panels: Int
    private let nr: Int

    /// Floats of storage needed for `k × n` with panels of `nr` columns.
    static func floatCount(k: Int, n: Int, nr: Int) -> Int { k * ((n + nr - 1) / nr) * nr }

    /// - Parameters:
    ///   - storage: at least `floatCount(k:n:nr:)` floats, unused by anyone else meanwhile.
    ///   - kBlocks: the depth blocks `computeBlock` uses for this K.
    init(storage: UnsafeMutablePointer<Float>, k: Int, n: Int, kBlocks: Int, nr: Int) {
        self.base = storage
        self.k = k
        self.kBlocks = kBlocks
        self.nr = nr
        self.panels = (n + nr - 1) / nr
        let count = kBlocks * panels
        states = .allocate(capacity: count)
        for i in 0..<count { (states + i).initialize(to: Atomic<Int>(0)) }
    }

    deinit {
        states.deinitialize(count: kBlocks * panels)
        states.deallocate()
    }

    /// Panel `jp` of depth block `kb` (`kc` deep), packed by `pack` into the given storage if no
    /// task has packed it yet; waits while another task is packing it.
    func panel(
        kb: Int, jp: Int, kc: Int, pack: (UnsafeMutablePointer<Float>) -> Void
    ) -> UnsafePointer<Float> {
        let start = evenSplit(k, parts: kBlocks, index: kb).lowerBound
        let storage = base + start * panels * nr + jp * nr * kc
        let state = states + (kb * panels + jp)
        if state.pointee.load(ordering: .acquiring) != 2 {
            if state.pointee.compareExchange(expected: 0, desired: 1, ordering: .acquiring).exchanged {
                pack(storage)
                state.pointee.store(2, ordering: .releasing)
            } else {
                var spins = 0
                while state.pointee.load(ordering: .acquiring) != 2 {
                    spins += 1
                    if spins < 4096 { cfk_cpu_relax() } else { sched_yield() }
                }
            }
        }
        return UnsafePointer(storage)
    }
}
