/// Packing: copying blocks of op(A) and op(B) into the layouts the micro-kernel streams through.
/// The transposes are absorbed here, so all four `transA`/`transB` variants share one kernel.
extension GEMMProblem {
    /// Packs rows of tiles `tiles` of op(A), depths `depth`, tile after tile: a tile of height h
    /// starting at row r becomes `depth.count` steps of h floats (`dst[p·h + i] = op(A)[r+i][p]`).
    /// Tile t's panel starts at `(tiling.start(t) - tiling.start(tiles.lowerBound)) · depth.count`.
    func packA(tiles: Range<Int>, tiling: RowTiling, depth: Range<Int>, into dst: UnsafeMutablePointer<Float>) {
        let kc = depth.count
        var out = dst
        for t in tiles {
            let row = tiling.start(t), h = tiling.height(t)
            if transA {
                // A is stored K×M: the h values of one step are contiguous.
                var src = a + depth.lowerBound * lda + row
                for _ in 0..<kc {
                    for i in 0..<h { out[i] = src[i] }
                    out += h
                    src += lda
                }
            } else {
                // A is stored M×K: h rows, each contiguous in p, interleaved.
                let src = a + row * lda + depth.lowerBound
                if h == 6 {
                    Self.interleave6(src, lda, kc, out)
                } else {
                    for i in 0..<h {
                        let rowPtr = src + i * lda
                        for p in 0..<kc { out[p * h + i] = rowPtr[p] }
                    }
                }
                out += h * kc
            }
        }
    }

    /// Interleaves six rows (`src + i·stride`, i < 6) of `count` floats: `dst[6p + i] = row_i[p]`.
    @inline(__always)
    private static func interleave6(
        _ src: UnsafePointer<Float>, _ stride: Int, _ count: Int, _ dst: UnsafeMutablePointer<Float>
    ) {
        let r0 = src, r1 = src + stride, r2 = src + 2 * stride
        let r3 = src + 3 * stride, r4 = src + 4 * stride, r5 = src + 5 * stride
        var out = dst
        for p in 0..<count {
            out[0] = r0[p]; out[1] = r1[p]; out[2] = r2[p]
            out[3] = r3[p]; out[4] = r4[p]; out[5] = r5[p]
            out += 6
        }
    }

    /// Packs op(B) columns `columns` (at most `panelWidth` of them), depths `depth`, as one panel
    /// of `panelWidth` floats per step (`dst[p·panelWidth + j] = op(B)[p][columns.lowerBound + j]`),
    /// zero-padded to `panelWidth` so that padded columns compute zeros.
    func packB(columns: Range<Int>, depth: Range<Int>, panelWidth: Int, into dst: UnsafeMutablePointer<Float>) {
        let kc = depth.count, width = columns.count
        if transB {
            // B is stored N×K: column j of op(B) is row j of B, contiguous in p.
            for j in 0..<width {
                let src = b + (columns.lowerBound + j) * ldb + depth.lowerBound
                var out = dst + j
                for p in 0..<kc {
                    out.pointee = src[p]
                    out += panelWidth
                }
            }
            if width < panelWidth {
                for p in 0..<kc {
                    (dst + p * panelWidth + width).update(repeating: 0, count: panelWidth - width)
                }
            }
        } else {
            // B is stored K×N: a step is a contiguous run of `width` floats.
            var src = b + depth.lowerBound * ldb + columns.lowerBound
            var out = dst
            for _ in 0..<kc {
                out.update(from: src, count: width)
                if width < panelWidth { (out + width).update(repeating: 0, count: panelWidth - width) }
                out += panelWidth
                src += ldb
            }
        }
    }
}
