/// The single-threaded blocked GEMM (BLIS/GotoBLAS loop nest) over one rectangle of C.
///
/// ```
/// for jc in column blocks of ≤ nc                          B block (kc × nc) lives in L3
///   for pc in depth blocks of ≤ kc (split evenly)
///     pack B[pc, jc] into nr-wide panels (or read a row-major B in place when M is small)
///     for ic in blocks of ≤ mcTiles row tiles               A block (mc × kc) lives in L2
///       pack A[ic, pc] into row-tile panels (or read A in place when N is narrow)
///       for jr in nr-wide panels of the block               B panel (kc × nr) lives in L1
///         for ir in row tiles of the block
///           micro-kernel: C[ir, jr] = alpha · A_ir · B_jr + (pc == 0 ? beta : 1) · C[ir, jr]
/// ```
extension GEMMProblem {
    /// Row tiles at most this many rows in total read a row-major B in place instead of packing
    /// it: each B panel is then re-read from L1 by only a few tiles, and packing it would cost
    /// about as much as the multiply.
    static let inPlaceBMaxRows = 64

    /// Column ranges of at most this many panels read A in place (through strides) instead of
    /// packing it: each A element then feeds too few multiply-adds to repay a copy.
    static let inPlaceAMaxPanels = 4

    /// The number of depth blocks for this K (each at most `kernel.kc` deep, split evenly).
    func depthBlocks(kernel: GEMMKernelInfo) -> Int { (k + kernel.kc - 1) / kernel.kc }

    /// Computes rows of `tiles` × `columns` of C on the calling thread (`k > 0`).
    ///
    /// With `sharedB` (all columns, at most `kernel.nc` of them), B panels come from there
    /// instead of this task's own packing, and `reversePanels` sets the direction this task
    /// walks them in its first pass.
    func computeBlock(
        tiles: Range<Int>, tiling: RowTiling, columns: Range<Int>, kernel: GEMMKernelInfo,
        buffer: PackingBuffer, sharedB: SharedPackedB? = nil, reversePanels: Bool = false
    ) {
        guard !tiles.isEmpty, !columns.isEmpty else { return }
        let nr = kernel.nr, w = kernel.vectorWidth
        let kBlocks = depthBlocks(kernel: kernel)
        let kcMax = (k + kBlocks - 1) / kBlocks
        let tileBlocks = (tiles.count + kernel.mcTiles - 1) / kernel.mcTiles
        let tilesPerBlockMax = (tiles.count + tileBlocks - 1) / tileBlocks
        let rowsPerBlockMax = tilesPerBlockMax * kernel.mr
        let columnBlocks = (columns.count + kernel.nc - 1) / kernel.nc
        // Column blocks are whole panels, except the last.
        let panelsTotal = (columns.count + nr - 1) / nr
        let panelsPerBlockMax = (panelsTotal + columnBlocks - 1) / columnBlocks

        let rowsTotal = tiling.start(tiles.upperBound) - tiling.start(tiles.lowerBound)
        precondition(sharedB == nil || (columns == 0..<n && columnBlocks == 1), "shared B needs one column block")
        let bInPlace = sharedB == nil && !transB && rowsTotal <= Self.inPlaceBMaxRows
        let aInPlace = panelsTotal <= Self.inPlaceAMaxPanels
        // A(i, p) at a[i·rsa + p·csa] when read in place.
        let (rsa, csa) = transA ? (1, lda) : (lda, 1)

        let aCount = aInPlace ? 0 : rowsPerBlockMax * kcMax
        let bCount = sharedB != nil ? 0 : (bInPlace ? 1 : panelsPerBlockMax) * nr * kcMax
        let aPacked = buffer.floats(aCount + bCount)
        let bPacked = aPacked + aCount

        var jc = columns.lowerBound
        while jc < columns.upperBound {
            let jcEnd = min(columns.upperBound, jc + panelsPerBlockMax * nr)
            let panels = (jcEnd - jc + nr - 1) / nr
            for kb in 0..<kBlocks {
                let depth = evenSplit(k, parts: kBlocks, index: kb)
                let kc = depth.count
                let betaNow: Float = kb == 0 ? beta : 1

                // B panels of this (jc, pc) block: pointer and row stride per panel.
                func panel(_ jp: Int) -> (UnsafePointer<Float>, Int, Int) {
                    let col = jc + jp * nr, width = min(nr, jcEnd - col)
                    if let sharedB {
                        let storage = sharedB.panel(kb: kb, jp: jp, kc: kc) { dst in
                            packB(columns: col..<(col + width), depth: depth, panelWidth: nr,
                                  transpose: kernel.transpose, packPanels: kernel.packPanels, into: dst)
                        }
                        return (storage, nr, width)
                    }
                    if bInPlace {
                        let readWidth = (width + w - 1) / w * w
                        if col + readWidth <= n {
                            return (b + depth.lowerBound * ldb + col, ldb, width)
                        }
                        return (UnsafePointer(bPacked), nr, width)
                    }
                    return (UnsafePointer(bPacked + jp * nr * kc), nr, width)
                }
                if sharedB != nil {
                    // Packed on first use, by whichever task gets there first.
                } else if bInPlace {
                    // Only a ragged last panel whose vector reads would leave B is packed.
                    let col = jc + (panels - 1) * nr, width = jcEnd - col
                    if col + (width + w - 1) / w * w > n {
                        packB(columns: col..<jcEnd, depth: depth, panelWidth: nr, transpose: kernel.transpose,
                              packPanels: kernel.packPanels, into: bPacked)
                    }
                } else {
                    packB(columns: jc..<jcEnd, depth: depth, panelWidth: nr, transpose: kernel.transpose,
                          packPanels: kernel.packPanels, into: bPacked)
                }

                for tb in 0..<tileBlocks {
                    let block = evenSplit(tiles.count, parts: tileBlocks, index: tb)
                    let blockTiles = (tiles.lowerBound + block.lowerBound)..<(tiles.lowerBound + block.upperBound)
                    if !aInPlace {
                        packA(tiles: blockTiles, tiling: tiling, depth: depth, transpose: kernel.transpose,
                              into: aPacked)
                    }
                    let firstRow = tiling.start(blockTiles.lowerBound)
                    for step in 0..<panels {
                        let jp = reversePanels ? panels - 1 - step : step
                        let (bPanel, bStride, width) = panel(jp)
                        let cColumn = c + (jc + jp * nr) * csc
                        for t in blockTiles {
                            let row = tiling.start(t), height = tiling.height(t)
                            if aInPlace {
                                kernel.function(
                                    height, width, kc, a + row * rsa + depth.lowerBound * csa, rsa, csa,
                                    bPanel, bStride, cColumn + row * rsc, rsc, csc, alpha, betaNow)
                            } else {
                                kernel.function(
                                    height, width, kc, aPacked + (row - firstRow) * kc, 1, height,
                                    bPanel, bStride, cColumn + row * rsc, rsc, csc, alpha, betaNow)
                            }
                        }
                    }
                }
            }
            jc = jcEnd
        }
    }
}
