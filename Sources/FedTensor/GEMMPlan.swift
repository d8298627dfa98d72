/// How one `GEMM.multiply` is split into parallel tasks, each a rectangle of C computed by
/// `GEMMProblem.computeBlock` with its own packing buffer.
///
/// Small problems run on the caller's thread alone (handing work to another core costs more
/// than it saves below about 2·10⁵ flops). When M is small (the training batch shapes, M = 32)
/// the threads split N, in whole vectors, and each packs the small A itself; otherwise they split
/// M in whole row tiles and share one packed B. Tasks are claimed dynamically, so on a busy
/// machine a thread that is late or slow simply claims fewer of them.
struct GEMMPlan: Sendable {
    enum Split: Sendable { case rows, columns }

    /// Below this many flops (2·M·N·K) the caller works alone.
    static let minParallelFlops = 200_000
    /// Above this many flops a problem is cut into more tasks than threads, for balance.
    static let manyTasksFlops = 100_000_000

    /// Most floats a shared packed B may take (64 MB); larger B is packed per task.
    static let maxSharedBFloats = 16 << 20

    let split: Split
    let tasks: Int
    /// Row tasks share one packed copy of B (`SharedPackedB`) instead of packing it each.
    let sharesB: Bool
    let participants: Int
    let tiling: RowTiling
    let n: Int
    let vectorWidth: Int

    init(m: Int, n: Int, k: Int, transB: Bool, tiling: RowTiling, kernel: GEMMKernelInfo, threads: Int) {
        self.tiling = tiling
        self.n = n
        self.vectorWidth = kernel.vectorWidth
        let flops = 2.0 * Double(m) * Double(n) * Double(k)
        let rowUnits = tiling.count
        let columnUnits = (n + kernel.vectorWidth - 1) / kernel.vectorWidth
        guard threads > 1, flops >= Double(Self.minParallelFlops), max(rowUnits, columnUnits) > 1 else {
            split = .rows; tasks = 1; participants = 1; sharesB = false
            return
        }
        let wanted = flops >= Double(Self.manyTasksFlops) ? 2 * threads : threads
        // Splitting N repeats A's packing per task; splitting M shares B's (or reads it in
        // place): split the larger extent, unless it has too few units to share.
        if rowUnits >= 2 * threads && (m >= n || columnUnits < threads) {
            split = .rows
            tasks = min(wanted, rowUnits)
        } else if columnUnits >= 2 {
            split = .columns
            tasks = min(wanted, columnUnits)
        } else {
            split = .rows
            tasks = min(wanted, rowUnits)
        }
        participants = min(threads, tasks)
        // Row tasks would each pack all of B, unless they read it in place (few rows, B row-major).
        sharesB = split == .rows && tasks > 1 && n <= kernel.nc
            && (transB || m / tasks > GEMMProblem.inPlaceBMaxRows)
            && SharedPackedB.floatCount(k: k, n: n, nr: kernel.nr) <= Self.maxSharedBFloats
    }

    /// The rectangle of C that task `index` computes: row tiles and columns.
    func ranges(task index: Int) -> (tiles: Range<Int>, columns: Range<Int>) {
        switch split {
        case .rows:
            return (evenSplit(tiling.count, parts: tasks, index: index), 0..<n)
        case .columns:
            let units = (n + vectorWidth - 1) / vectorWidth
            let part = evenSplit(units, parts: tasks, index: index)
            return (0..<tiling.count, (part.lowerBound * vectorWidth)..<min(n, part.upperBound * vectorWidth))
        }
    }
}
