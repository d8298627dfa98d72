import CFedKernels

extension GEMM {
    /// A micro-kernel variant of the fast GEMM, one per instruction set (see `CFedKernels`).
    ///
    /// `GEMM.multiply` uses `Kernel.best` unless a caller scopes another with `withKernel(_:_:)`.
    public enum Kernel: String, Sendable, CaseIterable, CustomStringConvertible {
        /// Generic 128-bit vectors: SSE2 on x86-64, NEON on arm64. Runs everywhere.
        case portable
        /// x86-64 AVX2 with FMA, 6 × 16 register tile.
        case avx2
        /// x86-64 AVX-512F, 6 × 32 register tile.
        case avx512
        /// arm64 NEON with FMA, 8 × 12 register tile.
        case neon

        /// The variants this CPU can run, fastest first.
        public static var available: [Kernel] {
            [.avx512, .avx2, .neon, .portable].filter(\.isSupported)
        }

        /// The fastest variant this CPU can run.
        public static var best: Kernel { available[0] }

        /// Whether this variant is compiled in and this CPU (and OS) supports it.
        public var isSupported: Bool { GEMMKernelInfo.table[Int(cID)] != nil }

        /// The largest tile (rows × columns of C) that one call of this micro-kernel computes.
        public var tile: (rows: Int, columns: Int) {
            var info = cfk_kernel_info()
            _ = cfk_kernel_query(cID, &info)
            return (Int(info.mr), Int(info.nr))
        }

        /// The variant's name, as accepted by `init?(rawValue:)`.
        public var description: String { rawValue }

        var cID: Int32 {
            switch self {
            case .portable: Int32(CFK_KERNEL_PORTABLE)
            case .avx2: Int32(CFK_KERNEL_AVX2)
            case .avx512: Int32(CFK_KERNEL_AVX512)
            case .neon: Int32(CFK_KERNEL_NEON)
            }
        }
    }

    /// The kernel chosen by `withKernel` for the current task, if any.
    @TaskLocal static var kernelOverride: Kernel?

    /// Runs `body` with every `GEMM.multiply` made by the current task (synchronously, or by its
    /// child tasks) using `kernel` instead of `Kernel.best`. For tests and benchmarks.
    ///
    /// - Parameters:
    ///   - kernel: the variant to use; it must be supported by this CPU.
    ///   - body: the work to run.
    /// - Precondition: `kernel.isSupported` (another variant would stop on an illegal instruction).
    public static func withKernel<R>(_ kernel: Kernel, _ body: () throws -> R) rethrows -> R {
        precondition(kernel.isSupported, "GEMM.withKernel: kernel \(kernel) is not supported by this CPU")
        return try $kernelOverride.withValue(kernel, operation: body)
    }

    /// The kernel `multiply` uses in the current context.
    static var currentKernel: GEMMKernelInfo {
        let kernel = kernelOverride ?? GEMMKernelInfo.bestKernel
        return GEMMKernelInfo.table[Int(kernel.cID)]!
    }
}

/// One supported micro-kernel with the blocking sizes the blocked GEMM uses around it.
struct GEMMKernelInfo: Sendable {
    /// Computes an `mr × nr` tile; see `cfk_sgemm_ukernel_fn` in CFedKernels.h.
    let function: cfk_sgemm_ukernel_fn
    /// The transposing copy used by packing; see `cfk_transpose_fn`.
    let transpose: cfk_transpose_fn
    /// The row-major panel copy used by packing; see `cfk_pack_panels_fn`.
    let packPanels: cfk_pack_panels_fn
    /// Largest tile height (rows of C per call).
    let mr: Int
    /// Largest tile width (columns of C per call), a multiple of `vectorWidth`.
    let nr: Int
    /// Floats per vector register; tile widths are rounded up to a multiple of it.
    let vectorWidth: Int
    /// Depth of a packed block (the k extent kept in cache); blocks are split evenly below it.
    let kc: Int
    /// Row tiles per packed A block (about `mcTiles · mr` rows, kept in L2).
    let mcTiles: Int
    /// Columns per packed B block (kept in L3), a multiple of `nr`.
    let nc: Int

    /// Supported kernels, indexed by C identifier (`nil` where the CPU lacks the instruction set).
    static let table: [GEMMKernelInfo?] = {
        var table = [GEMMKernelInfo?](repeating: nil, count: Int(CFK_KERNEL_COUNT))
        for kernel in GEMM.Kernel.allCases {
            var info = cfk_kernel_info()
            guard cfk_kernel_query(kernel.cID, &info) != 0, let function = info.kernel,
                  let transpose = info.transpose, let packPanels = info.pack_panels else { continue }
            let nr = Int(info.nr)
            table[Int(kernel.cID)] = GEMMKernelInfo(
                function: function, transpose: transpose, packPanels: packPanels,
                mr: Int(info.mr), nr: nr, vectorWidth: Int(info.vector_width),
                kc: 256, mcTiles: 20, nc: (4096 / nr) * nr)
        }
        return table
    }()

    /// `GEMM.Kernel.best`, computed once.
    static let bestKernel: GEMM.Kernel = GEMM.Kernel.best
}
