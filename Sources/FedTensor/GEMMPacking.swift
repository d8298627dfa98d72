import CFedKernels

/// Packing: copying blocks of op(A) and op(B) into the layouts the micro-kernel streams through.
/// The transposes are absorbed here, so all four `transA`/`transB` variants share one kernel.
extension GEMMProblem {
    /// Packs rows of tiles `tiles` of op(A), depths `depth`, tile after tile: a tile of height h
    /// starting at row r becomes `depth.count` steps of h floats (`dst[p·h + i] = op(A)[r+i][p]`).
    /// Tile t's panel starts at `(tiling.start(t) - tiling.start(tiles.lowerBound)) · depth.count`.
    func packA(
        tiles: Range<Int>, tiling: RowTiling, depth: Range<Int>, transpose: cfk_transpose_fn,
        into dst: UnsafeMutablePointer<Float>
    ) {
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
                // A is stored M×K: h rows, each contiguous in p, interleaved (a transposing copy).
                transpose(a + row * lda + depth.lowerBound, lda, h, kc, out, h)
                out += h * kc
            }
        }
    }

    /// Packs op(B) columns `columns` (at most `panelWidth` of them), depths `depth`, as one panel
    /// of `panelWidth` floats per step (`dst[p·panelWidth + j] = op(B)[p][columns.lowerBound + j]`),
    /// zero-padded to `panelWidth` so that padded columns compute zeros.
    func packB(
        columns: Range<Int>, depth: Range<Int>, panelWidth: Int, transpose: cfk_transpose_fn,
        into dst: UnsafeMutablePointer<Float>
    ) {
        let kc = depth.count, width = columns.count
        if transB {
            // B is stored N×K: column j of op(B) is row j of B, contiguous in p.
            transpose(b + columns.lowerBound * ldb + depth.lowerBound, ldb, width, kc, dst, panelWidth)
            if width < panelWidth {
                for p in 0..<kc {
                    (dst + p * panelWidth + width).update(repeating: 0, count: panelWidth - width)
                }
            }
        } else {
            // B is stored K×N: a step is a contiguous run of `width` floats.
            var src = b + depth.lowerBound * ldb + columns.lowerBound
            var out = dst
            let vectors = width / 4
            for _ in 0..<kc {
                // Four floats at a time (one SSE move each) beat a memcpy call per 64 bytes.
                for v in 0..<vectors {
                    UnsafeMutableRawPointer(out + 4 * v).storeBytes(
                        of: UnsafeRawPointer(src + 4 * v).loadUnaligned(as: SIMD4<Float>.self),
                        as: SIMD4<Float>.self)
                }
                for j in (4 * vectors)..<width { out[j] = src[j] }
                for j in width..<panelWidth { out[j] = 0 }
                out += panelWidth
                src += ldb
            }
        }
    }
}
